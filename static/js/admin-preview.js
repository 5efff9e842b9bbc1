// Live Markdown preview beside the body field in the admin: the text goes through the
// same pipeline as the public page (sanitising, cross-links, citations, glossary links)
// and the editor sees the result and any warnings as they type. Loaded as a file (the
// admin runs under the site's CSP); the preview HTML comes sanitised from the server.
function setUpMarkdownPreview() {
  "use strict";

  var config = document.getElementById("markdown-preview-config");
  if (!config || !window.fetch) return;
  var url = config.getAttribute("data-url");
  var form = config.closest("form");
  if (!form) return;
  // Each Markdown field gets a preview of its own (a term has two definitions).
  form.querySelectorAll("#id_body, #id_definition, #id_technical_definition, #id_answer")
    .forEach(function (textarea, n) { previewBeside(textarea, n, form, url); });
}

function previewBeside(textarea, n, form, url) {
  "use strict";

  var titleId = "markdown-preview-title" + (n ? "-" + (n + 1) : "");
  var panel = document.createElement("section");
  panel.className = "markdown-preview";
  panel.setAttribute("aria-labelledby", titleId);
  var title = document.createElement("h2");
  title.id = titleId;
  title.textContent = "Live preview";
  var warnings = document.createElement("ul");
  warnings.className = "markdown-preview-warnings";
  warnings.setAttribute("aria-live", "polite");
  var body = document.createElement("div");
  body.className = "markdown-preview-body";
  panel.appendChild(title);
  panel.appendChild(warnings);
  panel.appendChild(body);
  var row = textarea.closest(".form-row") || textarea.parentNode;
  row.classList.add("has-markdown-preview");
  row.appendChild(panel);

  var timer = null;
  var controller = null;

  function update() {
    var data = new FormData();
    data.append("text", textarea.value);
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    if (form.querySelector("input[name='figures-TOTAL_FORMS']")) data.append("has_figures", "1");
    form.querySelectorAll("input[name^='figures-'][name$='-key']").forEach(function (input) {
      if (input.value && input.name.indexOf("__prefix__") < 0) data.append("figures", input.value);
    });
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
        if (result.references && result.references.length) {
          // The numbered list the page will show, in order of first citation.
          var heading = document.createElement("h3");
          heading.textContent = "References";
          var list = document.createElement("ol");
          list.className = "markdown-preview-references";
          result.references.forEach(function (text) {
            var item = document.createElement("li");
            item.textContent = text;
            list.appendChild(item);
          });
          body.appendChild(heading);
          body.appendChild(list);
        }
      })
      .catch(function () {});
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 400);
  }

  textarea.addEventListener("input", schedule);
  form.addEventListener("change", function (event) {
    if (event.target.name && /^figures-/.test(event.target.name)) schedule();
  });
  form.addEventListener("input", function (event) {
    if (event.target.name && /^figures-/.test(event.target.name)) schedule();
  });
  update();
}

// The admin loads form media in <head>: wait for the form.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", setUpMarkdownPreview);
} else {
  setUpMarkdownPreview();
}
