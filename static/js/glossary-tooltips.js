/* Glossary tooltips: progressive enhancement for the auto-linked terms.
 *
 * The server renders each term as a plain link to its glossary page carrying the short
 * definition in data-definition. This script gives every such link a role="tooltip"
 * element (one per term, shared by its links) referenced by aria-describedby, and shows
 * it on mouse hover, keyboard focus and touch. On touch, the first tap shows the
 * definition and the second tap on the same term follows the link.
 *
 * WCAG 1.4.13: the tooltip can be dismissed with Escape without moving focus, the
 * pointer can move onto it without it closing, and it stays until hover, focus or the
 * tap that opened it ends.
 *
 * CSP (style-src 'self'): positions are set through the CSSOM (element.style.left),
 * which the policy allows; no style attribute is ever written as markup.
 */
(function () {
  "use strict";

  var SHOW_DELAY = 250; // ms: a pointer just passing over a term does not open it
  var HIDE_DELAY = 300; // ms: time to move the pointer from the term onto the tooltip
  var GAP = 6; // px between the term and its tooltip
  var EDGE = 8; // px kept free at the viewport's edges

  var links = Array.prototype.slice.call(
    document.querySelectorAll("a.term-link[data-definition]")
  );
  if (!links.length) {
    return;
  }

  var tipOf = new Map(); // link -> its tooltip element
  var tipsByTerm = {};
  var serial = 0;

  // The tooltips live in <main> (so they sit inside a landmark) when the terms do.
  function container(link) {
    return link.closest("main") || document.body;
  }

  links.forEach(function (link) {
    var definition = (link.getAttribute("data-definition") || "").trim();
    if (!definition) {
      return;
    }
    var key = (link.getAttribute("data-term") || link.getAttribute("href")) + "\n" + definition;
    var tip = tipsByTerm[key];
    if (!tip) {
      serial += 1;
      tip = document.createElement("div");
      tip.id = "term-tip-" + serial;
      tip.className = "term-tip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      tip.textContent = definition;
      container(link).appendChild(tip);
      tipsByTerm[key] = tip;
      tip.addEventListener("pointerenter", onTipEnter);
      tip.addEventListener("pointerleave", onTipLeave);
    }
    var described = (link.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (described.indexOf(tip.id) === -1) {
      described.push(tip.id);
      link.setAttribute("aria-describedby", described.join(" "));
    }
    tipOf.set(link, tip);
    link.addEventListener("pointerenter", onLinkEnter);
    link.addEventListener("pointerleave", onLinkLeave);
    link.addEventListener("focus", onLinkFocus);
    link.addEventListener("blur", onLinkBlur);
    link.addEventListener("click", onLinkClick);
  });

  if (!tipOf.size) {
    return;
  }

  // One term is "active" at a time; its tooltip shows while it is hovered (the term or
  // the tooltip), focused or pinned by a tap, unless Escape dismissed it.
  var active = null;
  var hovered = false;
  var focused = false;
  var pinned = false;
  var dismissed = false;
  var showTimer = 0;
  var hideTimer = 0;
  var lastPointerType = "";

  function activeTip() {
    return active ? tipOf.get(active) : null;
  }

  function isOpen() {
    var tip = activeTip();
    return Boolean(tip && !tip.hidden);
  }

  function activate(link) {
    if (active === link) {
      return;
    }
    close();
    active = link;
    hovered = focused = pinned = dismissed = false;
  }

  function close() {
    window.clearTimeout(hideTimer);
    var tip = activeTip();
    if (tip) {
      tip.hidden = true;
      active.classList.remove("term-link-open");
    }
  }

  function open() {
    window.clearTimeout(hideTimer);
    var tip = activeTip();
    if (!tip) {
      return;
    }
    if (tip.hidden) {
      tip.hidden = false;
      active.classList.add("term-link-open");
    }
    place(active, tip);
  }

  function update() {
    window.clearTimeout(hideTimer);
    if (!active) {
      return;
    }
    if (!hovered && !focused && !pinned) {
      dismissed = false; // the next hover or focus opens it again
    }
    if (!dismissed && (hovered || focused || pinned)) {
      open();
    } else {
      close();
    }
  }

  function place(link, tip) {
    var root = document.documentElement;
    var viewWidth = root.clientWidth;
    var viewHeight = window.innerHeight;
    tip.style.left = "0px";
    tip.style.top = "0px";
    var width = tip.offsetWidth;
    var height = tip.offsetHeight;
    var box = link.getBoundingClientRect();
    // A term wrapped over two lines: line the tooltip up with where it starts.
    var first = link.getClientRects()[0] || box;

    var below = box.bottom + GAP;
    var above = box.top - GAP - height;
    var fitsBelow = below + height <= viewHeight - EDGE;
    var fitsAbove = above >= EDGE;
    var useAbove = !fitsBelow && (fitsAbove || box.top > viewHeight - box.bottom);
    var top = useAbove ? above : below;

    var left = Math.min(first.left, viewWidth - EDGE - width);
    left = Math.max(left, EDGE);

    // Viewport coordinates to the coordinates of the tooltip's containing block.
    var parent = tip.offsetParent;
    var originX = -window.scrollX;
    var originY = -window.scrollY;
    if (parent && parent !== document.body && parent !== root) {
      var parentBox = parent.getBoundingClientRect();
      originX = parentBox.left + parent.clientLeft - parent.scrollLeft;
      originY = parentBox.top + parent.clientTop - parent.scrollTop;
    }
    tip.style.left = Math.round(left - originX) + "px";
    tip.style.top = Math.round(top - originY) + "px";
    tip.setAttribute("data-placement", useAbove ? "above" : "below");
  }

  function onLinkEnter(event) {
    if (event.pointerType === "touch") {
      return; // touch is handled by the tap logic below
    }
    var link = event.currentTarget;
    window.clearTimeout(showTimer);
    if (active === link && isOpen()) {
      hovered = true;
      update();
      return;
    }
    showTimer = window.setTimeout(function () {
      activate(link);
      hovered = true;
      update();
    }, SHOW_DELAY);
  }

  function onLinkLeave(event) {
    if (event.pointerType === "touch") {
      return;
    }
    window.clearTimeout(showTimer);
    if (active !== event.currentTarget) {
      return;
    }
    hovered = false;
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(update, HIDE_DELAY);
  }

  function onTipEnter(event) {
    if (event.pointerType === "touch" || event.currentTarget !== activeTip()) {
      return;
    }
    window.clearTimeout(hideTimer);
    if (isOpen()) {
      hovered = true;
    }
  }

  function onTipLeave(event) {
    if (event.pointerType === "touch" || event.currentTarget !== activeTip()) {
      return;
    }
    hovered = false;
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(update, HIDE_DELAY);
  }

  function onLinkFocus(event) {
    window.clearTimeout(showTimer);
    activate(event.currentTarget);
    focused = true;
    update();
  }

  function onLinkBlur(event) {
    if (active !== event.currentTarget) {
      return;
    }
    focused = false;
    update();
  }

  function onLinkClick(event) {
    // detail is 0 for a click from the keyboard (Enter): always follow the link then.
    var type = event.detail === 0 ? "" : event.pointerType || lastPointerType;
    lastPointerType = "";
    if (type !== "touch") {
      return;
    }
    var link = event.currentTarget;
    if (active === link && pinned && isOpen()) {
      return; // second tap on the same term: follow the link
    }
    event.preventDefault();
    window.clearTimeout(showTimer);
    activate(link);
    pinned = true;
    dismissed = false;
    update();
  }

  // A press anywhere but on the open term or its tooltip closes it (tap elsewhere).
  document.addEventListener(
    "pointerdown",
    function (event) {
      lastPointerType = event.pointerType || "";
      if (!active) {
        return;
      }
      var target = event.target;
      var tip = activeTip();
      if (active.contains(target) || (tip && tip.contains(target))) {
        return;
      }
      hovered = focused = pinned = false;
      update();
    },
    true
  );

  document.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && isOpen()) {
      dismissed = true;
      close();
    }
  });

  window.addEventListener("resize", function () {
    if (isOpen()) {
      place(active, activeTip());
    }
  });
})();
