"""A small project for hostile-input tests: the real templates and stylesheet, one article with one note,
a glossary of two entries; small enough to build in a fraction of a second."""

from __future__ import annotations

import shutil
from pathlib import Path

from support import ROOT

SLUG = "2024-01-bericht"
ARTICLE = f"content/artikel/{SLUG}.md"
NOTES = f"content/artikel/{SLUG}.notes.yaml"

EDITION = """\
title: "Probe"
subtitle: "Eine kleine Ausgabe"
description: "Eine kleine Ausgabe für Tests."
url: "http://127.0.0.1:8000/"
publisher: "die Redaktion"
"""

FRONT_PAGE = """\
---
title: "Probe"
summary: "Eine kleine Ausgabe."
---

Das [Glossar](glossar:) erklärt die Namen.
"""

ARTICLE_TEXT = f"""\
---
title: "Putin trifft Kim"
summary: "Ein Treffen."
date: "2024-01"
slug: "{SLUG}"
---

Wladimir Putin traf Kim Jong Un in Pjöngjang. Putin sagte, es gibt viel zu besprechen.

Später sprach Putin erneut. Kim Jong Un hörte zu.
"""

NOTES_TEXT = """\
notes:
  - id: treffen
    kind: context
    quote: "traf Kim Jong Un in Pjöngjang"
    text: "Das Treffen fand im Januar statt."
    sources:
      - {title: "Eine Quelle", url: "https://example.org/quelle"}
links: []
"""

GLOSSARY = """\
wladimir-putin:
  term: Wladimir Putin
  kind: person
  forms: [Putin]
  definition: Russischer Präsident.
  sources:
    - {title: "Eine Quelle", url: "https://example.org/putin"}
kim-jong-un:
  term: Kim Jong Un
  kind: person
  definition: Nordkoreas Machthaber.
  sources:
    - {title: "Eine Quelle", url: "https://example.org/kim"}
"""


def make_project(folder: Path) -> Path:
    """Write the small project into `folder` and return it."""
    for name in ("templates", "static"):
        shutil.copytree(ROOT / name, folder / name)
    files = {
        "content/edition.yaml": EDITION,
        "content/startseite.md": FRONT_PAGE,
        ARTICLE: ARTICLE_TEXT,
        NOTES: NOTES_TEXT,
        "glossary.yaml": GLOSSARY,
        "README.md": "# Probe\n",
    }
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder
