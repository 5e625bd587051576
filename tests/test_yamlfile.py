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
        ("glossary.yaml", 5, "Der Schlüssel „juche“ steht hier zum zweiten Mal")
    ]
    assert "Zeile 1" in problems[0].hint


def test_syntax_error_names_line_and_gives_a_hint() -> None:
    _, problems = parse_yaml('title: "offen\nsummary: x\n', "content/artikel/a.md", line_offset=1)
    assert len(problems) == 1
    assert problems[0].message.startswith("YAML-Syntaxfehler")
    assert problems[0].line >= 2
    assert "Anführungszeichen" in problems[0].hint


def test_compiled_validator_agrees_with_jsonschema_on_valid_and_broken_documents() -> None:
    """The compiled schema (fast path) and jsonschema (messages) must give the same verdict."""
    import copy
    import json

    import fastjsonschema
    import yaml
    from support import ROOT

    from edition.schema import fast_validator, load_validator, schemas_version

    samples = {
        "glossary": [yaml.safe_load((ROOT / "glossary.yaml").read_text(encoding="utf-8"))],
        "notes": [
            yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "content/artikel").glob("*.notes.yaml")
        ],
        "article": [
            yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1])
            for p in (ROOT / "content/artikel").glob("*.md")
        ],
    }
    mutations = [
        lambda d: d | {"unbekannt": 1},
        lambda d: {k: (v * 200 if isinstance(v, str) else v) for k, v in d.items()},
        lambda d: {k: ([] if isinstance(v, str) else "x") for k, v in d.items()},
        lambda d: dict(list(d.items())[1:]),
        lambda d: json.loads(json.dumps(d).replace('"context"', '"kontext"').replace('"person"', '"Person"')),
        lambda d: json.loads(json.dumps(d).replace('"definition": "', '"definition": "' + "x" * 500)),
        lambda d: json.loads(json.dumps(d).replace('"lat": ', '"lat": 1')),
        lambda d: json.loads(json.dumps(d).replace('"url": "https', '"url": "javascript')),
        lambda d: json.loads(json.dumps(d).replace('"date": "20', '"date": "x20')),
    ]
    checked = 0
    for name, documents in samples.items():
        fast, thorough = fast_validator(name, schemas_version()), load_validator(name, schemas_version())
        for document in documents:
            for mutate in [lambda d: d, *mutations]:
                candidate = mutate(copy.deepcopy(document))
                try:
                    fast(candidate)
                    fast_ok = True
                except fastjsonschema.JsonSchemaException:
                    fast_ok = False
                assert fast_ok == (not list(thorough.iter_errors(candidate))), (
                    name,
                    candidate if len(str(candidate)) < 300 else "…",
                )
                checked += 1
    assert checked > 100
