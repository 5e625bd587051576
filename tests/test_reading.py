"""The reader's extras, as built: citable paragraphs, open annotations, previews data, search index, budgets."""

from __future__ import annotations

import json
import re
from pathlib import Path

from jsonschema import Draft202012Validator
from support import ROOT, normalize_space, reading_text

from edition.site import build_site

ARTICLES = sorted(p.stem for p in (ROOT / "content" / "artikel").glob("*.md"))
SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "web-annotation.schema.json").read_text(encoding="utf-8"))
# Raised from 60 KB with issue 13: the sidenotes' layout and shortened forms, popups with a way to the entry on
# touch, paragraph citations and the legend of the marks cost about 6 KB (after the script's names are shortened);
# the page's own HTML did not grow by more than 0.8 KB.
BUDGET = 64 * 1024
FONT_BUDGET = 120 * 1024  # counted apart: the same files serve every page, cached once


def page(site: Path, slug: str) -> str:
    """An article page."""
    return (site / "artikel" / slug / "index.html").read_text(encoding="utf-8")


def paragraph_ids(html: str) -> list[str]:
    """The ids of an article's paragraphs, in order."""
    return re.findall(r'<p (?:class="teaser" )?id="(a-[0-9a-f]{6}(?:-\d+)?)"', html)


def test_every_paragraph_has_an_id_and_a_permalink(built_site: Path) -> None:
    html = page(built_site, "2024-06-putin-in-pjoengjang")
    body = html[html.index('<div class="article-body">') : html.index('<section class="endnotes"')]
    ids = paragraph_ids(body)
    paragraphs = body.count("<p") - body.count('<p class="original-caption">')  # the caption is no paragraph
    assert len(ids) == paragraphs == 12 and len(set(ids)) == len(ids)
    for anchor in ids:
        assert f'<a class="permalink" href="#{anchor}" data-edition aria-label="Link zu diesem Absatz">¶</a>' in body


def test_paragraph_ids_survive_edits_elsewhere(project: Path) -> None:
    site = project / "site"
    build_site(project, site)
    before = paragraph_ids(page(site, "2019-04-gipfel-in-wladiwostok"))
    article = project / "content/artikel/2019-04-gipfel-in-wladiwostok.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace(
            "Das Gipfeltreffen zwischen Russland und Nordkorea wurde lange heimlich vorbereitet.",
            "Das Gipfeltreffen wurde lange vorbereitet.",
        ),
        encoding="utf-8",
    )
    (project / "content/artikel/2019-04-gipfel-in-wladiwostok.notes.yaml").unlink()
    build_site(project, site)
    after = paragraph_ids(page(site, "2019-04-gipfel-in-wladiwostok"))
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert len(before) == len(after) and changed == [1]


def test_citation_in_plain_text_and_bibtex(built_site: Path, subpath_site: Path) -> None:
    html = page(built_site, "2023-09-kim-in-russland-eingetroffen")
    cite = html[html.index('<details class="cite"') : html.index("</details>")]
    text = normalize_space(re.sub(r"<[^>]+>", "", cite))
    assert (
        "„Kim Jong Un in Russland eingetroffen, Treffen mit Putin im Fernen Osten angekündigt“ (Überschrift der "
        "Redaktion). Nachrichtentext vom September 2023, Medium nicht angegeben. In: Kim und Putin. Eine "
        "kommentierte Leseausgabe. Herausgeber: Redaktion der Leseausgabe. [Adresse dieser Seite], abgerufen am"
    ) in text
    assert "abgerufen am <span data-access-date>" in cite and "http" not in cite  # no address without --base-url
    assert "@misc{2023-09-kim-in-russland-eingetroffen," in cite and "month        = sep," in cite
    assert 'urldate      = {<span data-access-date="iso">' in cite
    assert ".txt" not in html and "Textvorlage" not in html  # the seed's file name is not a source
    pictured = page(built_site, "2024-06-putin-in-pjoengjang")
    assert "Foto: dpa/AP/Pool Sputnik Kremlin/Vladimir Smirnov. In: Kim und Putin." in pictured
    public = (subpath_site / "edition/artikel/2023-09-kim-in-russland-eingetroffen/index.html").read_text("utf-8")
    address = "http://127.0.0.1/edition/artikel/2023-09-kim-in-russland-eingetroffen/"
    assert f"Herausgeber: Redaktion der Leseausgabe. {address}, abgerufen am" in public
    assert f"url          = {{{address}}}," in public


