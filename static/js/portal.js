// Small enhancements on top of pages that work without JavaScript.
document.documentElement.classList.add("js");

// A file larger than its field takes, or of a kind it does not take, is refused before it is
// sent (the server checks both again, the kind from the content): the limit is in
// data-max-bytes, the kinds in accept, the messages in data-too-large and data-wrong-type.
function checkFileSize(input) {
  const limit = Number(input.dataset.maxBytes);
  const files = Array.from(input.files || []);
  const accepted = (input.accept || "")
    .split(",")
    .map((kind) => kind.trim().toLowerCase())
    .filter((kind) => kind.startsWith("."));
  const wrongKind =
    accepted.length > 0 &&
    files.some((file) => !accepted.some((ending) => file.name.toLowerCase().endsWith(ending)));
  const tooLarge = files.some((file) => file.size > limit);
  let message = "";
  if (wrongKind && input.dataset.wrongType) message = input.dataset.wrongType;
  else if (tooLarge) message = input.dataset.tooLarge;
  input.setCustomValidity(message);
  showFileProblem(input, message);
  return !message;
}

// The refusal is also written beside the field, where it stays until another file is chosen.
function showFileProblem(input, message) {
  const id = `${input.id}_filecheck`;
  let note = document.getElementById(id);
  const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  if (!message) {
    if (note) note.remove();
    input.setAttribute("aria-describedby", described.filter((one) => one !== id).join(" "));
    return;
  }
  if (!note) {
    note = document.createElement("p");
    note.id = id;
    note.className = "field__error";
    input.insertAdjacentElement("afterend", note);
    input.setAttribute("aria-describedby", [...described, id].join(" "));
  }
  note.textContent = message;
}

document.addEventListener("change", (event) => {
  if (event.target.matches("input[type=file][data-max-bytes]") && !checkFileSize(event.target)) {
    event.target.reportValidity();
  }
});

document.addEventListener("submit", (event) => {
  for (const input of event.target.querySelectorAll("input[type=file][data-max-bytes]")) {
    if (!checkFileSize(input)) {
      event.preventDefault();
      input.reportValidity();
      return;
    }
  }
});

// Buttons that start slow work show that it is under way and cannot be pressed twice.
document.addEventListener("submit", (event) => {
  if (event.defaultPrevented) return;
  const button = event.target.querySelector("button[data-busy-label]");
  if (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    button.textContent = button.dataset.busyLabel;
  }
});
