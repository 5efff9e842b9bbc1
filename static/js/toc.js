// An article's table of contents: open as a side column on a wide screen (collapsed at the
// top on a phone, as the page serves it), and the section being read marked with
// aria-current. Progressive enhancement: without this script the contents are a
// <details> the reader opens. No inline script or style (strict CSP).
(function () {
  "use strict";
  var toc = document.getElementById("contents");
  if (!toc) return;
  var wide = window.matchMedia("(min-width: 64rem)");
  function fit() { toc.open = wide.matches; }
  fit();
  if (wide.addEventListener) wide.addEventListener("change", fit);

  var links = Array.prototype.slice.call(toc.querySelectorAll("a[href^='#']"));
  var sections = links.map(function (link) {
    return { link: link, heading: document.getElementById(decodeURIComponent(link.hash.slice(1))) };
  }).filter(function (section) { return section.heading; });
  if (!sections.length) return;

  var current = null;
  function mark() {
    // The section being read: the last whose heading is above the top quarter of the window.
    var line = window.innerHeight / 4;
    var found = sections[0];
    sections.forEach(function (section) {
      if (section.heading.getBoundingClientRect().top <= line) found = section;
    });
    if (found === current) return;
    if (current) current.link.removeAttribute("aria-current");
    found.link.setAttribute("aria-current", "true");
    current = found;
  }
  var queued = false;
  window.addEventListener("scroll", function () {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () { queued = false; mark(); });
  }, { passive: true });
  mark();
})();
