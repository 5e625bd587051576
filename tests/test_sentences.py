"""Sentence splitting for the glossary's A–Z: abbreviations, initials and ordinals do not end a sentence."""

from __future__ import annotations

import pytest

from edition.sentences import first_sentence, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Er kam z. B. aus Moskau. Dann ging er.", ["Er kam z. B. aus Moskau.", "Dann ging er."]),
        ("Verbote u. a. von Kohle. Neu ist Nr. 5 der Liste.", ["Verbote u. a. von Kohle.", "Neu ist Nr. 5 der Liste."]),
        ("Rede von George W. Bush. Sie wirkte.", ["Rede von George W. Bush.", "Sie wirkte."]),
        ("Am 13. September 2023. Danach nicht.", ["Am 13. September 2023.", "Danach nicht."]),
        ("An der Macht seit 2011. Er ist der Dritte.", ["An der Macht seit 2011.", "Er ist der Dritte."]),
        (
            "Der 2. Weltkrieg endete 1945. Korea wurde geteilt.",
            ["Der 2. Weltkrieg endete 1945.", "Korea wurde geteilt."],
        ),
        ("Krieg mit den USA. Zuvor kam Dr. Meier.", ["Krieg mit den USA.", "Zuvor kam Dr. Meier."]),
        ("Er sagte: „Nein.“ Dann ging er!", ["Er sagte: „Nein.“", "Dann ging er!"]),
        ("Ohne Punkt am Ende", ["Ohne Punkt am Ende"]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_first_sentence_of_a_definition() -> None:
    text = "Schlagwort, mit dem US-Präsident George W. Bush im Januar 2002 Iran nannte. In westlichen Kommentaren."
    assert first_sentence(text) == "Schlagwort, mit dem US-Präsident George W. Bush im Januar 2002 Iran nannte."
