// The admin's autocomplete widgets (select2 4.0) leave screen readers without names and
// break accessibility rules (axe: "label", "aria-input-field-name", "aria-required-attr"):
// - the search box has no label: name it after the field it searches ("Search Authors");
// - the combobox is named only by the chosen value (nothing when empty): name it by the
//   field's label followed by the value, and its value box by the label;
// - an open combobox points at its list with aria-owns only: ARIA 1.2 asks aria-controls.
// select2 draws and redraws these pieces itself, so they are mended after each change.
(function () {
  "use strict";

  var RESULTS_ID = /^select2-(.+)-results$/;

  // The <label> of the <select> with this id, given an id of its own to point at.
  function labelOf(selectId) {
    var label = selectId ? document.querySelector("label[for='" + CSS.escape(selectId) + "']") : null;
    if (label && !label.id) label.id = selectId + "_label";
    return label;
  }

  function labelText(label) {
    return label.textContent.replace(/:\s*$/, "").trim();
  }

  // The <select> a select2 container belongs to: the one before it in the form, or, for
  // the dropdown drawn at the end of the page, the one its results list is named after.
  function selectIdOf(container) {
    var select = container.previousElementSibling;
    if (select && select.tagName === "SELECT") return select.id;
    var results = container.querySelector(".select2-results__options[id]");
    var match = results && RESULTS_ID.exec(results.id);
    return match ? match[1] : "";
  }

  function mend() {
    document.querySelectorAll(".select2-container").forEach(function (container) {
      var label = labelOf(selectIdOf(container));
      container.querySelectorAll(".select2-search__field").forEach(function (field) {
        var name = label ? "Search " + labelText(label) : "Search";
        if (field.getAttribute("aria-label") !== name) field.setAttribute("aria-label", name);
      });
      container.querySelectorAll(".select2-selection[role='combobox']").forEach(function (box) {
        var rendered = box.querySelector(".select2-selection__rendered[id]");
        if (label) {
          var names = rendered ? label.id + " " + rendered.id : label.id;
          if (box.getAttribute("aria-labelledby") !== names) box.setAttribute("aria-labelledby", names);
          if (rendered && rendered.getAttribute("role") === "textbox") {
            rendered.setAttribute("aria-labelledby", label.id);
          }
        }
        var owns = box.getAttribute("aria-owns");
        if (owns && box.getAttribute("aria-controls") !== owns) {
          box.setAttribute("aria-controls", owns);
        } else if (!owns && box.hasAttribute("aria-controls")) {
          box.removeAttribute("aria-controls");
        }
      });
    });
  }

  function start() {
    mend();
    // Attribute changes made here are not watched (only aria-owns, set by select2), so
    // mending never wakes the observer again.
    new MutationObserver(mend).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["aria-owns"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
