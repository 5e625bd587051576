"""Each Markdown text of the edition in, its HTML out: an article's body with its terms marked, its notes
anchored and numbered and its endnotes, with the problems and warnings about its notes; the pages' texts
and the glossary's texts at each depth they appear at. Every function here is pure: the orchestrator decides
what is taken from the build cache (`article_inputs`, `TextJob`: what each result depends on)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt

from .markup import render_markdown
from .model import Article, Manuscript, Rendered
from .notes import Annotations, Request, unplaced_problems
from .problems import Problem
from .render import Renderer, root_for
from .resolve import Resolved
from .terms import TermMatcher


@dataclass(frozen=True)
class Endnote:
    """One note or cross-link as it stands at the end of its article: number and inner HTML."""

    number: int
    html: str


def render_text(
    md: MarkdownIt,
    text: str,
    *,
    root: str,
    file: str,
    first_line: int,
    problems: list[Problem],
    teaser: bool = False,
    inline: bool = False,
    requests: tuple[Request, ...] = (),
) -> Rendered:
    """Render one Markdown text for a page at depth `root`; its link problems go to `problems` with their line."""
    rendered, link_problems = render_markdown(
        md, text, root=root, teaser=teaser, inline=inline, requests=list(requests)
    )
    problems += [Problem(file, first_line + p.line, 1, p.message, p.hint) for p in link_problems]
    return rendered


def annotation_requests(
    article: Article,
    annotations: Annotations | None,
    resolved: Resolved,
    renderer: Renderer,
    text_md: MarkdownIt,
    problems: list[Problem],
) -> tuple[list[Request], dict[str, str], set[str], dict[str, str]]:
    """What to anchor in an article: each note and cross-link; the HTML of each as it stands at the end of
    the article; the articles they link to; and each note's text alone."""
    if annotations is None:
        return [], {}, set(), {}
    root = root_for(f"{article.url}index.html")
    requests, html, outbound, texts = [], {}, set(), {}
    for note in annotations.notes:
        text = render_text(
            text_md,
            note.text,
            root=root,
            file=annotations.file,
            first_line=note.text_line,
            problems=problems,
            inline=True,
        )
        outbound |= {link.split(":", 1)[1] for link in text.links if link.startswith("artikel:")}
        requests.append(Request(f"note:{note.id}", note.anchor))
        html[f"note:{note.id}"] = renderer.note(note, text.html, root)
        texts[f"note:{note.id}"] = text.html
    articles = resolved.by_slug
    for index, link in enumerate(annotations.links):
        if link.article in articles:
            outbound.add(link.article)
            requests.append(Request(f"link:{index}", link.anchor))
            html[f"link:{index}"] = renderer.cross_link(articles[link.article], root)
    return requests, html, outbound, texts


@dataclass(frozen=True)
class ArticleResult:
    """What rendering one article yields: its body, its endnotes, the articles it links to, its problems."""

    body: Rendered
    endnotes: tuple[Endnote, ...]
    outbound: frozenset[str]
    problems: tuple[Problem, ...]
    note_texts: tuple[tuple[str, str], ...] = ()  # each note's text as HTML, by key, for the open annotations


def render_article(
    article: Article,
    manuscript: Manuscript,
    annotations: Annotations | None,
    resolved: Resolved,
    renderer: Renderer,
    article_md: MarkdownIt,
    text_md: MarkdownIt,
) -> ArticleResult:
    """Render one article: its notes' texts, then its body with terms marked and notes anchored."""
    problems: list[Problem] = []
    requests, html, outbound, texts = annotation_requests(article, annotations, resolved, renderer, text_md, problems)
    body = render_text(
        article_md,
        manuscript.body,
        root=root_for(f"{article.url}index.html"),
        file=manuscript.source.file,
        first_line=manuscript.source.body_line,
        problems=problems,
        teaser=article.teaser,
        requests=tuple(requests),
    )
    if annotations:
        problems += unplaced_problems(annotations, body.unplaced)
    endnotes = tuple(Endnote(p.number, html[p.key]) for p in sorted(body.placed, key=lambda p: p.number))
    outbound |= {link.split(":", 1)[1] for link in body.links if link.startswith("artikel:")}
    return ArticleResult(body, endnotes, frozenset(outbound), tuple(problems), tuple(sorted(texts.items())))


def article_inputs(
    article: Article, resolved: Resolved, annotations: Annotations | None, matcher: TermMatcher
) -> tuple[object, ...]:
    """What rendering an article reads besides what every article shares: the article and its text, its
    notes, the glossary entries whose forms occur in it, the articles its cross-links show."""
    manuscript = resolved.edition.manuscripts[article.slug]
    entries = resolved.glossary.by_id
    used = [entries[e] for e in sorted(matcher.entries_in(manuscript.body))]
    articles = resolved.by_slug
    linked = sorted({link.article for link in annotations.links} & articles.keys()) if annotations else []
    return (article, manuscript, annotations, used, [articles[slug] for slug in linked])


