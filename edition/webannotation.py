"""Open annotations: an article's anchored notes, cross-links and glossary links in, a W3C Web Annotation
collection (JSON-LD, one file per article) out, so other annotation tools can show them on any copy of the
text, the original publication included: each target is a TextQuoteSelector with exact words and context."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from .glossary import Entry
from .model import Article, Occurrence, Placed, Settings
from .notes import Annotations

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32
# What each kind of note does to its passage, in the model's motivations.
MOTIVATIONS = {"context": "describing", "update": "commenting", "correction": "editing", "source": "assessing"}


def quote_selector(inlines: Sequence[str], inline: int, start: int, end: int) -> dict[str, str]:
    """A TextQuoteSelector for words of an inline run, with up to 32 characters of context in that run."""
    text = inlines[inline - 1]
    selector = {"type": "TextQuoteSelector", "exact": text[start:end]}
    if start:
        selector["prefix"] = text[max(0, start - CONTEXT_CHARS) : start]
    if end < len(text):
        selector["suffix"] = text[end : end + CONTEXT_CHARS]
    return selector


def absolute(html: str, base: str) -> str:
    """Links in an article's HTML (relative to `artikel/<slug>/`) made absolute, for use elsewhere."""
    return html.replace('href="../../', f'href="{base}')


def annotation_collection(
    article: Article,
    settings: Settings,
    annotations: Annotations | None,
    placed: Sequence[Placed],
    note_texts: Mapping[str, str],
    terms: Sequence[Occurrence],
    entries: Mapping[str, Entry],
    articles: Mapping[str, Article],
    inlines: Sequence[str],
) -> dict[str, Any]:
    """The collection of an article's annotations, in reading order, as a JSON-LD document."""
    # Without a public address the IRIs are relative to this file (`annotationen/`), as JSON-LD allows.
    base = settings.url or "../"
    page = base + article.url
    own = f"{base}annotationen/{article.slug}.jsonld"
    creator = {"type": "Organization", "name": settings.publisher, "homepage": base}
    notes = {f"note:{n.id}": n for n in annotations.notes} if annotations else {}
    links = {f"link:{i}": link for i, link in enumerate(annotations.links)} if annotations else {}
    items: list[dict[str, Any]] = []
    for spot in sorted(placed, key=lambda p: p.number):
        target = {"source": page, "selector": quote_selector(inlines, spot.inline, spot.start, spot.end)}
        if spot.key in notes:
            note = notes[spot.key]
            body: list[dict[str, Any]] = [
                {
                    "type": "TextualBody",
                    "value": absolute(note_texts[spot.key], base),
                    "format": "text/html",
                    "language": "de",
                    "purpose": MOTIVATIONS[note.kind],
                }
            ]
            if note.correct:
                body.append(
                    {
                        "type": "TextualBody",
                        "value": note.correct,
                        "format": "text/plain",
                        "language": "de",
                        "purpose": "editing",
                    }
                )
            body += [
                {"type": "SpecificResource", "source": s.url, "purpose": "assessing"} for s in note.sources if s.url
            ]
            items.append(
                {
                    "id": f"{own}#anm-{spot.number}",
                    "type": "Annotation",
                    "motivation": MOTIVATIONS[note.kind],
                    "creator": creator,
                    "body": body,
                    "target": target,
                }
            )
        elif spot.key in links:
            other = articles[links[spot.key].article]
            items.append(
                {
                    "id": f"{own}#anm-{spot.number}",
                    "type": "Annotation",
                    "motivation": "linking",
                    "creator": creator,
                    "body": [
                        {"type": "SpecificResource", "source": base + other.url, "purpose": "linking"},
                        {
                            "type": "TextualBody",
                            "value": f"{other.title} ({other.date.german()})",
                            "format": "text/plain",
                            "language": "de",
                            "purpose": "describing",
                        },
                    ],
                    "target": target,
                }
            )
    for occurrence in (o for o in terms if o.tooltip):
        entry = entries[occurrence.entry]
        items.append(
            {
                "id": f"{own}#{occurrence.anchor}",
                "type": "Annotation",
                "motivation": "identifying",
                "creator": creator,
                "body": [
                    {"type": "SpecificResource", "source": base + entry.url, "purpose": "identifying"},
                    {
                        "type": "TextualBody",
                        "value": f"{entry.term}: {entry.definition}",
                        "format": "text/plain",
                        "language": "de",
                        "purpose": "describing",
                    },
                ],
                "target": {
                    "source": page,
                    "selector": quote_selector(inlines, occurrence.inline, occurrence.start, occurrence.end),
                },
            }
        )
    return {
        "@context": CONTEXT,
        "id": own,
        "type": "AnnotationCollection",
        "label": f"Anmerkungen der Leseausgabe zu „{article.title}“",
        "total": len(items),
        "first": {"id": f"{own}#seite-1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def to_json(document: dict[str, Any]) -> bytes:
    """Deterministic, compact JSON (without indentation json uses its C encoder, many times faster)."""
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
