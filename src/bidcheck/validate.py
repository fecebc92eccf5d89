"""Stage 2, validate: plain data from ``read`` -> typed models, or problems at the right line.

pydantic does the checking; this module turns its errors into messages a bid team can act
on (what was expected, a "did you mean" for typos) located at the key or value concerned.
"""

from __future__ import annotations

import copy
import difflib
import re
import types
import typing
from typing import Any, TypeVar, Union

from pydantic import BaseModel, ValidationError

from bidcheck.models import UNION_TAGS, ConfigFile, TenderFile
from bidcheck.problems import Problem, ProblemsFound, excerpt
from bidcheck.read import Document, PathKey

ModelT = TypeVar("ModelT", bound=BaseModel)


def validate_tender(document: Document) -> TenderFile:
    return validate_as(TenderFile, document, "a tender file: a mapping with a `tender:` section")


def validate_config(document: Document) -> ConfigFile:
    return validate_as(ConfigFile, document, "a bidcheck config: a mapping of organisation, policies, thresholds, rules, waivers")


def validate_as(model: type[ModelT], document: Document, what: str) -> ModelT:
    if not isinstance(document.data, dict):
        position = document.value_position_of(())
        raise ProblemsFound(
            [Problem(document.file, position.line, position.column, f"expected {what}, got {_describe(document.data)}")]
        )
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        details = _without_misspelt_missing(error.errors(include_url=False))
        problems = [_problem(model, document, detail) for detail in details]
        problems.sort(key=lambda p: (p.line, p.column))
        raise ProblemsFound(problems) from None


def valid_part(model: type[ModelT], document: Document) -> ModelT | None:
    """The model from ``document`` with every invalid part left out (so at its default).

    For reporting every problem in one run: what is valid can still be checked further. Each
    invalid value drops the nearest mapping key holding it. None when nothing is usable.
    """
    if not isinstance(document.data, dict):
        return None
    data = copy.deepcopy(document.data)
    while True:  # each round drops at least one key, so this ends
        try:
            return model.model_validate(data)
        except ValidationError as error:
            if not [detail for detail in error.errors(include_url=False) if _drop_key_holding(data, detail["loc"])]:
                return None


def _drop_key_holding(data: dict[str, Any], loc: tuple[Any, ...]) -> bool:
    holder: Any = None
    current: Any = data
    for part in loc:  # follows the data as far as it goes: pydantic's loc also names union members
        if isinstance(current, dict) and part in current:
            holder = (current, part)
        elif not (isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)):
            break
        current = current[part]
    if holder is None:
        return False
    del holder[0][holder[1]]
    return True


def _without_misspelt_missing(details: list[Any]) -> list[Any]:
    """Drop "missing 'title'" when the same mapping has an unknown key that is a typo of it."""
    unknown = {(tuple(d["loc"][:-1]), str(d["loc"][-1])) for d in details if d["type"] == "extra_forbidden"}

    def misspelt(detail: Any) -> bool:
        parent, key = tuple(detail["loc"][:-1]), str(detail["loc"][-1])
        return any(p == parent and difflib.get_close_matches(k, [key], cutoff=0.6) for p, k in unknown)

    return [d for d in details if not (d["type"] == "missing" and misspelt(d))]


