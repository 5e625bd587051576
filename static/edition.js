// The edition's one script. Glossary tooltips that meet WCAG 2.2 SC 1.4.13 (dismissible with Esc,
// hoverable, persistent), open on tap, and stay inside the viewport without covering their term; and
// note markers that open their note in place on narrow screens (a disclosure with aria-expanded).
// Without it tooltips still open on hover and focus (CSS), every term links to its entry, sidenotes
// stand in the margin on wide screens and every marker links to its endnote.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var GAP = 6;          // px between term and tooltip
  var MARGIN = 8;       // px kept free at the viewport's edges
  var HIDE_DELAY = 250; // ms for the pointer to travel from term to tooltip
  var open = null;      // the term whose tooltip is shown
  var hideTimer = 0;

  function tooltipOf(term) {
    return document.getElementById(term.getAttribute("aria-describedby"));
  }

  function place(term, tip) {
    // Below the term's last line, or above its first when there is no room below; shifted sideways
    // to stay inside the viewport. Fixed positioning, so the numbers are viewport coordinates.
    var rects = term.getClientRects();
    var first = rects[0], last = rects[rects.length - 1];
    var remPx = parseFloat(getComputedStyle(root).fontSize) || 16;
    tip.style.maxWidth = Math.min(24 * remPx, window.innerWidth - 2 * MARGIN) + "px";
    var width = tip.offsetWidth;
    var height = tip.offsetHeight;
    var top = last.bottom + GAP;
    if (top + height > window.innerHeight - MARGIN && first.top - GAP - height >= MARGIN) {
      top = first.top - GAP - height;
    }
    var left = Math.max(MARGIN, Math.min(last.left, window.innerWidth - MARGIN - width));
    tip.style.top = top + "px";
    tip.style.left = left + "px";
  }

  function show(term) {
    clearTimeout(hideTimer);
    if (open && open !== term) hide();
    var tip = tooltipOf(term);
    if (!tip) return;
    open = term;
    tip.classList.add("is-open");
    term.setAttribute("data-open", "");
    place(term, tip);
  }

  function hide() {
    clearTimeout(hideTimer);
    if (!open) return;
    var tip = tooltipOf(open);
    if (tip) tip.classList.remove("is-open");
    open.removeAttribute("data-open");
    open = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  function termFrom(target) {
    return target && target.closest ? target.closest("a.term") : null;
  }

  document.addEventListener("pointerover", function (event) {
    if (event.pointerType === "touch") return;
    var term = termFrom(event.target);
    if (term) { show(term); return; }
    if (open && event.target.closest && event.target.closest(".tooltip.is-open")) clearTimeout(hideTimer);
  });

  document.addEventListener("pointerout", function (event) {
    if (event.pointerType === "touch" || !open) return;
    var leaving = termFrom(event.target) || (event.target.closest && event.target.closest(".tooltip"));
    var entering = event.relatedTarget;
    if (!leaving) return;
    if (entering && (termFrom(entering) === open || (entering.closest && entering.closest(".tooltip.is-open")))) return;
    if (document.activeElement !== open) hideSoon();
  });

  document.addEventListener("focusin", function (event) {
    var term = termFrom(event.target);
    if (term) show(term); else hide();
  });

  document.addEventListener("focusout", function (event) {
    if (termFrom(event.target) === open) hideSoon();
  });

  // A tap opens the tooltip; a second tap on the same term follows the link to the glossary.
  // Whether it was open is read at pointerdown, before the tap's focus opens it.
  var tappedOpen = false, lastPointer = "mouse";
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType;
    var term = termFrom(event.target);
    tappedOpen = Boolean(term) && term === open;
  }, true);

  document.addEventListener("click", function (event) {
    var term = termFrom(event.target);
    if (term && lastPointer === "touch" && !tappedOpen) {
      event.preventDefault();
      show(term);
      return;
    }
    if (!term && open && !(event.target.closest && event.target.closest(".tooltip"))) hide();
  });

  // Esc dismisses without moving focus.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) {
      hide();
    }
  });

  // Notes: on narrow screens the marker discloses its sidenote in place.
  var wide = window.matchMedia("(min-width: 62rem)");

  function noteOf(marker) {
    return document.getElementById("sn-" + marker.id.slice(4));
  }

  function setNote(marker, expanded) {
    marker.setAttribute("aria-expanded", String(expanded));
    noteOf(marker).classList.toggle("is-open", expanded);
  }

  function prepareMarkers() {
    var markers = document.querySelectorAll("a.note-ref");
    for (var i = 0; i < markers.length; i++) {
      if (wide.matches) {
        markers[i].removeAttribute("aria-expanded");
        markers[i].removeAttribute("aria-controls");
        noteOf(markers[i]).classList.remove("is-open");
      } else {
        markers[i].setAttribute("aria-controls", noteOf(markers[i]).id);
        if (!markers[i].hasAttribute("aria-expanded")) markers[i].setAttribute("aria-expanded", "false");
      }
    }
  }

  function toggleNote(marker) {
    setNote(marker, marker.getAttribute("aria-expanded") !== "true");
  }

  document.addEventListener("click", function (event) {
    var marker = event.target.closest ? event.target.closest("a.note-ref") : null;
    if (!marker || wide.matches) return;
    event.preventDefault();
    toggleNote(marker);
  });

  document.addEventListener("keydown", function (event) {
    var marker = event.target.closest ? event.target.closest("a.note-ref") : null;
    if (marker && !wide.matches && event.key === " ") {
      event.preventDefault();
      toggleNote(marker);
      return;
    }
    if (event.key !== "Escape" || wide.matches) return;
    // Esc inside an open note (or on its marker) closes it and returns focus to the marker.
    var note = event.target.closest ? event.target.closest(".sidenote.is-open") : null;
    var owner = note ? document.getElementById("ref-" + note.id.slice(3)) : marker;
    if (owner && owner.getAttribute("aria-expanded") === "true") {
      setNote(owner, false);
      owner.focus();
    }
  });

  if (wide.addEventListener) wide.addEventListener("change", prepareMarkers);
  prepareMarkers();

  function reposition() {
    if (open) place(open, tooltipOf(open));
  }
  window.addEventListener("resize", reposition);
  window.addEventListener("scroll", reposition, { passive: true });
})();
