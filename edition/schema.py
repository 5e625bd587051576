"""JSON Schemas from `schemas/` in, problems at the YAML line out: the schema decides what is valid."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from .cache import BuildCache, fingerprint
from .problems import Problem
from .yamlfile import YamlDocument, parse_yaml

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def schemas_version() -> tuple[int, ...]:
    """When the schema files last changed: part of every memo key, so an edited schema is read again."""
    return tuple(path.stat().st_mtime_ns for path in sorted(SCHEMA_DIR.glob("*.schema.json")))


@lru_cache(maxsize=1 << 16)
def read_checked(
    text: str, file: str, schema: str, line_offset: int = 0, version: tuple[int, ...] = ()
) -> tuple[YamlDocument, tuple[Problem, ...]]:
    """Parse YAML and check a mapping against `schemas/<schema>.schema.json`; each distinct text is parsed and
    checked once per process (the live preview rebuilds on every save). Callers treat the document as read-only."""
    document, problems = parse_yaml(text, file, line_offset=line_offset)
    if problems or not isinstance(document.data, dict):
        return document, tuple(problems)
    return document, tuple(check_against_schema(document, schema))


def load_checked(
    text: str, file: str, schema: str, line_offset: int = 0, cache: BuildCache | None = None
) -> tuple[YamlDocument, list[Problem]]:
    """`read_checked` for the current schema files; with a build cache, a text checked by an earlier build
    is taken from it (a build of thousands of files spends most of its loading in YAML and schemas)."""
    version = schemas_version()
    if cache is None:
        document, problems = read_checked(text, file, schema, line_offset, version)
        return document, list(problems)
    key = fingerprint("checked", text, file, schema, line_offset, version)
    cache.mark_used(key)
    found = cache.get(key)
    if not (isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], YamlDocument)):
        found = read_checked(text, file, schema, line_offset, version)
        cache.put_many({key: found})
    return found[0], list(found[1])


@cache
def load_registry(version: tuple[int, ...] = ()) -> Registry:
    """Every schema of `schemas/` by its `$id`, so one schema can use another's definitions."""
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


@cache
def load_validator(name: str, version: tuple[int, ...] = ()) -> Draft202012Validator:
    """The validator for `schemas/<name>.schema.json`."""
    registry = load_registry(version)
    return Draft202012Validator(registry.contents(f"{name}.schema.json"), registry=registry)


def bundled(name: str, version: tuple[int, ...]) -> dict[str, Any]:
    """A schema with the definitions it takes from `common.schema.json` copied in, so it stands alone."""
    registry = load_registry(version)
    common = registry.contents("common.schema.json")["$defs"]

    def local(value: Any) -> Any:
        text = json.dumps(value).replace('"common.schema.json#/$defs/', '"#/$defs/common-')
        return json.loads(text.replace('"#/$defs/', '"#/$defs/common-') if value is not own else text)

    own = registry.contents(f"{name}.schema.json")
    schema = local(own)
    schema.setdefault("$defs", {}).update({f"common-{key}": local(definition) for key, definition in common.items()})
    # The compiler speaks draft 7, where `$ref` hides the keywords beside it; wrapped in `allOf`, they count
    # as in 2020-12. Every other keyword the edition's schemas use means the same in both.
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return _ref_with_siblings(schema)


def _ref_with_siblings(value: Any) -> Any:
    """Rewrite `{"$ref": r, k: v}` as `{"allOf": [{"$ref": r}], k: v}`, everywhere in a schema."""
    if isinstance(value, list):
        return [_ref_with_siblings(item) for item in value]
    if not isinstance(value, dict):
        return value
    rewritten = {key: _ref_with_siblings(item) for key, item in value.items()}
    if "$ref" in rewritten and len(rewritten) > 1:
        rewritten["allOf"] = [{"$ref": rewritten.pop("$ref")}, *rewritten.get("allOf", [])]
    return rewritten


@cache
def fast_validator(name: str, version: tuple[int, ...] = ()) -> Callable[[Any], Any]:
    """The same schema compiled to Python (fastjsonschema): a quick yes or no, fifteen times faster."""
    return fastjsonschema.compile(bundled(name, version))


