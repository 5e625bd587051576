#!/usr/bin/env python3
"""Command line of the edition: build the site, preview it live, check it, add articles, show statistics."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Said in words before any 3.11 syntax fails to import, for whoever runs an older Python.
if sys.version_info < (3, 11):  # noqa: UP036
    sys.exit("Die Ausgabe braucht Python 3.11 oder neuer.")

from edition import commands

HERE = Path(__file__).resolve().parent


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """The commands and their options."""
    parser = argparse.ArgumentParser(prog="build.py", description="Die kommentierte Leseausgabe bauen und pflegen.")
    parser.add_argument("--project", type=Path, default=HERE, help=argparse.SUPPRESS)
    commands_ = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")

    build = commands_.add_parser("build", help="die Website nach site/ bauen")
    build.add_argument("--out", type=Path, help="Zielordner (Standard: site/ im Projekt)")
    build.add_argument("--base-url", help="öffentliche Adresse, z. B. https://user.github.io/repo/")
    build.add_argument("--timings", action="store_true", help="die Dauer jeder Stufe des Baus zeigen")
    build.add_argument("--jobs", type=int, metavar="N", help="so viele Prozesse (Standard: alle Prozessorkerne)")

    serve = commands_.add_parser("serve", help="Live-Vorschau: bauen, ausliefern, bei jedem Speichern neu bauen")
    serve.add_argument("--host", default="127.0.0.1", help="Adresse (Standard: 127.0.0.1, nur dieser Rechner)")
    serve.add_argument("--port", type=int, default=8000, help="Port (Standard: 8000)")

    commands_.add_parser("check", help="alles prüfen, ohne site/ zu schreiben (Exit-Code 1 bei Fehlern)")
    commands_.add_parser("stats", help="Übersicht: Begriffe, Anmerkungen und Verweise je Artikel und Eintrag")

    new = commands_.add_parser("new", help="einen neuen Artikel mit ausgefülltem Kopf anlegen")
    new.add_argument("title", help="Überschrift der Ausgabe")
    new.add_argument("--date", required=True, help="JJJJ-MM oder JJJJ-MM-TT")
    new.add_argument("--slug", help="Adresse artikel/<slug>/ (Standard: aus Datum und Überschrift)")

    imp = commands_.add_parser("import", help="einen Rohtext als Artikel nach content/artikel/ übernehmen")
    imp.add_argument("text", type=Path, help="Textdatei (UTF-8), z. B. ../shared/seeds/000_….txt")
    imp.add_argument("--title", required=True, help="Überschrift der Ausgabe (das Original hat keine)")
    imp.add_argument("--date", help="JJJJ-MM oder JJJJ-MM-TT, wenn der Text keine date-Zeile hat")
    imp.add_argument("--slug", help="Adresse artikel/<slug>/ (Standard: aus Datum und Überschrift)")
    imp.add_argument("--summary", help="Zusammenfassung in ein oder zwei Sätzen")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Run one command; return the process exit code."""
    args = parse_arguments(argv)
    root = args.project.resolve()
    articles = root / "content" / "artikel"
    if args.command == "build":
        return commands.run_build(
            root, args.out or root / "site", base_url=args.base_url, timings=args.timings, jobs=args.jobs
        )
    if args.command == "serve":
        return commands.run_serve(root, root / "site", host=args.host, port=args.port)
    if args.command == "check":
        return commands.run_check(root)
    if args.command == "stats":
        return commands.run_stats(root)
    if args.command == "new":
        return commands.run_new(articles, title=args.title, date=args.date, slug=args.slug)
    return commands.run_import(
        args.text, articles, title=args.title, date=args.date, slug=args.slug, summary=args.summary
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