def test_open_annotations_follow_the_web_annotation_model(subpath_site: Path) -> None:
    # The model wants absolute IRIs: a build with a public address has them (without, they are relative).
    built_site = subpath_site / "edition"
    validator = Draft202012Validator(SCHEMA)
    for slug in ARTICLES:
        html = page(built_site, slug)
        assert f'<link rel="alternate" type="application/ld+json" href="../../annotationen/{slug}.jsonld"' in html
        document = json.loads((built_site / "annotationen" / f"{slug}.jsonld").read_text(encoding="utf-8"))
        assert sorted(e.message for e in validator.iter_errors(document)) == []
        items = document["first"]["items"]
        assert document["total"] == len(items) >= 10
        text = reading_text(html)
        for item in items:
            selector = item["target"]["selector"]
            quoted = selector.get("prefix", "") + selector["exact"] + selector.get("suffix", "")
            assert normalize_space(quoted) in text, (slug, selector)
        kinds = {item["motivation"] for item in items}
        assert {"identifying", "describing"} <= kinds


def test_open_annotations_name_notes_links_and_terms(built_site: Path) -> None:
    document = json.loads((built_site / "annotationen/2024-06-putin-in-pjoengjang.jsonld").read_text(encoding="utf-8"))
    items = document["first"]["items"]
    correction = next(i for i in items if i["target"]["selector"]["exact"] == "Strukur")
    assert correction["motivation"] == "editing"
    assert {
        "type": "TextualBody",
        "value": "Struktur",
        "format": "text/plain",
        "language": "de",
        "purpose": "editing",
    } in correction["body"]
    link = next(i for i in items if i["motivation"] == "linking")
    assert link["body"][0]["source"] == "../artikel/2023-09-ankunft-im-fernen-osten/"  # relative to the file
    juche_free = [i for i in items if i["motivation"] == "identifying"]
    assert all(i["body"][0]["source"].startswith("../glossar/") for i in juche_free)


def test_previews_come_from_the_build(built_site: Path) -> None:
    previews = json.loads((built_site / "assets/previews.json").read_text(encoding="utf-8"))
    assert previews["artikel/2019-04-gipfel-in-wladiwostok/"] == {
        "t": "Kim Jong Un zum ersten Gipfel mit Putin in Wladiwostok eingetroffen",
        "d": "April 2019",
        "s": previews["artikel/2019-04-gipfel-in-wladiwostok/"]["s"],
    }
    assert previews["glossar/juche/"]["d"] == "Begriff"
    html = page(built_site, "2023-09-kim-in-russland-eingetroffen")
    assert 'data-preview="artikel/2019-04-gipfel-in-wladiwostok/"' in html


def test_search_index_covers_articles_notes_and_entries(built_site: Path) -> None:
    assert (built_site / "pagefind/pagefind.js").is_file()
    assert not list((built_site / "pagefind").glob("pagefind-ui*"))
    for slug in ARTICLES:
        assert "data-pagefind-body" in page(built_site, slug)
    assert "data-pagefind-body" in (built_site / "glossar/juche/index.html").read_text(encoding="utf-8")
    search = (built_site / "suche/index.html").read_text(encoding="utf-8")
    assert 'role="search"' in search and "search.js" in search
    article = page(built_site, "2019-04-gipfel-in-wladiwostok")
    assert "pagefind/" not in article and "search.js" not in article


def test_article_pages_stay_within_64_kb_of_html_css_and_javascript(built_site: Path) -> None:
    for slug in ARTICLES:
        html = page(built_site, slug)
        loaded = re.findall(r'<(?:link rel="stylesheet" href|script src)="\.\./\.\./([^"?]+)', html)
        weight = len(html.encode()) + sum((built_site / path).stat().st_size for path in loaded)
        assert "assets/style.css" in loaded and "assets/edition.js" in loaded
        assert weight <= BUDGET, f"{slug}: {weight} bytes"
    css = (built_site / "assets/style.css").read_text(encoding="utf-8")
    fonts = re.findall(r'url\("?(fonts/[^")]+\.woff2)', css)
    assert len(fonts) >= 3 and sum((built_site / "assets" / font).stat().st_size for font in fonts) <= FONT_BUDGET


def test_map_shows_the_places_named_in_the_articles(built_site: Path) -> None:
    html = (built_site / "karte/index.html").read_text(encoding="utf-8")
    svg = html[html.index("<svg") : html.index("</svg>")]
    for entry, name in [
        ("pjoengjang", "Pjöngjang"),
        ("chassan", "Chassan"),
        ("wladiwostok", "Wladiwostok"),
        ("insel-russky", "Insel Russky"),
        ("kosmodrom-wostotschny", "Kosmodrom Wostotschny"),
        ("moskau", "Moskau"),
    ]:
        assert re.search(
            rf'<a href="\.\./glossar/{entry}/">.*?<text class="map-label"[^>]*>{name}</text>', svg, re.S
        ), name
    assert svg.count('<path class="map-land"') > 10 and 'role="group"' in svg
    assert "Natural Earth" in html and "Washington" in html[html.index("</svg>") :]
    assert "<script" not in svg and "tile" not in html
