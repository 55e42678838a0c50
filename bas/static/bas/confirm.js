// A form with data-confirm asks before it is sent (instead of an inline onsubmit handler,
// which the Content-Security-Policy forbids).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset ? event.target.dataset.confirm : undefined;
  if (message && !window.confirm(message)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
