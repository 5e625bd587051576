"""The YAML reader: positions for messages, duplicate keys, no surprise types."""

from edition.yamlfile import parse_yaml


def test_values_keep_their_line_and_column() -> None:
    document, problems = parse_yaml("a: 1\nlist:\n  - x\n  - {key: y}\n", "f.yaml")
    assert problems == []
    assert document.where(("list", 1, "key")) == (4, 11)
    assert document.where(("missing", "deeper")) == (1, 1)


def test_dates_stay_strings_and_no_is_not_false() -> None:
    document, _ = parse_yaml("date: 2023-09-12\nform: No\nother: yes\nflag: true\n", "f.yaml")
    assert document.data == {"date": "2023-09-12", "form": "No", "other": "yes", "flag": True}


def test_duplicate_key_is_reported_at_its_second_line() -> None:
    _, problems = parse_yaml("juche:\n  term: A\nkim:\n  term: B\njuche:\n  term: C\n", "glossary.yaml")
    assert [(p.file, p.line, p.message) for p in problems] == [
        ("glossary.yaml", 5, "Der Schlüssel „juche“ steht hier zum zweiten Mal")]
    assert "Zeile 1" in problems[0].hint


def test_syntax_error_names_line_and_gives_a_hint() -> None:
    _, problems = parse_yaml("title: \"offen\nsummary: x\n", "content/artikel/a.md", line_offset=1)
    assert len(problems) == 1
    assert problems[0].message.startswith("YAML-Syntaxfehler")
    assert problems[0].line >= 2
    assert "Anführungszeichen" in problems[0].hint
