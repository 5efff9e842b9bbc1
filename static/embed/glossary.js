/* Exosite's glossary on any website.
 *
 *   <script src="https://SITE/embed/glossary.js" data-exosite-root=".article" defer></script>
 *
 * data-lang="es" links the Spanish glossary's terms to its Spanish pages (any language
 * the site has; English without it, or for a language it does not have).
 *
 * Links the first mention of each glossary term inside the elements the selector in
 * data-exosite-root picks (default: the page's <main>, else <article>, else <body>) to
 * the term's page on the site, with the site's accessible tooltip: the short definition
 * on hover, keyboard focus and touch (first tap shows it, a second tap follows the link),
 * Escape dismisses it. Add data-exosite-skip to any element to keep it unlinked.
 *
 * Served by glossary/embed.py, which puts the addresses of the current term indexes, one
 * per language, in place of the placeholder below; the index is fetched once (without
 * credentials) and kept by the browser until the glossary changes (its address changes
 * then).
 *
 * Matching follows the site's auto-linker (glossary/autolink.py): whole words; names and
 * aliases in any case, abbreviations and all-capitals words exactly ("WHO" never in
 * "who"); a regular plural of the last word; any run of white space for a space, curly
 * and straight apostrophes and Unicode hyphens alike; longest match first, leftmost
 * first; first mention per term; never inside links, headings, code, buttons, form
 * fields or the like; never across an element boundary. A trie of whole tokens keeps the
 * cost flat in the number of terms (bench/embed_matching.py).
 *
 * Isolation: each linked mention becomes an <exosite-term> element whose shadow root
 * holds the link (the mention's own text slotted into it) and its tooltip, styled by a
 * constructed stylesheet (adoptedStyleSheets): the host page's CSS does not reach them
 * and theirs does not reach the page. Nothing is written as a style attribute or a
 * <style> element, nothing is evaluated, no cookie or storage is touched, and the only
 * global is window.Exosite (Exosite.glossary), so a strict host CSP that allows this
 * script's origin in script-src and connect-src is enough. Hosts may style the link
 * through exosite-term::part(link).
 */
