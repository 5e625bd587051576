#!/usr/bin/env python3
"""Command line of the edition: `build` writes site/, `import` turns a raw news text into an article file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if sys.version_info < (3, 11):
    sys.exit("Die Ausgabe braucht Python 3.11 oder neuer.")

from edition.commands import run_build, run_import  # noqa: E402

ROOT = Path(__file__).resolve().parent


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """The commands and their options."""
    parser = argparse.ArgumentParser(prog="build.py", description="Die kommentierte Leseausgabe bauen und pflegen.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")

    build = commands.add_parser("build", help="die Website nach site/ bauen")
    build.add_argument("--out", type=Path, default=ROOT / "site", help="Zielordner (Standard: site/)")
    build.add_argument("--base-url", help="öffentliche Adresse, z. B. https://user.github.io/repo/")

    imp = commands.add_parser("import", help="einen Rohtext als Artikel nach content/artikel/ übernehmen")
    imp.add_argument("text", type=Path, help="Textdatei (UTF-8), z. B. ../shared/seeds/000_….txt")
    imp.add_argument("--title", required=True, help="Überschrift der Ausgabe (das Original hat keine)")
    imp.add_argument("--date", help="JJJJ-MM oder JJJJ-MM-TT, wenn der Text keine date-Zeile hat")
    imp.add_argument("--slug", help="Adresse artikel/<slug>/ (Standard: aus Datum und Überschrift)")
    imp.add_argument("--summary", help="Zusammenfassung in ein oder zwei Sätzen")
    imp.add_argument("--content", type=Path, default=ROOT / "content" / "artikel", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Run one command; return the process exit code."""
    args = parse_arguments(argv)
    if args.command == "build":
        return run_build(ROOT, args.out, base_url=args.base_url)
    return run_import(args.text, args.content, title=args.title, date=args.date, slug=args.slug,
                      summary=args.summary)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
