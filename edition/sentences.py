"""A plain German text in, its sentences out: a full stop after an abbreviation („z. B.“, „Nr.“), an
initial („George W. Bush“) or an ordinal („13. September“) does not end a sentence."""

from __future__ import annotations

import re

from .dates import GERMAN_MONTHS

# Candidate ends: . ! ? … with closing quotes or brackets, then space, then what can start a sentence.
CANDIDATE_END = re.compile(r"[.!?…][\"“”»«)’]*\s+(?=[A-ZÄÖÜ„\"»(0-9])")
# Abbreviations after which a full stop does not end a sentence, written without their dots and spaces,
# compared without case („z. B.“ is `zb`, „Nr.“ is `nr`).
ABBREVIATIONS = frozenset(
    [
        "abs",
        "bd",
        "bspw",
        "bzw",
        "ca",
        "chr",
        "dh",
        "dr",
        "evtl",
        "ggf",
        "hrsg",
        "inkl",
        "jh",
        "jhd",
        "jhs",
        "mio",
        "mrd",
        "nchr",
        "nr",
        "oä",
        "prof",
        "sog",
        "st",
        "str",
        "ua",
        "uä",
        "usw",
        "va",
        "vchr",
        "vgl",
        "zb",
        "zt",
        "zzt",
        "etc",
        "bzgl",
        "gegr",
        "geb",
        "gest",
    ]
)
# A word before a full stop, with the one-letter words joined to it by dots and spaces („z. B“, „u. a“).
_LAST_WORD = re.compile(r"((?:\b\w\.\s?)*\w+)$")
# Words after which a number with a full stop is an ordinal („3. September“), not a sentence's end.
FOLLOWING_ORDINALS = frozenset({*GERMAN_MONTHS, "Jahrhundert", "Jahrestag"})


def ends_sentence(text: str, stop: int, following: str) -> bool:
    """Whether the punctuation at `stop` ends a sentence, given the text before it and the word after it."""
    if text[stop] in "!?…":
        return True
    match = _LAST_WORD.search(text[:stop])
    if not match:
        return True
    word = match.group(1)
    compact = re.sub(r"[\s.]", "", word).casefold()
    if compact in ABBREVIATIONS:
        return False
    if re.fullmatch(r"\w\.", following) and compact + following[0].casefold() in ABBREVIATIONS:
        return False  # the first half of „z. B.“
    if len(word) == 1 and word.isalpha() and word.isupper():
        return False  # an initial: „George W. Bush“
    if word.isdigit():
        # „13. September“, „der 2. Weltkrieg“: a day or an ordinal; a year („seit 2011. Er …“) ends a sentence
        # unless a month follows it.
        return len(word) > 2 and following not in FOLLOWING_ORDINALS
    return True


def split_sentences(text: str) -> list[str]:
    """The text's sentences, each with its end punctuation, whitespace at their edges removed."""
    text = " ".join(text.split())
    sentences, start = [], 0
    for candidate in CANDIDATE_END.finditer(text):
        following = text[candidate.end() :].split(" ", 1)[0].strip('„"»(,;:')
        if ends_sentence(text, candidate.start(), following):
            sentences.append(text[start : candidate.end()].strip())
            start = candidate.end()
    rest = text[start:].strip()
    return [*sentences, rest] if rest else sentences


def first_sentence(text: str) -> str:
    """The first sentence of a text (all of it, if it has only one)."""
    found = split_sentences(text)
    return found[0] if found else ""