(function () {
  "use strict";

  var namespace = (window.Exosite = window.Exosite || {});
  if (namespace.glossary) {
    return; // included twice
  }

  var INDEXES = "__EXOSITE_INDEX__"; // {language: the term index's address}
  var script = document.currentScript;

  var SKIP = new Set(
    ("A H1 H2 H3 H4 H5 H6 CODE PRE KBD SAMP FIGCAPTION SUP ABBR DFN BUTTON LABEL SELECT " +
      "OPTION SVG MATH TEMPLATE NOSCRIPT OBJECT SCRIPT STYLE TEXTAREA TITLE INPUT IFRAME " +
      "NOEMBED NOFRAMES XMP EXOSITE-TERM").split(" ")
  );
  var TOKEN = /\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;
  var GAP = " ";

  var SHOW_DELAY = 250; // ms: a pointer just passing over a term does not open it
  var HIDE_DELAY = 300; // ms: time to move the pointer from the term onto the tooltip
  var OFFSET = 6; // px between the term and its tooltip
  var EDGE = 8; // px kept free at the viewport's edges

  var CSS =
    ":host{display:inline}" +
    "a{color:inherit;text-decoration-line:underline;" +
    "text-decoration-style:dotted;text-decoration-thickness:max(1.5px,.09em);" +
    "text-underline-offset:.2em}" +
    "a:hover,a:focus-visible,a.open{text-decoration-style:solid}" +
    "a:focus-visible{outline:2px solid;outline-offset:2px;border-radius:2px}" +
    ".tip{all:initial;display:block;position:fixed;top:0;left:0;z-index:2147483000;" +
    "box-sizing:border-box;width:max-content;max-width:min(22rem,calc(100vw - 1rem));" +
    "padding:.55rem .8rem;background:#fff;color:#1d2430;border:1px solid #767676;" +
    "border-radius:10px;box-shadow:0 1px 2px rgb(0 0 0/8%),0 4px 14px rgb(0 0 0/12%);" +
    "font:400 max(15px,.95rem)/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;" +
    "text-align:left;white-space:normal;overflow-wrap:break-word;hyphens:auto}" +
    ".tip[hidden]{display:none}" +
    "@media (forced-colors:active){.tip{border-color:CanvasText}}" +
    "@keyframes in{from{opacity:0;transform:translateY(-2px)}to{opacity:1;transform:none}}" +
    "@media (prefers-reduced-motion:no-preference){.tip:not([hidden]){animation:in 120ms ease-out}}";

  // -- matching ------------------------------------------------------------------------

  function normalise(text) {
    // One character for one: offsets into the text stay offsets into the page.
    return text.replace(/[\u2019\u2018\u02bc\u2032]/g, "'").replace(/[\u2010\u2011]/g, "-");
  }

  function tokenize(text) {
    return normalise(text).match(TOKEN) || [];
  }

  function fold(token) {
    return token.toLowerCase();
  }

  function isSpace(token) {
    return token.trim() === "";
  }

  function isCapitals(token) {
    return token.toUpperCase() === token && token !== token.toLowerCase();
  }

  function isLetter(character) {
    return /\p{L}/u.test(character);
  }

  // Regular English plurals of a lower-case word; a wrong guess only costs a lookup.
  function plurals(word) {
    var last = word.slice(-1);
    if (!isLetter(last)) return [];
    var stem = word.slice(0, -2);
    if (last === "y" && word.length > 1 && "aeiou".indexOf(word.slice(-2, -1)) === -1) {
      return [word.slice(0, -1) + "ies"];
    }
    if (/is$/.test(word)) return [stem + "es"]; // analysis, analyses
    if (/us$/.test(word)) return [word + "es", stem + "i"]; // nucleus, nuclei
    if (/um$/.test(word)) return [word + "s", stem + "a"]; // medium, media
    if (/[ie]x$/.test(word)) return [word + "es", stem + "ices"]; // matrix, matrices
    if (/(s|x|z|ch|sh)$/.test(word)) return [word + "es"];
    return [word + "s"];
  }

  function Node() {
    this.folded = null; // Map: folded token (or GAP) -> Node
    this.exact = null; // Map: token as written -> Node
    this.term = null;
  }

  // index: {v, url: "/glossary/{slug}/", terms: [[slug, name, definition, abbr, ...aliases]]}
  function Matcher(index, base) {
    this.root = new Node();
    this.size = 0;
    var self = this;
    index.terms.forEach(function (entry) {
      var term = {
        slug: entry[0],
        name: entry[1],
        definition: entry[2],
        url: new URL(index.url.replace("{slug}", encodeURIComponent(entry[0])), base).href,
      };
      self.size += 1;
      [entry[1]].concat(entry.slice(4)).forEach(function (phrase) {
        self.add(phrase, term, false);
      });
      if (entry[3]) self.add(entry[3], term, true);
    });
    var first = new Set(this.root.folded ? this.root.folded.keys() : []);
    if (this.root.exact) {
      this.root.exact.forEach(function (node, token) {
        first.add(fold(token));
      });
    }
    this.first = first; // where a match can start: a cheap first filter
  }

  Matcher.prototype.add = function (text, term, abbreviation) {
    var keys = tokenize(text.trim()).map(function (token) {
      if (isSpace(token)) return [GAP, false];
      if (abbreviation || isCapitals(token)) return [token, true];
      return [fold(token), false];
    });
    if (!keys.length) return;
    this.insert(keys, term);
    var last = keys[keys.length - 1];
    var head = keys.slice(0, -1);
    var forms = last[1] ? (isLetter(last[0].slice(-1)) ? [last[0] + "s"] : []) : plurals(last[0]);
    for (var i = 0; i < forms.length; i++) {
      this.insert(head.concat([[forms[i], last[1]]]), term);
    }
  };

  Matcher.prototype.insert = function (keys, term) {
    var node = this.root;
    for (var i = 0; i < keys.length; i++) {
      var side = keys[i][1] ? "exact" : "folded";
      var children = node[side] || (node[side] = new Map());
      var child = children.get(keys[i][0]);
      if (!child) children.set(keys[i][0], (child = new Node()));
      node = child;
    }
    if (!node.term) node.term = term; // the first term to claim a phrase keeps it
  };

  // The longest term starting at tokens[index]: [end index, term], or null.
  Matcher.prototype.longest = function (tokens, folded, index) {
    var best = null;
    var frontier = [this.root];
    for (var position = index; position < tokens.length; position++) {
      var key = isSpace(folded[position]) ? GAP : folded[position];
      var next = [];
      for (var i = 0; i < frontier.length; i++) {
        var node = frontier[i];
        var child = node.exact && node.exact.get(tokens[position]);
        if (child) next.push(child);
        child = node.folded && node.folded.get(key);
        if (child) next.push(child);
      }
      if (!next.length) break;
      for (i = 0; i < next.length; i++) {
        if (next[i].term) {
          best = [position + 1, next[i].term];
          break;
        }
      }
      frontier = next;
    }
    return best;
  };

  // Matches in one text: [{start, end, term}] (offsets into text), first mentions only.
  Matcher.prototype.findIn = function (text, seen) {
    var tokens = tokenize(text);
    var found = [];
    if (tokens.length === 0) return found;
    var folded = fold(tokens.join("\0")).split("\0");
    var offset = 0;
    var resume = 0;
    for (var index = 0; index < tokens.length; index++) {
      var start = offset;
      offset += tokens[index].length;
      if (index < resume || !this.first.has(folded[index])) continue;
      var match = this.longest(tokens, folded, index);
      if (!match) continue;
      resume = match[0];
      // The words of a match are taken even when its term was linked already, so that a
      // shorter term is never linked inside a longer one.
      if (seen.has(match[1].slug)) continue;
      seen.add(match[1].slug);
      var end = start;
      for (var j = index; j < match[0]; j++) end += tokens[j].length;
      found.push({ start: start, end: end, term: match[1] });
    }
    return found;
  };

  // Every first mention under `roots`, in document order: [{node, start, end, term}].
  Matcher.prototype.find = function (roots) {
    var seen = new Set();
    var found = [];
    var self = this;
    outermost(roots).forEach(function (root) {
      var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
        acceptNode: function (node) {
          if (node.nodeType === 3) return NodeFilter.FILTER_ACCEPT;
          var skip = SKIP.has(node.nodeName.toUpperCase()) || node.hasAttribute("data-exosite-skip");
          return skip || node.isContentEditable ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
        },
      });
      if (SKIP.has(root.nodeName.toUpperCase()) || root.hasAttribute("data-exosite-skip")) return;
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!/\S/.test(node.data)) continue;
        self.findIn(node.data, seen).forEach(function (match) {
          match.node = node;
          found.push(match);
        });
      }
    });
    return found;
  };

  function outermost(roots) {
    return roots.filter(function (root) {
      return !roots.some(function (other) {
        return other !== root && other.contains(root);
      });
    });
  }

  // -- links and tooltips --------------------------------------------------------------

  var sheet = null;
  var tipOf = new Map(); // link -> its tooltip

  function stylesheet() {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    return sheet;
  }

  // Wraps each match's text in an <exosite-term> whose shadow root holds the link.
  function apply(matches) {
    var links = [];
    for (var i = matches.length - 1; i >= 0; i--) {
      var match = matches[i];
      var text = match.node.splitText(match.start);
      text.splitText(match.end - match.start);
      links.unshift(wrap(text, match.term));
    }
    return links;
  }

  function wrap(text, term) {
    var host = document.createElement("exosite-term");
    host.setAttribute("data-term", term.slug);
    text.parentNode.replaceChild(host, text);
    host.appendChild(text);
    var shadow = host.attachShadow({ mode: "open" });
    shadow.adoptedStyleSheets = [stylesheet()];
    var link = document.createElement("a");
    link.href = term.url;
    link.setAttribute("part", "link");
    link.setAttribute("aria-describedby", "tip");
    link.appendChild(document.createElement("slot"));
    var tip = document.createElement("span");
    tip.className = "tip";
    tip.id = "tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    tip.textContent = term.definition;
    shadow.append(link, tip);
    tipOf.set(link, tip);
    link.addEventListener("pointerenter", onLinkEnter);
    link.addEventListener("pointerleave", onLinkLeave);
    link.addEventListener("focus", onLinkFocus);
    link.addEventListener("blur", onLinkBlur);
    link.addEventListener("click", onLinkClick);
    tip.addEventListener("pointerenter", onTipEnter);
    tip.addEventListener("pointerleave", onTipLeave);
    return link;
  }

  // One term is "active" at a time; its tooltip shows while it is hovered (the term or
  // the tooltip), focused or pinned by a tap, unless Escape dismissed it. As the site's
  // own static/js/glossary-tooltips.js does, so that the two behave alike.
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
    if (active === link) return;
    close();
    active = link;
    hovered = focused = pinned = dismissed = false;
  }

  function close() {
    clearTimeout(hideTimer);
    var tip = activeTip();
    if (tip) {
      tip.hidden = true;
      active.classList.remove("open");
    }
  }

  function open() {
    clearTimeout(hideTimer);
    var tip = activeTip();
    if (!tip) return;
    if (tip.hidden) {
      tip.hidden = false;
      active.classList.add("open");
    }
    place(active, tip);
  }

  function update() {
    clearTimeout(hideTimer);
    if (!active) return;
    if (!hovered && !focused && !pinned) dismissed = false; // the next one opens it again
    if (!dismissed && (hovered || focused || pinned)) open();
    else close();
  }

  // Positions through the CSSOM (allowed by any style-src), in viewport coordinates; the
  // measured origin corrects for an ancestor that makes a containing block (transform).
  function place(link, tip) {
    var viewWidth = document.documentElement.clientWidth;
    var viewHeight = window.innerHeight;
    tip.style.left = "0px";
    tip.style.top = "0px";
    var origin = tip.getBoundingClientRect();
    var box = link.getBoundingClientRect();
    var first = link.getClientRects()[0] || box; // a term wrapped over two lines
    var below = box.bottom + OFFSET;
    var above = box.top - OFFSET - origin.height;
    var fitsBelow = below + origin.height <= viewHeight - EDGE;
    var useAbove = !fitsBelow && (above >= EDGE || box.top > viewHeight - box.bottom);
    var left = Math.max(Math.min(first.left, viewWidth - EDGE - origin.width), EDGE);
    tip.style.left = Math.round(left - origin.left) + "px";
    tip.style.top = Math.round((useAbove ? above : below) - origin.top) + "px";
    tip.setAttribute("data-placement", useAbove ? "above" : "below");
  }

  function onLinkEnter(event) {
    if (event.pointerType === "touch") return; // taps: see onLinkClick
    var link = event.currentTarget;
    clearTimeout(showTimer);
    if (active === link && isOpen()) {
      hovered = true;
      update();
      return;
    }
    showTimer = setTimeout(function () {
      activate(link);
      hovered = true;
      update();
    }, SHOW_DELAY);
  }

  function onLinkLeave(event) {
    if (event.pointerType === "touch") return;
    clearTimeout(showTimer);
    if (active !== event.currentTarget) return;
    hovered = false;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(update, HIDE_DELAY);
  }

  function onTipEnter(event) {
    if (event.pointerType === "touch" || event.currentTarget !== activeTip()) return;
    clearTimeout(hideTimer);
    if (isOpen()) hovered = true;
  }

  function onTipLeave(event) {
    if (event.pointerType === "touch" || event.currentTarget !== activeTip()) return;
    hovered = false;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(update, HIDE_DELAY);
  }

  function onLinkFocus(event) {
    clearTimeout(showTimer);
    activate(event.currentTarget);
    focused = true;
    update();
  }

  function onLinkBlur(event) {
    if (active !== event.currentTarget) return;
    focused = false;
    update();
  }

  function onLinkClick(event) {
    // detail is 0 for a click from the keyboard (Enter): always follow the link then.
    var type = event.detail === 0 ? "" : event.pointerType || lastPointerType;
    lastPointerType = "";
    if (type !== "touch") return;
    var link = event.currentTarget;
    if (active === link && pinned && isOpen()) return; // second tap: follow the link
    event.preventDefault();
    clearTimeout(showTimer);
    activate(link);
    pinned = true;
    dismissed = false;
    update();
  }

  function listen() {
    // A press anywhere but on the open term or its tooltip closes it (tap elsewhere).
    document.addEventListener(
      "pointerdown",
      function (event) {
        lastPointerType = event.pointerType || "";
        if (!active) return;
        var path = event.composedPath();
        if (path.indexOf(active) !== -1 || path.indexOf(activeTip()) !== -1) return;
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
    function follow() {
      if (isOpen()) place(active, activeTip());
    }
    window.addEventListener("resize", follow);
    window.addEventListener("scroll", follow, { capture: true, passive: true });
  }

  // -- start ---------------------------------------------------------------------------

  var listening = false;

  // Links the first mentions under `roots` (elements) from `index` (the term index,
  // parsed); term addresses are resolved against `base`. Returns the links made.
  function link(roots, index, base) {
    var matcher = new Matcher(index, base || location.href);
    var links = apply(matcher.find(roots));
    if (links.length && !listening) {
      listening = true;
      listen();
    }
    return links;
  }

  function roots() {
    var selector = script.getAttribute("data-exosite-root");
    if (selector) return Array.prototype.slice.call(document.querySelectorAll(selector));
    var main = document.querySelector("main") || document.querySelector("article");
    return [main || document.body];
  }

  // The index of the language the tag asks for ("es", "es-MX"), else English's.
  function indexFor(indexes) {
    var asked = (script.getAttribute("data-lang") || "").toLowerCase().split(/[-_]/)[0];
    if (asked && !Object.prototype.hasOwnProperty.call(indexes, asked)) {
      console.warn("Exosite glossary: no glossary in language " + JSON.stringify(asked) + "; English used");
      asked = "";
    }
    return indexes[asked || "en"];
  }

  function start() {
    var indexUrl = new URL(indexFor(INDEXES), script.src).href;
    return fetch(indexUrl, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error("term index: HTTP " + response.status);
        return response.json();
      })
      .then(function (index) {
        return link(roots(), index, script.src).map(function (each) {
          return each.getRootNode().host.getAttribute("data-term");
        });
      });
  }

  namespace.glossary = { Matcher: Matcher, apply: apply, link: link };

  // Loaded from its address (not pasted inline, as benchmarks and tests do): run.
  if (script && script.src) {
    namespace.glossary.ready = new Promise(function (resolve) {
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", resolve, { once: true });
      } else {
        resolve();
      }
    })
      .then(start)
      .catch(function (error) {
        // A warning, not an error: the host page works the same without its links.
        console.warn("Exosite glossary: " + (error && error.message));
        return [];
      });
  }
})();
