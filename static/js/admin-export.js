// The "Select all" toggle of the export page (templates/admin/import_export/export.html),
// wired here rather than by an inline handler, which the admin's CSP refuses.
// onSelectToggleChange is django-import-export's own (export_selectable_fields.js).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (typeof window.onSelectToggleChange !== "function") return;
  document.querySelectorAll("input.select-toggle").forEach(function (toggle) {
    toggle.addEventListener("change", window.onSelectToggleChange);
  });
});
