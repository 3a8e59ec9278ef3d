/* As-you-type suggestions for the header search box: from two letters, keyboard and touch. */
(function () {
  "use strict";
  // On a phone the goods filters start folded, so the results come first.
  var facets = document.querySelector("details[data-facets]");
  if (facets && window.matchMedia && window.matchMedia("(max-width: 600px)").matches && !/[?&](category|vendor|price_min|price_max|in_stock|installation|rating)=/.test(window.location.search)) {
    facets.open = false;
  }
  var form = document.querySelector("form.site-search[data-suggest-url]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var list = form.querySelector(".site-search__suggestions");
  var url = form.getAttribute("data-suggest-url");
  var timer = null, active = -1, items = [], lastAsked = "";
  form.style.position = "relative";

  function close() {
    list.hidden = true; list.innerHTML = ""; items = []; active = -1;
    input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant");
  }
  function highlight(index) {
    items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) { input.setAttribute("aria-activedescendant", items[index].id); }
  }
  function show(results) {
    list.innerHTML = ""; items = []; active = -1;
    if (!results.length) { close(); return; }
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "site-search-suggestion-" + i; li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false"); li.className = "site-search__suggestion";
      var a = document.createElement("a"); a.href = r.url; a.textContent = r.title; a.tabIndex = -1;
      var kind = document.createElement("small"); kind.textContent = r.kind_label || ""; kind.className = "text-muted";
      li.appendChild(a); li.appendChild(kind);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = r.url; });
      list.appendChild(li); items.push(li);
    });
    list.hidden = false; input.setAttribute("aria-expanded", "true");
  }
  function ask() {
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    if (q === lastAsked) { return; }
    lastAsked = q;
    fetch(url + "?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {results: []}; })
      .then(function (data) { if (data.q === input.value.trim()) { show(data.results); } })
      .catch(close);
  }
  input.addEventListener("input", function () { clearTimeout(timer); lastAsked = ""; timer = setTimeout(ask, 150); });
  input.addEventListener("keydown", function (e) {
    if (list.hidden || !items.length) { return; }
    if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % items.length); }
    else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].querySelector("a").href; }
    else if (e.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
