"""Partial dates: parsing, German wording, ordering."""

import pytest

from edition.dates import PartialDate


@pytest.mark.parametrize(
    "text, german, iso",
    [
        ("2023", "2023", "2023"),
        ("2023-09", "September 2023", "2023-09"),
        ("2024-03-05", "5. März 2024", "2024-03-05"),
        ("2024-02-29", "29. Februar 2024", "2024-02-29"),
    ],
)
def test_parse_and_write_german(text: str, german: str, iso: str) -> None:
    date = PartialDate.parse(text)
    assert date.german() == german
    assert date.iso() == iso


@pytest.mark.parametrize("text", ["2023-13", "2023-00", "2023-02-29", "2023-9", "23-09", "September 2023", ""])
def test_rejects_what_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_less_precise_sorts_first_within_its_period() -> None:
    assert sorted(map(PartialDate.parse, ["2023-09-12", "2023", "2023-09", "2019-04"])) == [
        PartialDate(2019, 4),
        PartialDate(2023),
        PartialDate(2023, 9),
        PartialDate(2023, 9, 12),
    ]


def test_feed_timestamp_takes_first_day() -> None:
    assert PartialDate.parse("2023-09").rfc3339() == "2023-09-01T00:00:00Z"
