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

  var box = doc.createElement("div"), owner = null, timer = 0, previews = null;
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

  function show(link) {
    clearTimeout(timer);
    if (owner === link) return;
    hide();
    owner = link;
    fill(link, function (content, described) {
      if (owner !== link) return;
      if (!box.parentNode) doc.body.appendChild(box);
      box.innerHTML = content;
      if (described) box.setAttribute("aria-hidden", "true"); else box.removeAttribute("aria-hidden");
      box.setAttribute("role", described ? "presentation" : "tooltip");
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
    if (trigger(e.target)) show(trigger(e.target)); else if (!inBox(e.target)) hide();
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
      show(link);
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

  function sidenote(marker) {
    var n = marker.id.slice(4), note = doc.getElementById("sn-" + n), end = doc.getElementById("anm-" + n);
    if (note || !end) return note;
    note = doc.createElement("span");
    note.className = "sidenote";
    note.id = "sn-" + n;
    note.setAttribute("role", "note");
    note.setAttribute("aria-label", "Anmerkung " + n);
    note.setAttribute("data-edition", "");
    note.innerHTML = '<span class="note-number" aria-hidden="true">' + n + "</span> " + end.innerHTML;
    [].forEach.call(note.querySelectorAll(".note-sources, .backlink"), function (x) { x.remove(); });
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

  function prepareNotes() {
    [].forEach.call($("a.note-ref"), function (marker) {
      var note = sidenote(marker);
      if (!note) return;
      if (wide.matches) {
        marker.removeAttribute("aria-expanded");
        marker.removeAttribute("aria-controls");
        note.classList.remove("is-open");
      } else {
        marker.setAttribute("aria-controls", note.id);
        if (!marker.hasAttribute("aria-expanded")) marker.setAttribute("aria-expanded", "false");
      }
    });
  }

  on("keydown", function (e) {
    var marker = up(e.target, "a.note-ref");
    if (marker && !wide.matches && e.key === " ") {
      e.preventDefault();
      toggle(marker);
    } else if (e.key === "Escape" && owner) {
      hide();  // Esc dismisses a popup without moving focus
    } else if (e.key === "Escape") {
      // Esc inside an open note (or on its marker) closes it and returns focus to the marker.
      var note = up(e.target, ".sidenote.is-open");
      var opener = note ? doc.getElementById("ref-" + note.id.slice(3)) : marker;
      if (opener && opener.getAttribute("aria-expanded") === "true") {
        expand(opener, false);
        opener.focus();
      }
    }
  });
  if (wide.addEventListener) wide.addEventListener("change", prepareNotes);
  prepareNotes();

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

  // ---- Citations: today's date, and buttons to copy them ----

  var now = new Date(), two = function (n) { return (n < 10 ? "0" : "") + n; };
  var month = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
    "November", "Dezember"][now.getMonth()];
  [].forEach.call($("[data-access-date]"), function (x) {
    x.textContent = x.getAttribute("data-access-date") === "iso"
      ? now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate())
      : now.getDate() + ". " + month + " " + now.getFullYear();
  });
  [].forEach.call($("button[data-copy]"), function (button) {
    button.hidden = !navigator.clipboard;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(doc.getElementById(button.getAttribute("data-copy")).textContent.trim())
        .then(function () { button.textContent = "Kopiert"; });
    });
  });
})();
