/* Reading levels on a glossary term: "Plain language" or "Technical".
 *
 * The server puts both definitions in the page, the one not asked for `hidden`, and the
 * switch is two links (?level=plain, ?level=technical) that work without this script.
 * With it, choosing a level switches in place (no reload), says so to screen readers,
 * puts the level in the address (so a reload or a shared link keeps it) and remembers
 * it in localStorage: a later term page opened without ?level shows the level chosen
 * last. Nothing is sent to the server and no cookie is set, so the pages stay the same
 * for everyone (and cacheable) and need no cookie banner. An explicit ?level in the
 * address wins over the remembered choice.
 */
(function () {
  "use strict";

  // What the switch announces, in the page's language: its script tag's data attributes.
  var script = document.currentScript;
  var KEY = "exosite.glossaryLevel";
  var LEVELS = ["plain", "technical"];

  var choices = Array.prototype.slice.call(document.querySelectorAll("[data-level-choice]"));
  if (!choices.length) {
    return;
  }
  var group = choices[0].closest(".reading-level");

  // Announced after a switch (created now: a live region must exist before it changes).
  var status = document.createElement("p");
  status.className = "visually-hidden reading-level-status";
  status.setAttribute("role", "status");
  group.insertAdjacentElement("afterend", status);

  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (error) {
      return null; // storage blocked: the links still work
    }
  }

  function remember(level) {
    try {
      window.localStorage.setItem(KEY, level);
    } catch (error) {
      // Storage blocked or full: the choice holds for this page only.
    }
  }

  function show(level) {
    document.querySelectorAll("[data-level]").forEach(function (element) {
      element.hidden = element.getAttribute("data-level") !== level;
    });
    choices.forEach(function (link) {
      if (link.getAttribute("data-level-choice") === level) {
        link.setAttribute("aria-current", "true");
      } else {
        link.removeAttribute("aria-current");
      }
    });
  }

  choices.forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return; // a new tab or window: let the link do it
      }
      event.preventDefault();
      var level = link.getAttribute("data-level-choice");
      show(level);
      remember(level);
      var url = new URL(window.location.href);
      url.searchParams.set("level", level);
      window.history.replaceState(window.history.state, "", url);
      status.textContent =
        (script && script.getAttribute("data-status-" + level)) ||
        "Showing the " + level + " definition.";
    });
  });

  var asked = new URLSearchParams(window.location.search).get("level");
  var remembered = stored();
  if (LEVELS.indexOf(asked) < 0 && LEVELS.indexOf(remembered) >= 0) {
    show(remembered);
  }
})();
