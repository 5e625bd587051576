// The edition's one script, no library. Without it every page works: terms and cross-links are links,
// notes stand at the end with links back, definitions stand in the list below the article.
// With it:
// - glossary tooltips and link previews meet WCAG 2.2 SC 1.4.13: they open on hover, focus and tap,
//   stay while the pointer is on them, close with Esc, and sit inside the viewport beside their link;
// - notes stand in the margin beside their line on wide screens and open in place on narrow ones;
// - the reader chooses how many terms are explained (none, first mention, every mention);
// - citations get today's date and a copy button.
(function () {
  "use strict";
  var doc = document, html = doc.documentElement;
  html.classList.add("js");
  var base = (doc.querySelector('meta[name="edition-root"]') || {}).content || "";
  var wide = matchMedia("(min-width: 62rem)");
  var $ = function (selector) { return doc.querySelectorAll(selector); };
  var up = function (node, selector) { return node && node.closest ? node.closest(selector) : null; };
  var esc = function (text) {
    return String(text).replace(/[&<>"]/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  };

  // ---- Popups: one floating box for glossary tooltips and link previews ----

  var box = doc.createElement("div"), owner = null, timer = 0, previews = null, quiet = null;
  box.className = "popup";
  box.id = "popup";
  box.hidden = true;
  box.setAttribute("data-edition", "");
  var trigger = function (node) { return up(node, "a.term, a[data-preview]"); };
  var inBox = function (node) { return up(node, "#popup"); };

  function fill(link, done) {
    var tip = link.classList.contains("term") && doc.getElementById(link.getAttribute("aria-describedby"));
    if (tip) {
      // The definition already describes the term (aria-describedby); the box only shows it.
      return done("<strong>" + esc(tip.parentNode.querySelector("a").textContent) + "</strong> " + esc(tip.textContent), true);
    }
    previews = previews || fetch(base + "assets/previews.json").then(function (r) { return r.json(); })
      .catch(function () { return {}; });
    previews.then(function (data) {
      var item = data[link.getAttribute("data-preview")];
      if (item) done("<strong>" + esc(item.t) + "</strong> <span class=\"popup-date\">" + esc(item.d) + "</span> " + esc(item.s));
    });
  }

  function place(link) {
    // Below the link's last line, or above its first when there is no room below; shifted sideways to
    // stay inside the viewport; never over the link.
    var rects = link.getClientRects(), gap = 6, margin = 8;
    if (!rects.length) return;
    var first = rects[0], last = rects[rects.length - 1];
    box.style.maxWidth = Math.min(24 * parseFloat(getComputedStyle(html).fontSize), innerWidth - 2 * margin) + "px";
    var top = last.bottom + gap, height = box.offsetHeight;
    if (top + height > innerHeight - margin && first.top - gap - height >= margin) top = first.top - gap - height;
    box.style.top = top + "px";
    box.style.left = Math.max(margin, Math.min(last.left, innerWidth - margin - box.offsetWidth)) + "px";
  }

  function actions(link) {
    // After a tap the popup says where the link leads and how to close it: a tap has no hover to leave by.
    var entry = link.classList.contains("term") || /glossar\//.test(link.getAttribute("href"));
    return '<p class="popup-actions"><a href="' + esc(link.getAttribute("href")) + '">' +
      (entry ? "Zum Eintrag" : "Zum Artikel") + ' <span aria-hidden="true">→</span></a>' +
      '<button type="button" class="popup-close">Schließen</button></p>';
  }

  function show(link, tapped) {
    clearTimeout(timer);
    if (owner === link && (!tapped || box.classList.contains("is-tapped"))) return;
    hide();
    owner = link;
    fill(link, function (content, described) {
      if (owner !== link) return;
      if (!box.parentNode) doc.body.appendChild(box);
      box.innerHTML = content + (tapped ? actions(link) : "");
      box.classList.toggle("is-tapped", Boolean(tapped));
      // Shown for the eye only when the link's description already says it; with a link and a button
      // inside it is a plain group that a screen reader can enter.
      if (described && !tapped) box.setAttribute("aria-hidden", "true"); else box.removeAttribute("aria-hidden");
      if (tapped) box.removeAttribute("role"); else box.setAttribute("role", described ? "presentation" : "tooltip");
      if (!described) link.setAttribute("aria-describedby", "popup");  // a preview describes its link
      box.hidden = false;
      link.setAttribute("data-open", "");
      place(link);
    });
  }

  function hide() {
    clearTimeout(timer);
    if (!owner) return;
    if (owner.getAttribute("aria-describedby") === "popup") owner.removeAttribute("aria-describedby");
    owner.removeAttribute("data-open");
    owner = null;
    box.hidden = true;
  }

  var on = function (type, handler, capture) { doc.addEventListener(type, handler, capture); };
  on("pointerover", function (e) {
    if (e.pointerType === "touch") return;
    if (trigger(e.target)) show(trigger(e.target)); else if (inBox(e.target)) clearTimeout(timer);
  });
  on("pointerout", function (e) {
    var to = e.relatedTarget;
    if (e.pointerType === "touch" || !owner || !(trigger(e.target) || inBox(e.target))) return;
    if (to && (trigger(to) === owner || inBox(to))) return;
    // A moment's grace lets the pointer travel from the link onto its popup.
    if (doc.activeElement !== owner) timer = setTimeout(hide, 250);
  });
  on("focusin", function (e) {
    if (trigger(e.target)) { if (trigger(e.target) !== quiet) show(trigger(e.target)); } else if (!inBox(e.target)) hide();
  });
  on("focusout", function (e) {
    if (trigger(e.target) === owner) timer = setTimeout(hide, 250);
  });
  // A tap opens the popup, a second tap follows the link. Whether it was open is read at pointerdown,
  // before the tap's focus opens it.
  var tappedOpen = false, touch = false;
  on("pointerdown", function (e) {
    touch = e.pointerType === "touch";
    tappedOpen = Boolean(owner) && trigger(e.target) === owner;
  }, true);
  on("click", function (e) {
    var link = trigger(e.target), marker = up(e.target, "a.note-ref");
    if (link && touch && !tappedOpen) {
      e.preventDefault();
      show(link, true);
    } else if (up(e.target, ".popup-close")) {
      var from = owner;
      hide();
      quiet = from;  // focus returns to the term without opening the popup again
      if (from) from.focus();
      quiet = null;
    } else if (!link && owner && !inBox(e.target)) {
      hide();
    }
    if (marker && !wide.matches) {
      e.preventDefault();
      toggle(marker);
    }
  });
  addEventListener("resize", function () { if (owner) place(owner); });
  addEventListener("scroll", function () { if (owner) place(owner); }, { passive: true });

  // ---- Notes: beside their line on wide screens, a disclosure in place on narrow ones ----
  // On a wide screen each note starts on its marker's line, or just below the note above it; none is placed
  // below the article's last paragraph: a note without room shows its first sentence and „mehr“.

  var article = doc.querySelector(".article-body"), GAP = 12, SHORT = [120, 50, 12], opened = {}, lit = [];
  var markers = [].slice.call($(".article-body a.note-ref"));
  var byId = function (id) { return doc.getElementById(id); };
  var markerOf = function (note) { return byId("ref-" + note.id.slice(3)); };

  function shortEnd(full, limit) {
    // Where a shortened note ends: after its first sentence (a full stop after a word, before a capital, so
    // „am 25. April“ and „z. B.“ do not end it), or at the last word before `limit` characters; null when
    // the whole note is hardly longer.
    var walk = doc.createTreeWalker(full, 4), node, count = 0, total = 0, end = null, space = null, found, k;
    while ((node = walk.nextNode())) {
      if (up(node.parentNode, ".note-label, .note-number")) continue;
      total += node.data.length;
      if (end) continue;
      found = /[a-zäöüß]{3}[)“”"»]*[.!?][)“”"»]*(?=\s+[„"»(]?[A-ZÄÖÜ])/.exec(node.data);
      if (found && count + found.index + found[0].length <= limit) {
        end = { node: node, offset: found.index + found[0].length, at: count + found.index };
        continue;
      }
      for (k = 0; k < node.data.length && count + k <= limit; k++) {
        if (node.data[k] === " ") space = { node: node, offset: k, at: count + k, cut: true };
      }
      if ((count += node.data.length) > limit) end = space;
    }
    return end && total - end.at > 40 ? end : null;
  }

  function sidenote(marker) {
    // Made from the endnote: its text without sources and backlink, and shortened forms, each with „mehr“.
    var n = marker.id.slice(4), note = byId("sn-" + n), end = byId("anm-" + n), full, last = -1;
    if (note || !end) return note;
    note = doc.createElement("span");
    note.className = "sidenote";
    note.id = "sn-" + n;
    note.tabIndex = -1;
    note.setAttribute("role", "note");
    note.setAttribute("aria-label", "Anmerkung " + n);
    note.setAttribute("data-edition", "");
    note.innerHTML = '<span class="sidenote-full"><span class="note-number" aria-hidden="true">' + n + "</span> " +
      end.innerHTML + "</span>";
    full = note.firstChild;
    [].forEach.call(full.querySelectorAll(".note-sources, .backlink"), function (x) { x.remove(); });
    SHORT.forEach(function (limit) {
      var cut = shortEnd(full, limit), short = doc.createElement("span"), range = doc.createRange();
      if (!cut || cut.at === last) return;
      last = cut.at;
      range.setStart(full, 0);
      range.setEnd(cut.node, cut.offset);
      short.className = "sidenote-short";
      short.appendChild(range.cloneContents());
      short.insertAdjacentHTML("beforeend", (cut.cut ? " …" : "") + ' <button type="button" class="note-more" ' +
        'aria-label="mehr: Anmerkung ' + n + ' ganz lesen">mehr</button>');
      note.insertBefore(short, full);
    });
    marker.parentNode.appendChild(note);
    return note;
  }

  function expand(marker, open) {
    marker.setAttribute("aria-expanded", String(open));
    sidenote(marker).classList.toggle("is-open", open);
  }

  function toggle(marker) {
    expand(marker, marker.getAttribute("aria-expanded") !== "true");
  }

  function showForm(note, level) {
    // Level 0 is the whole note, 1 to 3 its ever shorter forms.
    note.classList.toggle("is-short", level > 0);
    [].forEach.call(note.querySelectorAll(".sidenote-short"), function (form, i) {
      form.classList.toggle("is-shown", i === level - 1);
    });
  }

  function stack(items, levels) {
    // Each note at its line or just below the one above; returns the tops and the last note's bottom.
    var tops = [], bottom = -Infinity;
    items.forEach(function (item, i) {
      tops.push(Math.max(item.want, bottom + GAP));
      bottom = tops[i] + item.heights[levels[i]];
    });
    return { tops: tops, bottom: bottom };
  }

  function layoutNotes() {
    var notes = markers.map(sidenote).filter(Boolean), shown = wide.matches && notes.length > 0;
    html.classList.toggle("sidenotes-on", shown);
    notes.forEach(function (note) { showForm(note, 0); note.style.top = note.style.width = ""; });
    if (!shown) return;
    // As wide as the room right of the text allows, up to 26rem: the wider, the fewer notes are shortened.
    var main = up(article, "main"), rem = parseFloat(getComputedStyle(html).fontSize);
    var room = main.getBoundingClientRect().right - rem - article.getBoundingClientRect().right - 2.6 * rem;
    notes.forEach(function (note) { note.style.width = Math.min(26 * rem, Math.max(19 * rem, room)) + "px"; });
    var origin = article.getBoundingClientRect().top, last = article.lastElementChild;
    while (last && !last.getClientRects().length) last = last.previousElementSibling;
    var limit = last.getBoundingClientRect().bottom - origin, levels = [], bottom = -Infinity, i, round;
    var items = notes.map(function (note) {
      var item = { note: note, want: markerOf(note).getBoundingClientRect().top - origin, heights: [] };
      for (var level = 0; level <= (opened[note.id] ? 0 : note.querySelectorAll(".sidenote-short").length); level++) {
        showForm(note, level);
        item.heights.push(note.offsetHeight);
      }
      return item;
    });
    // A note shortens when in full it would push the next one off that note's line, or pass the end.
    items.forEach(function (item, k) {
      var top = Math.max(item.want, bottom + GAP), next = k + 1 < items.length ? items[k + 1].want : limit + GAP;
      levels.push(item.heights.length > 1 && top + item.heights[0] + GAP > next ? 1 : 0);
      bottom = top + item.heights[levels[k]];
    });
    // While the notes would pass the end, shorten more, from the last note up: once, then twice, then thrice.
    var result = stack(items, levels);
    for (round = 1; round <= SHORT.length && result.bottom > limit; round++) {
      for (i = items.length - 1; result.bottom > limit && i >= 0; i--) {
        if (levels[i] < round && items[i].heights.length > round) {
          levels[i] = round;
          result = stack(items, levels);
        }
      }
    }
    // Then every note as long as it can be without moving any note below it or passing the end.
    items.forEach(function (item, k) {
      for (var level = 0; level < levels[k]; level++) {
        var trial = levels.slice(), moved = false;
        trial[k] = level;
        var next = stack(items, trial);
        for (i = k + 1; i < items.length; i++) moved = moved || next.tops[i] > result.tops[i] + 0.5;
        if (!moved && next.bottom <= Math.max(limit, result.bottom)) {
          levels = trial;
          result = next;
          break;
        }
      }
    });
    // From the end: pulled up only where the last paragraph's end would otherwise be passed.
    for (i = items.length - 1, bottom = limit; i >= 0; i--) {
      result.tops[i] = Math.max(0, Math.min(result.tops[i], bottom - items[i].heights[levels[i]]));
      bottom = result.tops[i] - GAP;
      showForm(items[i].note, levels[i]);
      items[i].note.style.top = Math.round(result.tops[i]) + "px";
    }
  }

  function prepareNotes() {
    markers.forEach(function (marker) {
      var note = sidenote(marker);
      if (note && wide.matches) {
        marker.removeAttribute("aria-expanded");
        marker.removeAttribute("aria-controls");
        note.classList.remove("is-open");
      } else if (note) {
        marker.setAttribute("aria-controls", note.id);
        if (!marker.hasAttribute("aria-expanded")) marker.setAttribute("aria-expanded", "false");
      }
    });
    layoutNotes();
  }

  // A marker and its sidenote light up together, whichever the reader points at or focuses.
  function light(e) {
    var marker = up(e.target, "a.note-ref"), note = up(e.target, ".sidenote");
    lit.forEach(function (x) { x.classList.remove("is-current"); });
    lit = marker ? [marker, byId("sn-" + marker.id.slice(4))] : note ? [markerOf(note), note] : [];
    lit.forEach(function (x) { if (x) x.classList.add("is-current"); });
  }
  on("pointerover", light);
  on("focusin", light);

  on("click", function (e) {
    var marker = up(e.target, "a.note-ref"), more = up(e.target, ".note-more"), note = up(more, ".sidenote");
    if (more) {
      opened[note.id] = true;
      layoutNotes();
      note.focus();
    } else if (marker && html.classList.contains("sidenotes-on")) {
      // The note stands beside its line: focus moves there instead of down to the endnote.
      e.preventDefault();
      sidenote(marker).focus();
    }
  });

  on("keydown", function (e) {
    var marker = up(e.target, "a.note-ref"), note = up(e.target, ".sidenote"), opener = note ? markerOf(note) : marker;
    if (marker && !wide.matches && e.key === " ") {
      e.preventDefault();
      toggle(marker);
    } else if (e.key === "Escape" && owner) {
      hide();  // Esc dismisses a popup without moving focus
    } else if (e.key === "Escape" && opener && (note || opener.getAttribute("aria-expanded") === "true")) {
      // Esc inside a note (or on its open marker) closes it on a narrow screen; focus returns to the marker.
      if (!wide.matches) expand(opener, false);
      opener.focus();
    }
  });
  if (wide.addEventListener) wide.addEventListener("change", prepareNotes);
  if (article) {
    prepareNotes();
    if (window.ResizeObserver) new ResizeObserver(layoutNotes).observe(article);
    if (doc.fonts) doc.fonts.ready.then(layoutNotes);
  }

  // ---- Annotation density: none, first mention (as built), every mention ----

  function swap(element, tag, className, entry) {
    var copy = doc.createElement(tag);
    copy.id = element.id;
    copy.className = className;
    copy.setAttribute("data-edition-wrap", "");
    if (tag === "a") {
      copy.href = base + "glossar/" + entry + "/";
      copy.setAttribute("aria-describedby", "tt-" + entry);
    }
    while (element.firstChild) copy.appendChild(element.firstChild);
    element.parentNode.replaceChild(copy, element);
  }

  var entryOf = function (element) { return element.id.replace(/^m-|-\d+$/g, ""); };

  function density(mode) {
    hide();
    [].forEach.call($(".article-body a.term-again"), function (x) { swap(x, "span", "mention"); });
    [].forEach.call($(".article-body span.term-off"), function (x) { swap(x, "a", "term", entryOf(x)); });
    [].forEach.call($(mode === "none" ? ".article-body a.term" : mode === "every" ? ".article-body span.mention" : "x-none"),
      function (x) {
        if (mode === "none") return swap(x, "span", "term-off");
        var entry = entryOf(x);
        if (!up(x, "h2, h3, h4") && doc.getElementById("tt-" + entry)) swap(x, "a", "term term-again", entry);
      });
    html.setAttribute("data-density", mode);
  }

  var stored = "first", control = doc.querySelector(".density");
  try { stored = localStorage.getItem("edition-density") || "first"; } catch (error) { /* storage blocked */ }
  if (stored !== "first") density(stored);
  if (control) {
    control.hidden = false;
    (control.querySelector('[value="' + stored + '"]') || {}).checked = true;
    control.addEventListener("change", function (e) {
      density(e.target.value);
      try { localStorage.setItem("edition-density", e.target.value); } catch (error) { /* storage blocked */ }
    });
  }

  // ---- Citations: today's date, this page's address where the build knew none, buttons to copy them,
  // and a citation of one paragraph from its ¶ permalink, in the same form ----

  var now = new Date(), two = function (n) { return (n < 10 ? "0" : "") + n; };
  var month = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
    "November", "Dezember"][now.getMonth()];
  var address = location.href.split("#")[0];
  [].forEach.call($("[data-access-date]"), function (x) {
    x.textContent = x.getAttribute("data-access-date") === "iso"
      ? now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate())
      : now.getDate() + ". " + month + " " + now.getFullYear();
  });
  [].forEach.call($("[data-page-address]"), function (x) { x.textContent = address; });
  var canonical = doc.querySelector('link[rel="canonical"]');
  if (canonical) address = canonical.href;

  function copy(button, text) {
    navigator.clipboard.writeText(text.trim()).then(function () { button.textContent = "Kopiert"; });
  }
  [].forEach.call($("button[data-copy]"), function (button) {
    button.hidden = !navigator.clipboard;
    button.addEventListener("click", function () {
      copy(button, doc.getElementById(button.getAttribute("data-copy")).textContent);
    });
  });

  var citation = doc.getElementById("zitat-text");
  function citeParagraph(permalink) {
    var paragraph = up(permalink, "p[id]");
    var number = [].indexOf.call($(".article-body > p[id]"), paragraph) + 1;
    var text = citation.textContent.replace(". " + address + ",", ", Absatz " + number + ". " + address + "#" + paragraph.id + ",");
    hide();
    owner = permalink;
    if (!box.parentNode) doc.body.appendChild(box);
    box.innerHTML = '<strong>Absatz ' + number + ' zitieren</strong><span class="popup-cite">' + esc(text) + "</span>" +
      '<p class="popup-actions">' + (navigator.clipboard ? '<button type="button" class="popup-copy">Kopieren</button>' : "") +
      '<button type="button" class="popup-close">Schließen</button></p>';
    box.classList.add("is-tapped");
    box.removeAttribute("aria-hidden");
    box.removeAttribute("role");
    box.hidden = false;
    place(permalink);
    var copier = box.querySelector(".popup-copy");
    if (copier) copier.addEventListener("click", function () { copy(copier, text); });
  }
  on("click", function (e) {
    var permalink = citation && up(e.target, ".article-body a.permalink");
    if (permalink) {
      // The address bar names the paragraph (the link's own work); the popup gives its citation.
      setTimeout(function () { citeParagraph(permalink); }, 0);
    }
  });
})();
