// Small enhancements on top of pages that work without JavaScript.
document.documentElement.classList.add("js");

document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form) form.submit();
});

// Buttons that start slow work show that it is under way and cannot be pressed twice.
document.addEventListener("submit", (event) => {
  const button = event.target.querySelector("button[data-busy-label]");
  if (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    button.textContent = button.dataset.busyLabel;
  }
});
