"""JSON Schemas from `schemas/` in, problems at the YAML line out: the schema decides what is valid."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from .paths import CODE
from .problems import Problem
from .yamlfile import YamlDocument, parse_yaml


def schemas_version() -> tuple[int, ...]:
    """When the schema files last changed: part of every memo key, so an edited schema is read again."""
    return tuple(path.stat().st_mtime_ns for path in sorted(CODE.schemas.glob("*.schema.json")))


@lru_cache(maxsize=1 << 16)
def read_checked(
    text: str, file: str, schema: str, line_offset: int = 0, version: tuple[int, ...] = ()
) -> tuple[YamlDocument, tuple[Problem, ...]]:
    """Parse YAML and check a mapping against `schemas/<schema>.schema.json`; each distinct text is parsed and
    checked once per process (the live preview rebuilds on every save). Callers treat the document as read-only."""
    document, problems = parse_yaml(text, file, line_offset=line_offset)
    if problems or not isinstance(document.data, dict):
        return document, tuple(problems)
    return document, tuple(check_against_schema(document, schema, version))


def load_checked(text: str, file: str, schema: str, line_offset: int = 0) -> tuple[YamlDocument, list[Problem]]:
    """`read_checked` for the current schema files."""
    document, problems = read_checked(text, file, schema, line_offset, schemas_version())
    return document, list(problems)


# How loaders check a YAML text against a schema: `load_checked`, or the orchestrator's memoised version of it.
Check = Callable[[str, str, str, int], tuple[YamlDocument, list[Problem]]]


@cache
def load_registry(version: tuple[int, ...] = ()) -> Registry:
    """Every schema of `schemas/` by its `$id`, so one schema can use another's definitions."""
    resources = []
    for path in sorted(CODE.schemas.glob("*.schema.json")):
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


