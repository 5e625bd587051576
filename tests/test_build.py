"""End to end: the real edition built into a temporary folder, every page checked."""

from __future__ import annotations

import html as html_module
import itertools
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from support import (
    ROOT,
    SEEDS,
    count_class,
    front_matter,
    reading_text,
    seed_reading_text,
    set_front_matter_line,
)

from edition.dates import PartialDate
from edition.parallel import SERIAL, Workers
from edition.problems import BuildFailed
from edition.site import build_site

ARTICLE_DIR = ROOT / "content" / "artikel"
ARTICLES = sorted(ARTICLE_DIR.glob("*.md"))
ATOM = "{http://www.w3.org/2005/Atom}"


def article_page(site: Path, article: Path) -> str:
    """The HTML of an article's page."""
    return (site / "artikel" / article.stem / "index.html").read_text(encoding="utf-8")


def seed_of(article: Path) -> Path:
    """The seed file an article names in its front matter."""
    return SEEDS / re.search(r'^seed: "(.+)"$', article.read_text(encoding="utf-8"), re.M).group(1)


def test_every_page_is_written(built_site: Path) -> None:
    expected = {
        "index.html",
        "404.html",
        "ueber/index.html",
        "fuer-redaktionen/index.html",
        "chronik/index.html",
        "glossar/index.html",
        "robots.txt",
        ".nojekyll",
        "favicon.svg",
        "assets/style.css",
        "assets/favicon.svg",
    }
    expected |= {f"artikel/{a.stem}/index.html" for a in ARTICLES}
    written = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()}
    assert expected <= written


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_reading_text_is_exactly_the_seed(built_site: Path, article: Path) -> None:
    html = article_page(built_site, article)
    assert count_class(html, "article-body") == 1
    shown = reading_text(html)
    assert len(shown) > 1000 and shown == seed_reading_text(seed_of(article))


