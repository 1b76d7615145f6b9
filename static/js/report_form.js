// The progress form, on top of a page that works without JavaScript: the error summary takes
// focus, links to fields focus them, what is typed is saved as a draft as the focal point
// works (with the report's version, so two tabs never overwrite each other), kept on this
// device while the connection is down, sent when it returns, and never left unsaved without
// a question. The words shown come from the page (#report-form-messages).
(() => {
  "use strict";

  const form = document.querySelector("form.pf-report-form[data-draft-url]");
  const summary = document.querySelector("[data-error-summary]");

  // --- Moving through the form -----------------------------------------------------------

  if (summary && document.activeElement !== summary) summary.focus();

  // A link to a field (error summary, reviewer's comments, a page's #anchor) focuses the
  // field and shows its label or legend with it, as the GOV.UK error summary does.
  function focusField(id) {
    const target = document.getElementById(id);
    if (!target) return false;
    const box = target.closest("fieldset") || target.closest(".field") || target;
    target.focus({ preventScroll: true });
    box.scrollIntoView({ block: "start" });
    return document.activeElement === target;
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest(
      ".error-summary a[href^='#'], .pf-comment-links a[href^='#']"
    );
    if (link && focusField(decodeURIComponent(link.hash.slice(1)))) event.preventDefault();
  });

  if (!form) return;

  // --- What the page says ----------------------------------------------------------------

  const words = document.getElementById("report-form-messages")?.dataset || {};
  const stateLine = form.querySelector("[data-save-state]");

  function say(text, problem = false) {
    if (!stateLine || !text) return;
    stateLine.hidden = false;
    stateLine.textContent = text;
    stateLine.classList.toggle("pf-save-state--problem", problem);
  }

  function savedAt(time) {
    return (words.saved || "").replace("%(time)s", time);
  }

  // --- What is typed, kept on this device ------------------------------------------------

  const versionInput = form.querySelector("input[name=version]");
  const storageKey = `alliance87:report-draft:${form.dataset.report}`;
  // Files are sent by the form's own save; a removal too (it cannot be undone).
  const notDrafted = (name) =>
    name === "csrfmiddlewaretoken" || name === "action" || /-(evidence|remove_evidence|evidence_kept)$/.test(name);

  function typedValues() {
    const values = [];
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string" && !notDrafted(name) && name !== "version") {
        values.push([name, value]);
      }
    }
    return values;
  }

  function keepOnDevice(submitted = false) {
    try {
      localStorage.setItem(
        storageKey,
        JSON.stringify({
          version: versionInput.value,
          values: typedValues(),
          at: Date.now(),
          submitted,
        })
      );
    } catch (error) {
      // Storage full or refused (private browsing): the server save still runs.
    }
  }

  function forgetOnDevice() {
    try {
      localStorage.removeItem(storageKey);
    } catch (error) {
      // Nothing kept.
    }
  }

  function keptOnDevice() {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (error) {
      return null;
    }
  }

  function putBack(values) {
    const byName = new Map();
    for (const [name, value] of values) {
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name).push(value);
    }
    let changed = false;
    for (const [name, given] of byName) {
      for (const field of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
        if (field.type === "radio" || field.type === "checkbox") {
          const checked = given.includes(field.value);
          if (field.checked !== checked) {
            field.checked = checked;
            changed = true;
          }
        } else if (field.type !== "file" && field.value !== given[0]) {
          field.value = given[0];
          changed = true;
        }
      }
    }
    return changed;
  }

  // --- Saving drafts ---------------------------------------------------------------------

  let edits = 0; // changes typed since the page opened
  let savedEdits = 0; // how many of them the server holds
  let saving = null;
  let stopped = false; // a conflict or a closed report: only the form's own save goes on
  let waiting = false; // kept on this device for want of a connection

  const dirty = () => edits !== savedEdits;

  async function saveDraft() {
    if (saving || stopped || !dirty()) return saving;
    keepOnDevice();
    if (!navigator.onLine) {
      waiting = true;
      say(words.offline, true);
      return null;
    }
    waiting = false;
    const upTo = edits;
    const body = new FormData(form);
    for (const name of Array.from(body.keys())) {
      if (name !== "csrfmiddlewaretoken" && notDrafted(name)) body.delete(name);
    }
    say(words.saving);
    saving = fetch(form.dataset.draftUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(async (response) => {
        const answer = await response.json().catch(() => ({}));
        if (response.ok && answer.state === "saved") {
          versionInput.value = answer.version;
          savedEdits = upTo;
          if (!dirty()) forgetOnDevice();
          else keepOnDevice();
          say(savedAt(answer.saved_at));
        } else if (answer.state === "conflict") {
          stopped = true;
          say(words.conflict, true);
        } else if (answer.state === "closed") {
          stopped = true;
          say(words.closed, true);
        } else if (answer.state === "signed_out") {
          say(words.signedOut, true);
        } else {
          say(words.invalid, true);
        }
      })
      .catch(() => {
        // The connection dropped during the save: what was typed stays on this device.
        waiting = true;
        say(words.offline, true);
      })
      .finally(() => {
        saving = null;
      });
    return saving;
  }

  function changed() {
    edits += 1;
    keepOnDevice();
    if (!stopped) say(navigator.onLine ? words.unsaved : words.offline, !navigator.onLine);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", (event) => {
    if (event.target.type === "file") return; // sent with the form's own save
    if (event.target.matches("select, input[type=radio], input[type=checkbox]")) changed();
  });

  // Every half minute, and when leaving a section for another; every few seconds while what
  // was typed waits on this device (the "online" event alone is not always told).
  setInterval(saveDraft, 30000);
  setInterval(() => {
    if (waiting && navigator.onLine) saveDraft();
  }, 5000);
  form.addEventListener("focusout", (event) => {
    const next = event.relatedTarget;
    if (next && next.form === form && next.type === "submit") return; // that button saves
    const from = event.target.closest("[data-section-body]");
    const to = next && next.closest("[data-section-body]");
    if (from && from !== to) saveDraft();
  });
  window.addEventListener("online", saveDraft);
  window.addEventListener("offline", () => {
    if (dirty()) say(words.offline, true);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") saveDraft();
  });

  // Leaving with unsaved changes asks first; the form's own buttons do not.
  let submitting = false;
  window.addEventListener("beforeunload", (event) => {
    if (submitting || !dirty()) return;
    event.preventDefault();
    event.returnValue = words.leave || "";
  });
  // On the document, after the file checks of portal.js (which may stop the submission).
  // What is kept on this device stays until a page shows the server holds it.
  document.addEventListener("submit", (event) => {
    if (event.target !== form || event.defaultPrevented) return;
    if (saving) {
      // A draft save is under way: the form is sent once it is done, with the version the
      // draft's save gave (else the form would be refused as a conflict with itself).
      event.preventDefault();
      const submitter = event.submitter;
      saving.finally(() => form.requestSubmit(submitter));
      return;
    }
    keepOnDevice(navigator.onLine);
    if (!navigator.onLine) {
      // The page would be lost for an error page: keep everything here instead.
      event.preventDefault();
      say(words.offline, true);
      return;
    }
    submitting = true;
    stopped = true; // no draft save races the form's own
  });

  // --- Coming back -------------------------------------------------------------------------

  // A page shown after a refused save already holds what was typed, and one shown after the
  // form's own save holds it on the server; otherwise what this device kept (typed offline,
  // a save lost with the connection, a tab closed) is put back and sent. A copy made
  // against an older version keeps that version: its save is refused as a conflict, never
  // written over someone else's.
  const kept = keptOnDevice();
  const refused = summary || document.querySelector(".pf-conflict");
  // The form's own save went through: the server holds it, one version on.
  const sent = kept && kept.submitted && Number(versionInput.value) === Number(kept.version) + 1;
  if (sent) forgetOnDevice();
  else if (kept && Array.isArray(kept.values) && !refused) {
    const before = JSON.stringify(typedValues());
    if (putBack(kept.values) && JSON.stringify(typedValues()) !== before) {
      if (kept.version) versionInput.value = kept.version;
      edits += 1;
      say(words.restored);
      saveDraft();
    } else {
      forgetOnDevice();
    }
  }
})();
