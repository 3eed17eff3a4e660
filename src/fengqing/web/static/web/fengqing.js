// Ask before destructive actions (forms marked data-confirm).
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// 打印 buttons (no inline script: the pages work under a strict content security policy)
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// Drop-downs marked data-autosubmit submit their form when changed (no inline handlers: the CSP forbids them).
document.addEventListener("change", function (event) {
  if (event.target.hasAttribute && event.target.hasAttribute("data-autosubmit") && event.target.form) {
    event.target.form.submit();
  }
});
