// The GOV.UK error summary: focused when the page loads, so that a screen reader reads the
// problems first and a keyboard user starts from them. The `autofocus` attribute does this
// without JavaScript in most browsers; this makes sure of it. A link in the summary moves
// focus to its field (the browser does that for same-page links to focusable fields).
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (summary && (document.activeElement === document.body || !document.activeElement)) {
    summary.focus();
  }
})();