def check_against_schema(document: YamlDocument, name: str, version: tuple[int, ...] = ()) -> list[Problem]:
    """Every schema violation in `document`, in German, located at the offending YAML line; `version` is
    `schemas_version()` as the caller took it (once per build: it reads the folder).

    Valid documents (nearly all) pass the compiled validator; only a failure is explained by jsonschema,
    whose errors name the path of every violation."""
    try:
        fast_validator(name, version)(document.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    validator = load_validator(name, version)
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


TYPE_NAMES = {
    "string": "ein Text",
    "boolean": "true oder false",
    "array": "eine Liste",
    "object": "eine Zuordnung (Schlüssel: Wert)",
    "number": "eine Zahl",
    "integer": "eine ganze Zahl",
}


@dataclass(frozen=True)
class Failure:
    """One jsonschema error unpacked for a German message: where, what is named, the rule and the value."""

    path: tuple[str | int, ...]
    name: str  # the key in quotation marks, or "Der Wert"
    schema: Mapping[str, Any]
    expected: Any  # the failed keyword's value in the schema
    instance: Any
    message: str  # jsonschema's own (English) message

    @property
    def hint(self) -> str:
        """The schema's description of the value that failed."""
        return _describe(self.schema)


def unpack_error(error: ValidationError) -> Failure:
    """The parts of a jsonschema error the messages use, with jsonschema's "unset" replaced by plain values."""
    path = tuple(error.absolute_path)
    return Failure(
        path,
        f"„{path[-1]}“" if path and isinstance(path[-1], str) else "Der Wert",
        error.schema if isinstance(error.schema, Mapping) else {},
        error.validator_value,
        error.instance,
        error.message,
    )


def _problem_for(document: YamlDocument, error: ValidationError) -> Problem:
    """Translate one jsonschema error into a German message with a hint."""
    failure = unpack_error(error)
    if "propertyNames" in error.schema_path:
        return document.problem(
            (*failure.path, failure.instance),
            f"„{failure.instance}“ ist als Kennung nicht erlaubt",
            failure.hint or "Kleinbuchstaben a–z, Ziffern und Bindestriche.",
            key=True,
        )
    explain = EXPLAINERS.get(str(error.validator), explain_other)
    return explain(document, failure)


def explain_missing(document: YamlDocument, f: Failure) -> Problem:
    """A required key is missing; a key that only some kinds require says which kind asks for it."""
    missing = f.message.split("'")[1]
    prop = f.schema.get("properties", {}).get(missing, {})
    if not prop and isinstance(f.instance, dict) and "kind" in f.instance:
        return document.problem(
            f.path,
            f"Pflichtfeld „{missing}“ fehlt (nötig bei kind: {f.instance['kind']})",
            'written: "JJJJ-MM" bei Nachträgen, correct: … bei Korrekturen.',
        )
    return document.problem(f.path, f"Pflichtfeld „{missing}“ fehlt", _describe(prop) or f.hint)


def explain_unknown_key(document: YamlDocument, f: Failure) -> Problem:
    """A key the schema does not know, located at the key, with the allowed ones listed."""
    known = f.schema.get("properties", {})
    extra = sorted(set(f.instance) - set(known))
    return document.problem(
        (*f.path, extra[0]),
        f"Unbekannter Schlüssel „{extra[0]}“",
        f"Erlaubt sind: {', '.join(sorted(known))}. Tippfehler?",
        key=True,
    )


def explain_type(document: YamlDocument, f: Failure) -> Problem:
    """A value of the wrong type, with the wanted type(s) in words."""
    expected = [f.expected] if isinstance(f.expected, str) else f.expected
    wanted = " oder ".join(TYPE_NAMES.get(k, k) for k in expected)
    return document.problem(f.path, f"{f.name} muss {wanted} sein", f.hint)


def explain_enum(document: YamlDocument, f: Failure) -> Problem:
    """A value not among the allowed ones, which are listed."""
    options = ", ".join(map(str, f.expected))
    return document.problem(f.path, f"{f.name}: „{f.instance}“ ist nicht erlaubt", f"Möglich sind: {options}.")


def explain_pattern(document: YamlDocument, f: Failure) -> Problem:
    """A text that does not have the expected form."""
    return document.problem(f.path, f"{f.name}: „{f.instance}“ hat nicht die erwartete Form", f.hint)


def explain_empty(document: YamlDocument, f: Failure) -> Problem:
    """An empty text or list where one is needed."""
    return document.problem(f.path, f"{f.name} darf nicht leer sein", f.hint)


def explain_too_long(document: YamlDocument, f: Failure) -> Problem:
    """A text or list longer than the schema allows."""
    return document.problem(f.path, f"{f.name} ist zu lang (höchstens {f.expected})", f.hint)


def explain_out_of_range(document: YamlDocument, f: Failure) -> Problem:
    """A number below the minimum or above the maximum."""
    return document.problem(f.path, f"{f.name}: {f.instance} liegt außerhalb des erlaubten Bereichs", f.hint)


def explain_duplicate(document: YamlDocument, f: Failure) -> Problem:
    """A list that holds one value twice."""
    return document.problem(f.path, f"{f.name} enthält einen Wert doppelt", "Doppelte Einträge streichen.")


def explain_other(document: YamlDocument, f: Failure) -> Problem:
    """Any other rule: jsonschema's own message, after the value's name."""
    return document.problem(f.path, f"{f.name}: {f.message}", f.hint)


EXPLAINERS: dict[str, Callable[[YamlDocument, Failure], Problem]] = {
    "required": explain_missing,
    "additionalProperties": explain_unknown_key,
    "type": explain_type,
    "enum": explain_enum,
    "pattern": explain_pattern,
    "minLength": explain_empty,
    "minItems": explain_empty,
    "maxLength": explain_too_long,
    "maxItems": explain_too_long,
    "minimum": explain_out_of_range,
    "maximum": explain_out_of_range,
    "uniqueItems": explain_duplicate,
}
