// The search page's script: loads Pagefind's search bundle (built with the site) only when the reader
// searches, lists the results grouped as articles, glossary entries and pages, each with the passage that
// matched, twenty at a time, and suggests the nearest known word for a word the edition does not know. Works
// under any sub-path.
(function () {
  "use strict";
  var base = (document.querySelector('meta[name="edition-root"]') || {}).content || "";
  var form = document.querySelector(".search-form");
  var input = document.getElementById("suchbegriff");
  var status = document.querySelector(".search-status");
  var suggestion = document.querySelector(".search-suggestion");
  var list = document.querySelector(".search-results");
  var more = document.querySelector(".search-more");
  // The groups, told apart by where a result lives (Pagefind's filter index is not the same from one
  // build to the next, and the edition's builds are byte for byte the same): heading, words for the count.
  var GROUPS = [
    { path: "artikel/", heading: "Artikel", one: "Artikel", many: "Artikel" },
    { path: "glossar/", heading: "Glossar", one: "Glossareintrag", many: "Glossareinträge" },
    { path: "", heading: "Seiten der Ausgabe", one: "Seite", many: "Seiten" }
  ];
  // Results whose passage is loaded at a time (each passage is a request): the status says how many there
  // are, and the button under the list loads the next ones.
  var BATCH = 20;
  var ENDINGS = ["", "s", "es", "n", "en", "ns"];  // German endings a written form takes in the articles
  var engine = null, vocabulary = null, latest = 0, timer = 0, current = null;

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

  // Snowball's German stemmer, for how long a stem a word of the query has. Pagefind stems a word with it once
  // its diacritics are gone; its version also takes off „-et“ after some letters („eröffnet“: „eroffn“), which
  // this one leaves (1.4 % of the 8,570 forms with diacritics in the 10kGNAD corpus stem differently).
  var VOWELS = "aeiouyäöü";
  var S_ENDINGS = "bdfghklmnrt";
  var ST_ENDINGS = "bdfghklmnt";

  function isVowel(c) { return VOWELS.indexOf(c) >= 0; }

  // Where a region begins: after the first non-vowel that follows a vowel, from `from` on.
  function regionAfter(word, from) {
    for (var i = from + 1; i < word.length; i++) {
      if (!isVowel(word.charAt(i)) && isVowel(word.charAt(i - 1))) { return i + 1; }
    }
    return word.length;
  }

  // The longest of `suffixes` the word ends with, or "".
  function endingOf(word, suffixes) {
    var found = "";
    suffixes.forEach(function (s) {
      if (s.length > found.length && word.slice(-s.length) === s) { found = s; }
    });
    return found;
  }

  // The word prepared: u and y between vowels marked as consonants (upper case until the end), then ß written
  // ss, and ae, oe, ue (not after q) written ä, ö, ü.
  function prepared(word) {
    var out = word.split("");
    for (var i = 1; i < out.length - 1; i++) {
      if ((out[i] === "u" || out[i] === "y") && isVowel(out[i - 1]) && isVowel(out[i + 1])) {
        out[i] = out[i].toUpperCase();
      }
    }
    return out.join("").replace(/ß|qu|ae|oe|ue/g, function (pair) {
      return { "ß": "ss", qu: "qu", ae: "ä", oe: "ö", ue: "ü" }[pair];
    });
  }

  function stem(input) {
    var word = prepared(input.toLowerCase());
    var r1 = Math.max(3, regionAfter(word, 0));
    var r2 = regionAfter(word, regionAfter(word, 0));
    var end;

    // Step 1: inflection endings, and the female forms of nouns.
    end = endingOf(word, ["em", "ern", "er", "erin", "erinnen", "e", "en", "es", "s", "ln", "lns"]);
    if (end && word.length - end.length >= r1) {
      if (end === "s") {
        if (S_ENDINGS.indexOf(word.charAt(word.length - 2)) >= 0) { word = word.slice(0, -1); }
      } else if (end === "ln" || end === "lns") {
        word = word.slice(0, -end.length) + "l";
      } else if (end === "em" && word.slice(-6, -2) === "syst") {
        // „System“ keeps its ending
      } else {
        word = word.slice(0, -end.length);
        if ((end === "e" || end === "en" || end === "es") && word.slice(-4) === "niss") { word = word.slice(0, -1); }
      }
    }

    // Step 2: more inflection endings.
    end = endingOf(word, ["en", "er", "est", "st"]);
    if (end && word.length - end.length >= r1) {
      if (end !== "st") {
        word = word.slice(0, -end.length);
      } else if (ST_ENDINGS.indexOf(word.charAt(word.length - 3)) >= 0 && word.length - 3 >= 3) {
        word = word.slice(0, -2);
      }
    }

    // Step 3: derivational endings.
    end = endingOf(word, ["end", "ung", "ig", "ik", "isch", "lich", "heit", "keit"]);
    if (end && word.length - end.length >= r2) {
      var before = word.charAt(word.length - end.length - 1);
      if (end === "end" || end === "ung") {
        word = word.slice(0, -end.length);
        if (word.slice(-2) === "ig" && word.charAt(word.length - 3) !== "e" && word.length - 2 >= r2) {
          word = word.slice(0, -2);
        }
      } else if (end === "ig" || end === "ik" || end === "isch") {
        if (before !== "e") { word = word.slice(0, -end.length); }
      } else if (end === "lich" || end === "heit") {
        word = word.slice(0, -end.length);
        if (endingOf(word, ["er", "en"]) && word.length - 2 >= r1) { word = word.slice(0, -2); }
      } else {
        word = word.slice(0, -end.length);
        var also = endingOf(word, ["lich", "ig"]);
        if (also && word.length - also.length >= r2) { word = word.slice(0, -also.length); }
      }
    }

    return word.replace(/U/g, "u").replace(/Y/g, "y").replace(/ä/g, "a").replace(/ö/g, "o").replace(/ü/g, "u");
  }

  // A word as Pagefind compares it: lower case, without diacritics, ß as ss, letters and digits only.
  function plain(word) {
    return fold(word).normalize("NFD").replace(/\p{M}/gu, "").replace(/ß/g, "ss").replace(/[^\p{L}\p{N}]/gu, "");
  }

  function sharedStart(a, b) {
    var n = 0;
    while (n < a.length && n < b.length && a.charAt(n) === b.charAt(n)) { n += 1; }
    return n;
  }

  // The query's words, each with how many of its first letters a marked word must share: all of a short one
  // („Kim“, „2024“), of a longer one its stem but for three letters (which a newer stemmer may take off too:
  // „Regierungen“ finds „regierte“). Where a part of an index in parts lacks the word, Pagefind marks the
  // longest word the part has that begins the word's stem („melde“ for „Meldonium“), which shares fewer.
  function askedWords(query) {
    return (query.match(/[\p{L}\p{N}]+/gu) || []).map(function (word) {
      return { word: plain(word), shared: Math.min(word.length, Math.max(4, stem(plain(word)).length - 3)) };
    });
  }

  // Whether an excerpt marks a word that begins as one of the `asked` words does.
  function marksQueryWord(excerpt, asked) {
    return (excerpt.match(/<mark>[^<]*<\/mark>/g) || []).some(function (mark) {
      var word = plain(mark.slice(6, -7));
      return asked.some(function (a) { return sharedStart(word, a.word) >= a.shared; });
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

  // A group's section; each result's link goes into `links` at the result's place among the `kept` ones.
  function renderGroup(group, shown, kept, links) {
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
      links[kept.indexOf(data)] = link;
      var excerpt = document.createElement("p");
      excerpt.innerHTML = data.excerpt;  // Pagefind escapes the text and marks the hits with <mark>
      item.append(link, excerpt);
      items.appendChild(item);
    });
    section.append(heading, items);
    return section;
  }

  function groupsOf(kept) {
    var root = new URL(base || "./", location.href).pathname;
    var groups = GROUPS.map(function (group) { return { group: group, shown: [] }; });
    kept.forEach(function (data) {
      var path = data.url.indexOf(root) === 0 ? data.url.slice(root.length) : data.url;
      groups.find(function (g) { return path.indexOf(g.group.path) === 0; }).shown.push(data);
    });
    return groups;
  }

  function describe(search, groups) {
    var total = search.results.length - search.dropped, listed = search.kept.length, counts = [];
    groups.forEach(function (g) {
      if (g.shown.length) { counts.push(g.shown.length + " " + (g.shown.length === 1 ? g.group.one : g.group.many)); }
    });
    if (!total) { return "Keine Treffer für „" + search.query + "“."; }
    // Of an index in parts, the results not yet loaded may hold looser matches, which are left out once loaded.
    var found = (parts > 1 && search.examined < search.results.length ? "Bis zu " : "") + total + " Treffer für „" +
      search.query + "“";
    if (listed < total) { return found + "; aufgeführt sind die ersten " + listed + ": " + counts.join(", ") + "."; }
    return found + ": " + counts.join(", ") + ".";
  }

  // The results on screen, grouped; returns their links in the order of the results.
  function render(search) {
    var groups = groupsOf(search.kept), links = [];
    list.textContent = "";
    groups.forEach(function (g) {
      if (g.shown.length) { list.appendChild(renderGroup(g.group, g.shown, search.kept, links)); }
    });
    status.textContent = describe(search, groups);
    showSuggestion(search.better);
    more.hidden = search.examined >= search.results.length;
    return links;
  }

  // Loads passages until `wanted` results are kept or none are left. A part of an index in parts that lacks a
  // word answers with a looser match, where one index would have had the word: of an index in parts, only
  // results that mark a word of the query are kept.
  function fill(search, wanted) {
    if (search.kept.length >= wanted || search.examined >= search.results.length) { return Promise.resolve(search); }
    var batch = search.results.slice(search.examined, search.examined + wanted - search.kept.length);
    search.examined += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (loaded) {
      loaded.forEach(function (data) {
        if (parts > 1 && !marksQueryWord(data.excerpt, search.asked)) { search.dropped += 1; } else { search.kept.push(data); }
      });
      return fill(search, wanted);
    });
  }

  function run(query) {
    history.replaceState(null, "", "?q=" + encodeURIComponent(query));
    find(query);
  }

  function find(query) {
    var ticket = ++latest;
    query = query.trim();
    if (!query) {
      current = null;
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      showSuggestion(null);
      return;
    }
    current = null;
    more.hidden = true;
    status.textContent = "Suche …";
    Promise.all([load(), loadWords()]).then(function (loaded) {
      var pagefind = loaded[0], words = loaded[1];
      return pagefind.search(query).then(function (found) {
        var search = { query: query, asked: askedWords(query), results: found ? found.results : [], examined: 0,
          dropped: 0, kept: [], better: suggest(query, words) };
        return fill(search, BATCH);
      });
    }).then(function (search) {
      // A word the edition does not know, and no result that marks a word like one of the query's: what
      // was found is noise of the loose match („W.“ for „Wladiwostock“), and the suggestion is the answer.
      var good = search.kept.some(function (data) { return marksQueryWord(data.excerpt, search.asked); });
      if (search.better && !good) {
        search.results = [];
        search.kept = [];
        search.examined = search.dropped = 0;
      }
      if (ticket === latest) {
        current = search;
        render(search);
      }
    }).catch(function () {
      more.hidden = true;
      status.textContent = "Die Suche ist gerade nicht verfügbar.";
    });
  }

  // The next results; the first of them takes the focus, so that a keyboard goes on where the list grew.
  more.addEventListener("click", function () {
    var search = current;
    if (!search) { return; }
    var before = search.kept.length;
    more.disabled = true;
    fill(search, before + BATCH).then(function () {
      more.disabled = false;
      if (search !== current) { return; }
      var links = render(search);
      if (links[before]) { links[before].focus(); }
    }).catch(function () {
      more.disabled = false;
      status.textContent = "Die Suche ist gerade nicht verfügbar.";
    });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(input.value);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { find(input.value); }, 250);
  });
  var query = new URLSearchParams(location.search).get("q");
  if (query) {
    input.value = query;
    find(query);
  }
})();