def field_name(path: PathKey) -> str:
    """``("partners", 0, "name")`` -> ``"partners[0].name"``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        name = part if _PLAIN_KEY.match(part) else excerpt(part)  # a key the file's author chose
        text += f".{name}" if text else name
    return text


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}\Z")


def _problem(root: type[BaseModel], document: Document, detail: Any) -> Problem:
    path = _data_path(detail["loc"])
    kind = detail["type"]
    given = detail.get("input")
    if kind == "missing":
        where = document.position_of(path[:-1]) if path[:-1] else document.value_position_of(())
        parent = field_name(path[:-1]) or "the top level"
        message = f"missing required key {path[-1]!r} in {parent}"
    elif kind == "extra_forbidden":
        where = document.position_of(path)
        message = _unknown_key_message(root, path)
    elif kind == "list_type" and isinstance(given, (dict, str)):
        where = document.value_position_of(path)
        message = f"{field_name(path)}: expected a list, got {_describe(given)}; {_list_form(root, path, given)}"
    else:
        where = document.value_position_of(path)
        message = f"{field_name(path)}: {_expected(kind, detail, given)}"
    return Problem(document.file, where.line, where.column, message)


def _list_form(root: type[BaseModel], path: PathKey, given: dict[str, Any] | str) -> str:
    """How to write the list the user meant, shown with what they wrote."""
    item_model = _model_at(root, path)
    if item_model is None:  # a list of text: `areas: [Hackney, Islington]`
        items = [_short(item) for item in (list(given) if isinstance(given, dict) else [given])][:3] or ["..."]
        return f'write the items after dashes, one a line ("- {items[0]}"), or in brackets ([{", ".join(items)}])'
    fields = list(item_model.model_fields)
    if isinstance(given, dict):
        key = next((k for k in given if k in item_model.model_fields), fields[0])
        value = given.get(key)
        example = f"- {key}: {_short(value) if isinstance(value, str) else '...'}"
        return f'start each item with a dash before its first key, as in "{example}", with its other keys indented under it'
    key = next((name for name, info in item_model.model_fields.items() if info.is_required()), fields[0])
    return f'write each item as a mapping after a dash, as in "- {key}: {_short(given)}"'


def _mapping_form(given: Any) -> str:
    """For a mapping written as a list of mappings (``- id: A``): how to write it, shown with what was written."""
    if not (isinstance(given, list) and given and all(isinstance(item, dict) and item for item in given)):
        return ""
    key, value = next(iter(given[0].items()))
    shown = _short(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else "..."
    return f'; write its keys without a dash in front, as in "{_short(key)}: {shown}", each at the same indent'


def _short(text: Any) -> str:
    """Enough of something the user wrote to recognise it, on one line."""
    shown = " ".join(str(text).split())
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _data_path(loc: tuple[Any, ...]) -> PathKey:
    """pydantic's location without the tags of tagged unions."""
    path: list[Any] = []
    for part in loc:
        if path and path[-1] in UNION_TAGS and part in UNION_TAGS[path[-1]]:
            continue
        path.append(part)
    return tuple(path)


def _unknown_key_message(root: type[BaseModel], path: PathKey) -> str:
    key = str(path[-1])
    parent = field_name(path[:-1])
    model = _model_at(root, path[:-1])
    allowed = list(model.model_fields) if model else []
    where = f" in {parent}" if parent else ""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown key {excerpt(key)}{where}; did you mean {close[0]!r}?"
    if allowed:
        return f"unknown key {excerpt(key)}{where}; expected one of: {', '.join(allowed)}"
    return f"unknown key {excerpt(key)}{where}"


def _model_at(root: type[BaseModel], path: PathKey) -> type[BaseModel] | None:
    """The model class describing the mapping at ``path``, following fields, lists and unions."""
    current: Any = root
    for part in path:
        if isinstance(part, int):
            continue  # list items share their list's model
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = _first_model(current.model_fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _first_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _first_model(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType, list, dict):
        for argument in typing.get_args(annotation):
            found = _first_model(argument)
            if found is not None:
                return found
    return None


def _expected(kind: str, detail: Any, given: Any) -> str:
    got = f", got {_describe(given)}"
    context = detail.get("ctx") or {}
    if kind == "value_error":
        return str(context.get("error", detail["msg"]))
    if kind == "literal_error":
        options = [option.strip("'") for option in context.get("expected", "").replace(" or ", ", ").split(", ")]
        close = difflib.get_close_matches(str(given), options, n=1, cutoff=0.6) if isinstance(given, str) else []
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"expected one of {', '.join(options)}{got}{hint}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false{got}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number{got}"
    if kind in ("float_parsing", "float_type", "finite_number"):
        return f"expected a number{got}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(context.values()), "")
        sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        return f"expected a number {sign} {bound}{got}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        if detail["loc"] and detail["loc"][0] == "incumbent":
            return f"expected the incumbent's details as a mapping, or `none` when nobody delivers it now{got}{_mapping_form(given)}"
        return f"expected a mapping of keys and values{got}{_mapping_form(given)}"
    if kind == "list_type":
        return f"expected a list{got}"
    if kind == "string_type":
        return f"expected text{got}"
    if kind == "string_too_short":
        return "must not be empty"
    return detail["msg"]


def _describe(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return excerpt(str(value))
