// Small enhancements on top of pages that work without JavaScript.
document.documentElement.classList.add("js");

// A file larger than its field takes is refused before it is sent (the server refuses it
// too): the limit is in data-max-bytes, the message in data-too-large.
function checkFileSize(input) {
  const limit = Number(input.dataset.maxBytes);
  const tooLarge = Array.from(input.files || []).some((file) => file.size > limit);
  input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
  return !tooLarge;
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
