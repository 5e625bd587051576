// The search page's script: loads Pagefind's search bundle (built with the site) only when the reader
// searches, lists the results grouped as articles, glossary entries and pages, each with the passage that
// matched, and suggests the nearest known word for a word the edition does not know. Works under any
// sub-path.
(function () {
  "use strict";
  var base = (document.querySelector('meta[name="edition-root"]') || {}).content || "";
  var form = document.querySelector(".search-form");
  var input = document.getElementById("suchbegriff");
  var status = document.querySelector(".search-status");
  var suggestion = document.querySelector(".search-suggestion");
  var list = document.querySelector(".search-results");
  // The groups, told apart by where a result lives (Pagefind's filter index is not the same from one
  // build to the next, and the edition's builds are byte for byte the same): heading, words for the count.
  var GROUPS = [
    { path: "artikel/", heading: "Artikel", one: "Artikel", many: "Artikel" },
    { path: "glossar/", heading: "Glossar", one: "Glossareintrag", many: "Glossareinträge" },
    { path: "", heading: "Seiten der Ausgabe", one: "Seite", many: "Seiten" }
  ];
  var SHOWN = 200;  // results whose passage is loaded and listed; the status says when there are more
  var ENDINGS = ["", "s", "es", "n", "en", "ns"];  // German endings a written form takes in the articles
  var engine = null, vocabulary = null, latest = 0, timer = 0;

  // An archive's index comes in parts (the page says how many): the list names their folders, the first
  // part is loaded and the others merged into it. An edition of one part has its bundle in pagefind/.
  var parts = Number((document.querySelector(".search") || { dataset: {} }).dataset.parts || 1);

  function partFolders() {
    if (parts <= 1) { return Promise.resolve(["pagefind/"]); }
    return fetch(new URL(base + "pagefind/teile.json", location.href).href).then(function (response) {
      if (!response.ok) { throw new Error("pagefind/teile.json: " + response.status); }
      return response.json();
    });
  }

  function load() {
    if (!engine) {
      // The bundle's result URLs start at the site root; tell it where that root lies on this server.
      var root = new URL(base || "./", location.href).pathname;
      engine = partFolders().then(function (folders) {
        return import(new URL(base + folders[0] + "pagefind.js", location.href).href).then(function (pagefind) {
          return pagefind.options({ baseUrl: root }).then(function () {
            return Promise.all(folders.slice(1).map(function (folder) {
              return pagefind.mergeIndex(new URL(base + folder, location.href).pathname, { baseUrl: root });
            }));
          }).then(function () { return pagefind; });
        });
      });
    }
    return engine;
  }

  function loadWords() {
    if (!vocabulary) {
      vocabulary = fetch(new URL(base + "assets/suchwoerter.json", location.href).href)
        .then(function (response) { return response.ok ? response.json() : []; })
        .catch(function () { return []; });
    }
    return vocabulary;
  }

  function fold(word) { return word.toLocaleLowerCase("de"); }

  function known(word, words) {
    return words.some(function (entry) {
      var w = fold(entry);
      return w.indexOf(word) === 0 || (word.indexOf(w) === 0 && ENDINGS.indexOf(word.slice(w.length)) >= 0);
    });
  }

  // Edit distance with transpositions (optimal string alignment): „Wladiwostock“ is 1 from „Wladiwostok“.
  function distance(a, b) {
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d[i] = [i]; }
    for (j = 0; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }

  function nearest(word, words) {
    var best = null, limit = Math.max(1, Math.floor(word.length / 4));
    words.forEach(function (entry) {
      var found = distance(word, fold(entry));
      if (found <= limit) { best = entry; limit = found - 1; }
    });
    return best;
  }

  // The query with each word the edition does not know replaced by the nearest one it knows; null if none.
  function suggest(query, words) {
    var changed = false;
    var text = query.replace(/[\p{L}]{4,}/gu, function (word) {
      var folded = fold(word);
      if (known(folded, words)) { return word; }
      var better = nearest(folded, words);
      if (!better) { return word; }
      changed = true;
      return better;
    });
    return changed ? text : null;
  }

  // Whether an excerpt marks a word that begins as a word of the query does (its first four letters, or all of
  // a shorter one: „Kim“, „2024“).
  function marksQueryWord(excerpt, query) {
    var asked = (query.match(/[\p{L}\p{N}]+/gu) || []).map(fold);
    return (excerpt.match(/<mark>[^<]*<\/mark>/g) || []).some(function (mark) {
      var word = fold(mark.slice(6, -7)).replace(/[^\p{L}\p{N}]/gu, "");
      return asked.some(function (a) { return word.length >= Math.min(4, a.length) && word.slice(0, 4) === a.slice(0, 4); });
    });
  }

  function showSuggestion(text) {
    suggestion.textContent = "";
    suggestion.hidden = !text;
    if (!text) { return; }
    var link = document.createElement("a");
    link.href = "?q=" + encodeURIComponent(text);
    link.textContent = text;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      input.value = text;
      run(text);
    });
    suggestion.append("Meinten Sie ", link, "?");
  }

  function renderGroup(group, shown) {
    var section = document.createElement("section");
    section.className = "result-group";
    var heading = document.createElement("h2");
    heading.id = "treffer-" + (group.path.replace("/", "") || "seiten");
    heading.textContent = group.heading + " (" + shown.length + ")";
    section.setAttribute("aria-labelledby", heading.id);
    var items = document.createElement("ol");
    shown.forEach(function (data) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = (data.meta && data.meta.title) || data.url;
      var excerpt = document.createElement("p");
      excerpt.innerHTML = data.excerpt;  // Pagefind escapes the text and marks the hits with <mark>
      item.append(link, excerpt);
      items.appendChild(item);
    });
    section.append(heading, items);
    return section;
  }

  function describe(query, outcome) {
    var listed = 0, parts = [];
    outcome.groups.forEach(function (g) {
      listed += g.shown.length;
      if (g.shown.length) { parts.push(g.shown.length + " " + (g.shown.length === 1 ? g.group.one : g.group.many)); }
    });
    if (!outcome.total) { return "Keine Treffer für „" + query + "“."; }
    return outcome.total + " Treffer für „" + query + "“: " + parts.join(", ") + "." +
      (listed < outcome.total ? " Aufgeführt sind die ersten " + listed + "." : "");
  }

  function render(query, outcome) {
    list.textContent = "";
    outcome.groups.forEach(function (g) {
      if (g.shown.length) { list.appendChild(renderGroup(g.group, g.shown)); }
    });
    status.textContent = describe(query, outcome);
    showSuggestion(outcome.better);
  }

  function run(query) {
    history.replaceState(null, "", "?q=" + encodeURIComponent(query));
    search(query);
  }

  function search(query) {
    var ticket = ++latest;
    query = query.trim();
    if (!query) {
      list.textContent = "";
      status.textContent = "";
      showSuggestion(null);
      return;
    }
    status.textContent = "Suche …";
    Promise.all([load(), loadWords()]).then(function (loaded) {
      var pagefind = loaded[0], words = loaded[1], better = suggest(query, words);
      return pagefind.search(query).then(function (found) {
        var results = found ? found.results : [];
        return Promise.all(results.slice(0, SHOWN).map(function (r) { return r.data(); })).then(function (loaded) {
          var root = new URL(base || "./", location.href).pathname;
          // A part that lacks a word answers with its loose match (shorter prefixes of it), where one index
          // would have had the word: of an index in parts, only results that mark a word of the query count.
          var shown = parts > 1 ? loaded.filter(function (data) { return marksQueryWord(data.excerpt, query); }) : loaded;
          var groups = GROUPS.map(function (group) { return { group: group, shown: [] }; });
          shown.forEach(function (data) {
            var path = data.url.indexOf(root) === 0 ? data.url.slice(root.length) : data.url;
            groups.find(function (g) { return path.indexOf(g.group.path) === 0; }).shown.push(data);
          });
          return { total: results.length - (loaded.length - shown.length), groups: groups };
        });
      }).then(function (outcome) {
        var groups = outcome.groups, total = outcome.total;
        // A word the edition does not know, and no result that marks a word like one of the query's: what
        // was found is noise of the loose match („W.“ for „Wladiwostock“), and the suggestion is the answer.
        var good = groups.some(function (g) {
          return g.shown.some(function (data) { return marksQueryWord(data.excerpt, query); });
        });
        if (better && !good) {
          groups = groups.map(function (g) { return { group: g.group, shown: [] }; });
          total = 0;
        }
        return { groups: groups, total: total, better: better };
      });
    }).then(function (outcome) {
      if (ticket === latest) { render(query, outcome); }
    }).catch(function () { status.textContent = "Die Suche ist gerade nicht verfügbar."; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(input.value);
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
