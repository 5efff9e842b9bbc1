// "Look before you ask": while a visitor types a question, list published FAQ entries
// and glossary terms that may already answer it. Progressive enhancement: without this
// script the form works as a plain form. No inline script or style (strict CSP).
(function () {
  "use strict";

  var form = document.querySelector("form.ask-form[data-suggest-url]");
  if (!form || !window.fetch) return;
  var textarea = form.querySelector("textarea[name=question]");
  var panel = document.getElementById("ask-suggestions");
  var list = panel && panel.querySelector("ul");
  var counter = document.getElementById("question-counter");
  if (!textarea || !panel || !list) return;

  var url = form.getAttribute("data-suggest-url");
  var timer = null;
  var lastQuery = "";
  var controller = null;

  function words(text) {
    return text.trim().split(/\s+/).filter(function (w) { return w.length > 2; });
  }

  function render(results) {
    list.textContent = "";
    results.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " (" + item.kind + ")";
      li.appendChild(link);
      li.appendChild(kind);
      if (item.summary) {
        var summary = document.createElement("p");
        summary.textContent = item.summary;
        li.appendChild(summary);
      }
      list.appendChild(li);
    });
    panel.hidden = results.length === 0;
  }

  function lookUp() {
    var query = textarea.value.trim();
    if (words(query).length < 2) { render([]); lastQuery = ""; return; }
    if (query === lastQuery) return;
    lastQuery = query;
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(query.slice(0, 500)), {
      headers: { "Accept": "application/json" },
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { render(data.results || []); })
      .catch(function () { /* offline or aborted: the form still works */ });
  }

  function updateCounter() {
    if (!counter) return;
    var max = parseInt(textarea.getAttribute("maxlength"), 10);
    if (!max) return;
    var left = max - textarea.value.length;
    counter.hidden = left > 200;
    // The words come from the counter's data attributes, in the page's language.
    var count = Math.abs(left);
    var which = (left >= 0 ? "left" : "over") + (count === 1 ? "One" : "Other");
    var english = {
      leftOne: "1 character left",
      leftOther: "{n} characters left",
      overOne: "1 character too many",
      overOther: "{n} characters too many"
    };
    counter.textContent = (counter.dataset[which] || english[which]).replace("{n}", count);
  }

  textarea.addEventListener("input", function () {
    updateCounter();
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, 350);
  });
  updateCounter();
  if (textarea.value) lookUp();
})();