@dataclass(frozen=True)
class TextJob:
    """A text of the edition's own pages (`kind` "page", or "intro" for the front page's) or of the glossary
    ("entry"), named by slug or id, to render for a page at depth `root`; `report` says whether its problems
    count (a glossary text appears at two depths, its problems once)."""

    kind: str
    name: str
    body: str
    root: str
    file: str
    first_line: int
    report: bool = True


def text_jobs(resolved: Resolved) -> list[TextJob]:
    """The texts to render: each page's, the front page's, and each glossary text at both depths."""
    intro = resolved.edition.intro
    return [
        *(
            TextJob("page", p.slug, p.body, root_for(f"{p.url}index.html"), p.source.file, p.source.body_line)
            for p in resolved.pages
        ),
        TextJob("intro", "", intro.body, "", intro.source.file, intro.source.body_line),
        *(
            TextJob("entry", entry.id, entry.text, root, resolved.glossary.file, entry.text_line, root == "../")
            for entry in resolved.glossary.entries
            if entry.text
            for root in ("../", "../../")
        ),
    ]


def render_job(md: MarkdownIt, job: TextJob) -> tuple[Rendered, tuple[Problem, ...]]:
    """One text rendered, with its link problems."""
    problems: list[Problem] = []
    rendered = render_text(md, job.body, root=job.root, file=job.file, first_line=job.first_line, problems=problems)
    return rendered, tuple(problems)


@dataclass(frozen=True)
class RenderedTexts:
    """Every Markdown text of the edition as HTML: article bodies with their endnotes, pages, and glossary
    texts per page depth; plus the articles each article links to."""

    articles: dict[str, Rendered]
    endnotes: dict[str, tuple[Endnote, ...]]
    note_texts: dict[str, dict[str, str]]
    outbound: dict[str, set[str]]
    pages: dict[str, Rendered]
    intro: Rendered
    entries: dict[tuple[str, str], Rendered]


def collect_texts(
    results: dict[str, ArticleResult], jobs: Sequence[TextJob], made: Sequence[tuple[Rendered, tuple[Problem, ...]]]
) -> tuple[RenderedTexts, list[Problem]]:
    """The rendered texts together, and every problem they reported."""
    problems = [p for result in results.values() for p in result.problems]
    problems += [p for job, (_, found) in zip(jobs, made, strict=True) if job.report for p in found]
    texts = {(job.kind, job.name, job.root): rendered for job, (rendered, _) in zip(jobs, made, strict=True)}
    return RenderedTexts(
        articles={slug: r.body for slug, r in results.items()},
        endnotes={slug: r.endnotes for slug, r in results.items()},
        note_texts={slug: dict(r.note_texts) for slug, r in results.items()},
        outbound={slug: set(r.outbound) for slug, r in results.items()},
        pages={name: text for (kind, name, _), text in texts.items() if kind == "page"},
        intro=texts[("intro", "", "")],
        entries={(name, root): text for (kind, name, root), text in texts.items() if kind == "entry"},
    ), problems


def without_problems(result: ArticleResult | tuple[Rendered, tuple[Problem, ...]]) -> bool:
    """Whether a result may be kept for later builds: one with problems is rendered again, to report them."""
    return not (result.problems if isinstance(result, ArticleResult) else result[1])


def annotation_warnings(resolved: Resolved, annotations: dict[str, Annotations], texts: RenderedTexts) -> list[Problem]:
    """Warnings about notes: an article without any, a quote that starts or ends exactly at its paragraph's
    edge (a changed paragraph break takes its anchor away)."""
    problems = []
    for article in resolved.timeline:
        found = annotations.get(article.slug)
        if not found or not found.notes:
            problems.append(
                Problem(
                    resolved.edition.manuscripts[article.slug].source.file,
                    1,
                    1,
                    "Der Artikel hat keine Anmerkungen",
                    f"Anmerkungen in content/artikel/{article.slug}.notes.yaml schreiben.",
                    "warning",
                )
            )
            continue
        notes = {f"note:{n.id}": n for n in found.notes}
        for placed in texts.articles[article.slug].placed:
            note = notes.get(placed.key)
            if note and placed.at_edge:
                problems.append(
                    Problem(
                        found.file,
                        note.line,
                        1,
                        f"Anmerkung „{note.id}“: Das Zitat reicht bis an den Rand seines Absatzes",
                        "Ändert sich dort der Absatzumbruch, findet die Anmerkung ihre Stelle nicht mehr; ein Zitat "
                        "aus dem Inneren des Absatzes wählen oder prefix:/suffix: ergänzen.",
                        "warning",
                    )
                )
    return problems
