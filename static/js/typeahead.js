/* Type-ahead for the search boxes: progressive enhancement of a plain GET form.
 *
 * Every <input data-suggest-url="..."> becomes an editable combobox with list
 * autocomplete (WAI-ARIA 1.2 combobox pattern, as in the APG "list autocomplete"
 * example): typing asks the JSON endpoint for matching titles (debounced; a newer
 * request aborts the older one), the suggestions show in a listbox under the box,
 *
 *   Down / Up       move through the suggestions (wrapping), shown with
 *                   aria-activedescendant while focus stays in the text box;
 *   Alt+Down        opens the list without moving;
 *   Enter           opens the highlighted suggestion, or submits the search as typed;
 *   Escape          closes the list, or (when closed) clears the box;
 *   Tab / blur      closes the list.
 *
 * Without JavaScript, or if the endpoint fails, the form simply submits to /search/.
 * CSP (script-src 'self', style-src 'self'): loaded from a file, no inline styles; the
 * list is shown and hidden with the hidden attribute and classes only.
 */
(function () {
  "use strict";

  var DEBOUNCE = 180; // ms after the last keystroke
  var MIN_CHARS = 2;

  function setup(input) {
    var url = input.getAttribute("data-suggest-url");
    var form = input.form;
    if (!url || !form || !window.fetch) {
      return;
    }
    var base = input.id || "search";
    var listbox = document.createElement("ul");
    listbox.id = base + "-suggestions";
    listbox.className = "typeahead-list";
    listbox.setAttribute("role", "listbox");
    // What the list says, in the page's language: attributes the template fills in
    // (templates/includes/typeahead_strings.html), English if a page has none.
    var said = function (name, english) {
      return input.getAttribute("data-suggest-" + name) || english;
    };
    listbox.setAttribute("aria-label", said("label", "Search suggestions"));
    listbox.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.classList.add("has-typeahead");
    form.appendChild(listbox);
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");

    var results = [];
    var active = -1;
    var timer = null;
    var controller = null;

    // A list the visitor closed (Escape, Tab, leaving the box) stays closed: suggestions
    // still on their way are dropped, not shown when they arrive.
    function stopAsking() {
      window.clearTimeout(timer);
      timer = null;
      if (controller) {
        controller.abort();
        controller = null;
      }
    }
    var cache = {};
    var shownFor = null;

    function options() {
      return listbox.querySelectorAll("[role='option']");
    }

    function open() {
      if (results.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function setActive(index) {
      var items = options();
      active = index;
      for (var i = 0; i < items.length; i += 1) {
        var selected = i === index;
        items[i].setAttribute("aria-selected", selected ? "true" : "false");
        items[i].classList.toggle("is-active", selected);
      }
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        if (items[index].scrollIntoView) {
          items[index].scrollIntoView({ block: "nearest" });
        }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    // The typed text shown in bold where a title starts with it (text nodes only).
    function label(title, typed) {
      var fragment = document.createDocumentFragment();
      var at = title.toLowerCase().indexOf(typed.toLowerCase());
      if (typed && at === 0) {
        var strong = document.createElement("strong");
        strong.textContent = title.slice(0, typed.length);
        fragment.appendChild(strong);
        fragment.appendChild(document.createTextNode(title.slice(typed.length)));
      } else {
        fragment.appendChild(document.createTextNode(title));
      }
      return fragment;
    }

    function render(query, items) {
      results = items;
      shownFor = query;
      listbox.textContent = "";
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listbox.id + "-" + i;
        option.className = "typeahead-option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.className = "typeahead-title";
        title.appendChild(label(item.title, query.trim()));
        var kind = document.createElement("span");
        kind.className = "typeahead-kind";
        kind.textContent = item.kind_label;
        option.appendChild(title);
        option.appendChild(document.createTextNode(" "));
        option.appendChild(kind);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the box until the click lands
        });
        option.addEventListener("click", function () {
          go(i);
        });
        listbox.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (items.length) {
        open();
        status.textContent =
          items.length === 1
            ? said("one", "1 suggestion. Use the up and down arrow keys to choose.")
            : said("other", "{n} suggestions. Use the up and down arrow keys to choose.")
                .replace("{n}", items.length);
      } else {
        close();
        status.textContent = "";
      }
    }

    function go(index) {
      var item = results[index];
      if (item) {
        close();
        // Counted as a pick of the item, nothing else sent (exosite/insight/middleware.py).
        if (navigator.sendBeacon) {
          navigator.sendBeacon(url, item.url);
        }
        window.location.assign(item.url);
      }
    }

    function fetchSuggestions(query) {
      if (cache.hasOwnProperty(query)) {
        render(query, cache[query]);
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      window
        .fetch(url + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: controller ? controller.signal : undefined,
        })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          var items = (data && data.results) || [];
          cache[query] = items;
          if (input.value.trim() === query) {
            render(query, items);
          }
        })
        .catch(function () {
          // Aborted or offline: the plain search still works.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < MIN_CHARS) {
        if (controller) {
          controller.abort();
        }
        results = [];
        shownFor = null;
        listbox.textContent = "";
        status.textContent = "";
        close();
        return;
      }
      timer = window.setTimeout(function () {
        fetchSuggestions(query);
      }, DEBOUNCE);
    });

    input.addEventListener("keydown", function (event) {
      var count = results.length;
      var isOpen = !listbox.hidden;
      switch (event.key) {
        case "ArrowDown":
          if (!count) {
            return;
          }
          event.preventDefault();
          if (!isOpen) {
            open();
            if (event.altKey) {
              return;
            }
          }
          setActive(active + 1 >= count ? 0 : active + 1);
          break;
        case "ArrowUp":
          if (!count) {
            return;
          }
          event.preventDefault();
          if (!isOpen) {
            open();
          }
          setActive(active <= 0 ? count - 1 : active - 1);
          break;
        case "Enter":
          if (isOpen && active >= 0) {
            event.preventDefault();
            go(active);
          }
          break;
        case "Escape":
          stopAsking();
          if (isOpen) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            results = [];
            listbox.textContent = "";
          }
          break;
        case "Tab":
          stopAsking();
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      stopAsking();
      close();
    });

    input.addEventListener("focus", function () {
      if (results.length && shownFor === input.value.trim()) {
        open();
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest-url]"), setup);
})();