def check_against_schema(document: YamlDocument, name: str) -> list[Problem]:
    """Every schema violation in `document`, in German, located at the offending YAML line.

    Valid documents (nearly all) pass the compiled validator; only a failure is explained by jsonschema,
    whose errors name the path of every violation."""
    try:
        fast_validator(name, schemas_version())(document.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    validator = load_validator(name, schemas_version())
    errors = sorted(validator.iter_errors(document.data), key=lambda e: list(map(str, e.absolute_path)))
    return [_problem_for(document, error) for error in _leaf_errors(errors)]


def _leaf_errors(errors: list[ValidationError]) -> list[ValidationError]:
    """Replace `oneOf`/`anyOf` failures by their most specific cause, so the message says what to fix."""
    leaves: list[ValidationError] = []
    for error in errors:
        if error.context:
            best = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.context or [])))
            leaves.extend(_leaf_errors([best]))
        else:
            leaves.append(error)
    return leaves


def _describe(schema: Any) -> str:
    """The schema's own German description of a value, as a hint."""
    return schema.get("description", "") if isinstance(schema, dict) else ""


def _problem_for(document: YamlDocument, error: ValidationError) -> Problem:
    """Translate one jsonschema error into a German message with a hint."""
    path = tuple(error.absolute_path)
    name = f"„{path[-1]}“" if path and isinstance(path[-1], str) else "Der Wert"
    validator, expected = error.validator, error.validator_value
    hint = _describe(error.schema)
    if "propertyNames" in error.schema_path:
        return document.problem(
            (*path, error.instance),
            f"„{error.instance}“ ist als Kennung nicht erlaubt",
            hint or "Kleinbuchstaben a–z, Ziffern und Bindestriche.",
            key=True,
        )
    if validator == "required":
        missing = error.message.split("'")[1]
        prop = error.schema.get("properties", {}).get(missing, {})
        if not prop and isinstance(error.instance, dict) and "kind" in error.instance:
            return document.problem(
                path,
                f"Pflichtfeld „{missing}“ fehlt (nötig bei kind: {error.instance['kind']})",
                'written: "JJJJ-MM" bei Nachträgen, correct: … bei Korrekturen.',
            )
        return document.problem(path, f"Pflichtfeld „{missing}“ fehlt", _describe(prop) or hint)
    if validator == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return document.problem(
            (*path, extra[0]), f"Unbekannter Schlüssel „{extra[0]}“", f"Erlaubt sind: {allowed}. Tippfehler?", key=True
        )
    if validator == "type":
        kinds = {
            "string": "ein Text",
            "boolean": "true oder false",
            "array": "eine Liste",
            "object": "eine Zuordnung (Schlüssel: Wert)",
            "number": "eine Zahl",
            "integer": "eine ganze Zahl",
        }
        wanted = " oder ".join(kinds.get(k, k) for k in ([expected] if isinstance(expected, str) else expected))
        return document.problem(path, f"{name} muss {wanted} sein", hint)
    if validator == "enum":
        options = ", ".join(map(str, expected))
        return document.problem(path, f"{name}: „{error.instance}“ ist nicht erlaubt", f"Möglich sind: {options}.")
    if validator == "pattern":
        return document.problem(path, f"{name}: „{error.instance}“ hat nicht die erwartete Form", hint)
    if validator in ("minLength", "minItems"):
        return document.problem(path, f"{name} darf nicht leer sein", hint)
    if validator in ("maxLength", "maxItems"):
        return document.problem(path, f"{name} ist zu lang (höchstens {expected})", hint)
    if validator in ("minimum", "maximum"):
        return document.problem(path, f"{name}: {error.instance} liegt außerhalb des erlaubten Bereichs", hint)
    if validator == "uniqueItems":
        return document.problem(path, f"{name} enthält einen Wert doppelt", "Doppelte Einträge streichen.")
    return document.problem(path, f"{name}: {error.message}", hint)
