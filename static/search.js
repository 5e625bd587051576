// The search page's script: loads Pagefind's search bundle (built with the site) only when the reader
// searches, and lists the results with the sentence that matched. Works under any sub-path.
(function () {
  "use strict";
  var base = (document.querySelector('meta[name="edition-root"]') || {}).content || "";
  var form = document.querySelector(".search-form");
  var input = document.getElementById("suchbegriff");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var engine = null, latest = 0, timer = 0;

  function load() {
    if (!engine) {
      // The bundle's result URLs start at the site root; tell it where that root lies on this server.
      var root = new URL(base || "./", location.href).pathname;
      engine = import(new URL(base + "pagefind/pagefind.js", location.href).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: root }).then(function () { return pagefind; });
      });
    }
    return engine;
  }

  function render(query, results) {
    list.textContent = "";
    results.forEach(function (data) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = (data.meta && data.meta.title) || data.url;
      var excerpt = document.createElement("p");
      excerpt.innerHTML = data.excerpt;  // Pagefind escapes the text and marks the hits with <mark>
      item.appendChild(link);
      item.appendChild(excerpt);
      list.appendChild(item);
    });
    status.textContent = results.length
      ? results.length + (results.length === 1 ? " Treffer" : " Treffer") + " für „" + query + "“."
      : "Keine Treffer für „" + query + "“.";
  }

  function search(query) {
    var ticket = ++latest;
    query = query.trim();
    if (!query) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    status.textContent = "Suche …";
    load().then(function (pagefind) { return pagefind.search(query); })
      .then(function (found) { return Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); })); })
      .then(function (results) { if (ticket === latest) render(query, results); })
      .catch(function () { status.textContent = "Die Suche ist gerade nicht verfügbar."; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    search(input.value);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 250);
  });
  var query = new URLSearchParams(location.search).get("q");
  if (query) {
    input.value = query;
    search(query);
  }
})();