def test_every_html_page_speaks_german(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert html.startswith('<!DOCTYPE html>\n<html lang="de">'), page
        assert "<title>" in html and 'name="viewport"' in html


def article_date(article: Path) -> PartialDate:
    """The date an article's front matter gives."""
    return PartialDate.parse(str(front_matter(article)["date"]))


def test_article_pages_show_their_german_date_and_chain_in_time_order(built_site: Path) -> None:
    following: dict[str, str] = {}
    preceding: dict[str, str] = {}
    for article in ARTICLES:
        html = article_page(built_site, article)
        date = article_date(article)
        assert f'<time datetime="{date.iso()}">{date.german()}</time>' in html
        for rel, found in (("next", following), ("prev", preceding)):
            link = re.search(rf'href="\.\./\.\./artikel/([^/"]+)/" rel="{rel}"', html)
            if link:
                found[article.stem] = link.group(1)
    # one chain from the oldest to the newest: every article once, never a step back in time, links both ways
    [first] = [a.stem for a in ARTICLES if a.stem not in preceding]
    chain = [first]
    while chain[-1] in following:
        chain.append(following[chain[-1]])
    assert sorted(chain) == [a.stem for a in ARTICLES]
    dates = [article_date(ARTICLE_DIR / f"{slug}.md") for slug in chain]
    assert dates == sorted(dates)
    assert all(preceding[after] == before for before, after in itertools.pairwise(chain))


def test_front_page_lists_articles_oldest_first_with_summary(built_site: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    listed = [ARTICLE_DIR / f"{slug}.md" for slug in re.findall(r'href="artikel/([^/"]+)/"', html)]
    assert sorted(set(listed)) == ARTICLES
    first_links = list(dict.fromkeys(listed))
    assert [article_date(a) for a in first_links] == sorted(article_date(a) for a in first_links)
    text = html_module.unescape(html)
    for article in ARTICLES:
        assert front_matter(article)["summary"] in text
        date = article_date(article)
        assert f'<time datetime="{date.iso()}">{date.german()}</time>' in html


def test_about_page_has_highlighted_code(built_site: Path) -> None:
    html = (built_site / "ueber/index.html").read_text(encoding="utf-8")
    block = re.search(r'<pre><code class="language-bibtex">(.*?)</code></pre>', html, re.S).group(1)
    assert '<span class="' in block and "<div" not in block
    css = (built_site / "assets/code.css").read_text(encoding="utf-8")
    assert "prefers-color-scheme:dark" in css and 'code[class*="language-"] .k' in css
    assert 'href="../assets/code.css?v=' in html
    article = (built_site / "artikel/2019-04-gipfel-in-wladiwostok/index.html").read_text(encoding="utf-8")
    assert "code.css" not in article  # only pages with code load the code colours


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_original_caption_stands_inside_the_reading_text(built_site: Path, article: Path) -> None:
    html = article_page(built_site, article)
    caption = reading_text(html, "original-caption")
    if "\ncaption:" not in article.read_text(encoding="utf-8"):
        assert caption == ""
        return
    body = html[html.index('<div class="article-body">') :]
    assert body.index('class="original-caption"') < body.index("<p id=")  # inside the body, before the text
    assert "Foto:" in caption and seed_reading_text(seed_of(article)).startswith(caption)
    assert "Bildunterschrift im Original" not in caption  # the edition's label is marked as an addition


def test_a_build_without_public_address_names_no_address_of_this_machine(built_site: Path) -> None:
    assert not (built_site / "feed.xml").exists() and not (built_site / "sitemap.xml").exists()
    assert "Sitemap:" not in (built_site / "robots.txt").read_text()
    checked = 0
    for path in built_site.rglob("*"):
        if path.suffix in (".html", ".xml", ".txt", ".json", ".jsonld") and path.is_file():
            # Code examples in the editors' guide may name the preview's address; nothing else may.
            text = re.sub(r"<code>.*?</code>", "", path.read_text(encoding="utf-8"), flags=re.S)
            assert not re.search(r"https?://(127\.0\.0\.1|localhost)", text), path
            checked += 1
    assert checked > 70
    article = (built_site / "artikel/2019-04-gipfel-in-wladiwostok/index.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in article and "feed.xml" not in article


def test_feed_sitemap_and_robots_use_absolute_urls(subpath_site: Path) -> None:
    built_site = subpath_site / "edition"
    feed = ET.parse(built_site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    stamps = sorted((article_date(a).rfc3339() for a in ARTICLES), reverse=True)
    assert [e.find(f"{ATOM}updated").text for e in entries] == stamps[: len(entries)] and entries
    assert feed.find(f"{ATOM}updated").text == stamps[0]
    assert all(e.find(f"{ATOM}link").get("href").startswith("http://127.0.0.1/edition/artikel/") for e in entries)
    sitemap = ET.parse(built_site / "sitemap.xml").getroot()
    locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "http://127.0.0.1/edition/" in locations and len(locations) == len(list(built_site.rglob("index.html")))
    assert "Sitemap: http://127.0.0.1/edition/sitemap.xml" in (built_site / "robots.txt").read_text()


def test_base_url_reaches_404_feed_and_canonical(subpath_site: Path) -> None:
    site = subpath_site / "edition"
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert 'href="/edition/assets/style.css?v=' in not_found and 'href="/edition/"' in not_found
    assert '<link rel="canonical" href="http://127.0.0.1/edition/ueber/">' in (site / "ueber/index.html").read_text()


def test_builds_in_processes_with_different_hash_seeds_are_byte_identical(built_site: Path, tmp_path: Path) -> None:
    # Set and dict order of strings changes with PYTHONHASHSEED: the output may depend on none of it.
    builds = {
        seed: subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "build", "--jobs", "1", "--out", str(tmp_path / seed)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for seed in ("1", "2")  # side by side: each uses one core
    }
    for process in builds.values():
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors.decode()
    assert tree_bytes(tmp_path / "1") == tree_bytes(tmp_path / "2")
    assert tree_bytes(tmp_path / "1") == tree_bytes(built_site)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of a folder with its content."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_build_leaves_previous_site_untouched(project: Path) -> None:
    site = project / "site"
    build_site(project, site)
    before = tree_bytes(site)
    article = project / "content/artikel/2019-04-gipfel-in-wladiwostok.md"
    set_front_matter_line(article, "date", 'date: "2019-4"')
    (project / "content/artikel/kaputt.md").write_text("kein Kopf\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build_site(project, site)
    assert {p.file for p in failure.value.problems} == {
        "content/artikel/2019-04-gipfel-in-wladiwostok.md",
        "content/artikel/kaputt.md",
    }
    assert tree_bytes(site) == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []  # no half-written folders


def test_parallel_build_equals_serial_build(project: Path, tmp_path: Path) -> None:
    # Five articles would stay in one process: a threshold of one sends every article and page to a worker.
    build_site(project, tmp_path / "serial", use_cache=False, workers=SERIAL)
    build_site(project, tmp_path / "parallel", use_cache=False, workers=Workers(count=2, threshold=1))
    assert tree_bytes(tmp_path / "parallel") == tree_bytes(tmp_path / "serial")


@pytest.mark.parametrize("workers", [SERIAL, Workers(count=2, threshold=1)], ids=["serial", "parallel"])
def test_template_error_fails_without_touching_site(project: Path, workers: Workers) -> None:
    site = project / "site"
    build_site(project, site)
    before = tree_bytes(site)
    template = project / "templates/article.html"
    text = template.read_text(encoding="utf-8")
    line = text[: text.index("{{ article.title }}</h1>")].count("\n") + 1
    template.write_text(text.replace("{{ article.title }}</h1>", "{{ article.titel }}</h1>"))
    with pytest.raises(BuildFailed) as failure:
        build_site(project, site, workers=workers)
    [problem] = failure.value.problems
    assert problem.file == "templates/article.html" and problem.line == line and "titel" in problem.message
    assert tree_bytes(site) == before


def test_raw_html_in_content_is_escaped(project: Path) -> None:
    article = project / "content/artikel/2019-04-gipfel-in-wladiwostok.md"
    article.write_text(
        article.read_text(encoding="utf-8") + '\n<script>alert("x")</script>\n\nText <b onclick="x()">fett</b>\n',
        encoding="utf-8",
    )
    build_site(project, project / "site")
    html = (project / "site/artikel/2019-04-gipfel-in-wladiwostok/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<b " not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


class _Links(HTMLParser):
    """Every URL a page links to or loads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for attribute in ("href", "src"):
            if names.get(attribute):
                self.urls.append(names[attribute])
                if attribute == "src" or (tag == "link" and names.get("rel") in ("stylesheet", "icon", "preload")):
                    self.loads.append(names[attribute])


def links_of(html: str) -> _Links:
    """Parse a page's links."""
    parser = _Links()
    parser.feed(html)
    return parser


def test_every_internal_link_resolves_under_a_sub_path(subpath_url: str, subpath_site: Path) -> None:
    served_subpath = subpath_url
    origin = urlsplit(served_subpath)
    pages = [
        served_subpath + p.relative_to(subpath_site / "edition").as_posix().removesuffix("index.html")
        for p in (subpath_site / "edition").rglob("*.html")
    ]
    broken = []
    checked: set[str] = set()
    for page in pages:
        html = urllib.request.urlopen(page).read().decode("utf-8")
        for link in links_of(html).urls:
            target = urljoin(page, link).split("#")[0]
            if urlsplit(target).netloc not in (origin.netloc, "127.0.0.1") or target in checked:
                continue
            checked.add(target)
            if urlsplit(target).netloc == "127.0.0.1":  # canonical and feed links name the configured host
                target = target.replace("http://127.0.0.1/", f"http://{origin.netloc}/", 1)
            try:
                urllib.request.urlopen(target)
            except urllib.error.HTTPError as error:
                broken.append(f"{page} → {link} ({error.code})")
    assert broken == []
    assert len(checked) > 15


def test_pages_load_nothing_from_elsewhere(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        for url in links_of(page.read_text(encoding="utf-8")).loads:
            assert not re.match(r"(https?:)?//", url), f"{page}: {url}"
