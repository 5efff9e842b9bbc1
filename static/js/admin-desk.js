// The FAQ desk (a visitor's question in the admin): the answer's preview, rendered by the
// server through the site's pipeline (cross-links, citations, glossary links), moves
// beside the answer field and follows what is typed, with the warnings (links that go
// nowhere, unknown citations) above it. Without JavaScript the page shows the preview of
// the saved answer. Loaded as a file (the admin runs under the site's CSP); the preview
// HTML comes sanitised from the server.
//
// (Also: a name for the autocomplete boxes, below.)
function setUpAnswerPreview() {
  "use strict";

  var panel = document.getElementById("answer-preview");
  var url = panel && panel.getAttribute("data-url");
  var form = panel && panel.closest("form");
  var textarea = form && form.querySelector("#id_staff_answer");
  if (!url || !textarea || !window.fetch) return;
  var warnings = panel.querySelector(".markdown-preview-warnings");
  var body = panel.querySelector(".markdown-preview-body");

  var ownRow = panel.closest(".form-row");
  var row = textarea.closest(".form-row") || textarea.parentNode;
  row.classList.add("has-markdown-preview");
  row.appendChild(panel);
  if (ownRow && ownRow !== row) ownRow.hidden = true;

  var timer = null;
  var controller = null;

  function update() {
    var data = new FormData();
    data.append("text", textarea.value);
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch(url, { method: "POST", body: data, credentials: "same-origin",
                 signal: controller ? controller.signal : undefined })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (result) {
        if (!result) return;
        body.innerHTML = result.html;  // sanitised by the server's pipeline
        warnings.textContent = "";
        result.warnings.forEach(function (text) {
          var item = document.createElement("li");
          item.textContent = text;
          warnings.appendChild(item);
        });
      })
      .catch(function () {});
  }

  textarea.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 400);
  });
}

// The autocomplete widgets (select2) name their box after the choice shown, so an empty
// one ("FAQ entry" before there is one) has no name at all (axe: "aria-input-field-name"):
// name it after its field's label as well. Select2 draws the box after the page loads.
function nameAutocompletes() {
  "use strict";

  document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
    var label = select.id && document.querySelector("label[for='" + select.id + "']");
    var container = select.nextElementSibling;
    var box = container && container.querySelector(".select2-selection");
    if (!label || !box) return;
    if (!label.id) label.id = select.id + "-label";
    var names = (box.getAttribute("aria-labelledby") || "").split(" ");
    if (names.indexOf(label.id) < 0) {
      box.setAttribute("aria-labelledby", [label.id].concat(names).join(" ").trim());
    }
    // The choice shown inside is a read-only textbox of its own, named the same way.
    var shown = box.querySelector(".select2-selection__rendered[role='textbox']");
    if (shown && !shown.getAttribute("aria-labelledby")) {
      shown.setAttribute("aria-labelledby", label.id + " " + shown.id);
    }
  });
}

function setUpDesk() {
  setUpAnswerPreview();
  nameAutocompletes();
  new MutationObserver(nameAutocompletes).observe(document.body, { childList: true, subtree: true });
}

// The admin loads form media in <head>: wait for the form.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", setUpDesk);
} else {
  setUpDesk();
}
