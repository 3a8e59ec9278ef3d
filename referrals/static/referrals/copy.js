// Copy the share link: the Clipboard API where allowed, the selection otherwise.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-target]");
  if (!button) { return; }
  var input = document.getElementById(button.getAttribute("data-copy-target"));
  if (!input) { return; }
  var done = function () {
    button.textContent = button.getAttribute("data-copied-text");
    button.setAttribute("data-copied", "1");
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, function () { input.select(); document.execCommand("copy"); done(); });
  } else {
    input.select();
    document.execCommand("copy");
    done();
  }
});
