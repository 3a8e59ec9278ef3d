// T2: help articles matching the subject, shown as the customer types (no library).
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-url");
  var input = document.querySelector("[data-help-suggest]");
  var box = document.querySelector("[data-help-articles]");
  var list = document.querySelector("[data-help-list]");
  if (!url || !input || !box || !list) { return; }
  var timer = null;
  var last = "";
  function show(articles) {
    list.textContent = "";
    articles.forEach(function (article) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = article.url; link.textContent = article.title; link.target = "_blank"; link.rel = "noopener";
      item.appendChild(link);
      if (article.summary) {
        var summary = document.createElement("div");
        summary.className = "small text-muted"; summary.textContent = article.summary;
        item.appendChild(summary);
      }
      list.appendChild(item);
    });
    box.classList.toggle("d-none", articles.length === 0);
  }
  function ask() {
    var query = input.value.trim();
    if (query === last) { return; }
    last = query;
    if (query.length < 2) { show([]); return; }
    fetch(url + "?q=" + encodeURIComponent(query), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : {articles: []}; })
      .then(function (data) { if (input.value.trim() === query) { show(data.articles || []); } })
      .catch(function () { show([]); });
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 250); });
  ask();
})();
