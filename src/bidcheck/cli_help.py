"""``--help`` and usage errors in the user's words: no Python types, no library noise.

Every command is made with ``cls=PlainHelp``; every option that takes one of a fixed set of
words is a :func:`choice_option`, parsed by :func:`one_of`.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable
from enum import Enum
from typing import Any, Optional, TypeVar

import typer
from typer.core import TyperCommand

_PYTHON_TYPE = re.compile(r" <[^|>]*>$")  # "<str>", "<list[str]>", "<path>"; not "<text|json>"

Choice = TypeVar("Choice", bound=Enum)


class PlainHelp(TyperCommand):
    """A command whose help names each value by its metavar (``PATH...``, ``--jobs N|auto``),
    never by a Python type (``<list[str]>``, ``<str>``)."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            name, text = record
            if param.param_type_name == "argument":
                arguments.append((_argument_name(param), text))
            else:
                options.append((_PYTHON_TYPE.sub(lambda _: " " + (param.name or "value").upper(), name), text))
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = _argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
        return pieces


def _argument_name(param: Any) -> str:
    name = param.metavar or (param.name or "value").upper()
    return name + ("..." if param.nargs != 1 and not name.endswith("...") else "")


def one_of(choices: type[Choice]) -> Callable[[Any], Choice]:
    """A parser for an option taking one of ``choices``' values, in any letter case.

    A value that is none of them is a usage error that lists them plainly.
    """

    def parse(value: Any) -> Choice:
        if isinstance(value, choices):
            return value
        wanted = str(value).strip().lower()
        for choice in choices:
            if str(choice.value).lower() == wanted:
                return choice
        accepted = ", ".join(str(choice.value) for choice in choices)
        raise typer.BadParameter(f"expected one of {accepted}; got {value!r}")

    return parse


def choices_metavar(choices: type[Enum]) -> str:
    """``text|json|csv``: how help shows an option's accepted values."""
    return "|".join(str(choice.value) for choice in choices)


def choice_option(default: Enum, *names: str, help: str) -> Any:  # noqa: A002 - typer's own word
    """An option taking one of ``default``'s enum values, parsed by :func:`one_of`."""
    choices = type(default)
    return typer.Option(default, *names, parser=one_of(choices), metavar=choices_metavar(choices), help=help)


NO_PLUGINS_VARIABLE = "BIDCHECK_NO_PLUGINS"


def no_plugins_option():  # type: ignore[no-untyped-def]
    return typer.Option(
        False,
        "--no-plugins",
        help=f"Load no rule code named by configs (rules.paths) or --rules; built-in and installed rules still load. "
        f"Also {NO_PLUGINS_VARIABLE}=1.",
    )


def load_plugins(no_plugins: bool) -> bool:
    """False under --no-plugins or BIDCHECK_NO_PLUGINS=1/true/yes; an unclear value is a usage error."""
    value = os.environ.get(NO_PLUGINS_VARIABLE, "").strip().lower()
    if value not in ("", "0", "false", "no", "1", "true", "yes"):
        raise typer.BadParameter(f"expected 1, true or yes (or 0, false, no), got {value!r}", param_hint=NO_PLUGINS_VARIABLE)
    return not (no_plugins or value in ("1", "true", "yes"))


def parse_jobs(value: str) -> Optional[int]:
    """``--jobs``: ``auto`` (None: the pipeline decides) or a whole number of processes."""
    if value.strip().lower() == "auto":
        return None
    if re.fullmatch(r"\s*[0-9]+\s*", value) and int(value) >= 1:
        return int(value)
    raise typer.BadParameter(f"expected a number of processes (1 or more) or auto, got {value!r}", param_hint="--jobs")


def parse_size(value: str) -> int:
    """``--max-file-size``: bytes, or a number with kB or MB."""
    match = re.fullmatch(r"\s*(\d+)\s*(b|kb|k|mb|m)?\s*", value, re.IGNORECASE)
    if not match:
        raise typer.BadParameter(f"expected a size such as 5MB, 500kB or 1000000, got {value!r}", param_hint="--max-file-size")
    scale = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2}[(match[2] or "").lower()]
    return int(match[1]) * scale


def as_of_option():  # type: ignore[no-untyped-def]
    return typer.Option(
        None, "--as-of", metavar="YYYY-MM-DD", help="Judge dates (days left, expired waivers) as of this date instead of today."
    )


def parse_as_of(value: Optional[str], option: str = "--as-of") -> datetime.date:
    """``--as-of``: the one "today" a run judges dates by; today when not given.

    A value that is not an ISO date is a usage error (exit 2) naming ``option`` and saying what was expected.
    """
    from bidcheck.dates import parse_iso_date

    if value is None:
        return datetime.date.today()
    try:
        return parse_iso_date(value)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint=option) from None
