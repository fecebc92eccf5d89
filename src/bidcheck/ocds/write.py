"""``import ocds``, last step, writing: tender files into the output folder, never over the team's edits.

**Names.** :func:`safe_file_name` maps a tender id to one file name, always the same, and two
distinct ids never to names that differ only in case, so no two ids share a file on a
case-insensitive file system either. An id that is already a safe, lower-case name is used
as it is (``ocds-b5fd17-5e6c....yaml``: ocids are); any other id keeps a readable stem
followed by ``_`` and a hash of the exact id. Plain names never contain ``_``, so the two
kinds cannot meet.

**Edits.** Every file carries an *import stamp*, a comment line with a hash of the file as
written. A file whose text no longer matches its stamp (or that has none) was edited by
the team, and is never written over. For each tender, the writer walks the file and its
amended copies (``NAME.yaml``, ``NAME.amended.yaml``, ``NAME.amended-2.yaml``...) and:

- writes a missing file (``new``, or an ``amended`` copy when the files before it were edited);
- updates an unedited file whose notice changed (``updated``), or leaves it (``unchanged``);
- leaves an edited file whose stamp shows the notice has not changed since (``kept``), unless
  ``force``, which delivers a fresh copy beside it anyway;
- otherwise moves on past the edited file, so an amended notice lands beside it, listed
  field by field against the team's file; never dropped, never over their work.

Files are created with the mode the umask gives (0644 under 022); a rewritten file keeps
its mode. Each is written whole through a temporary file beside it (:func:`bidcheck.report_file.atomic_report`).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from bidcheck.problems import Problem
from bidcheck.report_file import atomic_report

if TYPE_CHECKING:
    from bidcheck.ocds import ImportedTender

MAX_FILE_STEM = 120
HASHED_STEM = 100  # a hashed name's readable part, so the whole name stays short
AMENDED = ".amended"
IMPORTED_FIELDS = (
    "id", "title", "buyer", "co_buyers", "service", "cpv", "value", "value_includes_vat", "term_months",
    "extension_months", "areas", "published", "deadline", "award_weights", "light_touch", "suitable_for",
    "reserved_for", "participation_fee_pct", "source.ocid", "source.release", "source.publisher",
    "source.notice_type", "source.url",
)  # fmt: skip
_PLAIN_NAME = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")  # lower case, no "_", no "..", no leading or trailing . or -
_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")
_AMENDED_NAME = re.compile(r"\.amended(?:-\d+)?$")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))}
_CONFIG_NAMES = {"bidcheck.yaml", ".bidcheck.yaml", "bidcheck.yml"}
_STAMP = re.compile(r"^# import stamp: (?P<digest>[0-9a-f]{16})\b[^\n]*(?:\n|$)", re.MULTILINE)
_STAMP_LINE = "# import stamp: {digest} (a re-import uses it to keep your edits; leave this line as it is)"


# --- names -----------------------------------------------------------------------------


def safe_file_name(tender_id: str) -> str:
    """The file name for a tender id: safe on every platform, inside the folder, one per id.

    The same id always gives the same name; two distinct ids never give names equal when
    case is ignored (barring a 64-bit hash collision).
    """
    if _is_plain(tender_id):
        return f"{tender_id}.yaml"
    stem = re.sub(r"\.{2,}", ".", _UNSAFE.sub("-", tender_id)).strip(".-")[:HASHED_STEM].rstrip(".-")
    return f"{stem or 'tender'}_{_digest(tender_id)}.yaml"


def _is_plain(tender_id: str) -> bool:
    return (
        _PLAIN_NAME.fullmatch(tender_id) is not None
        and len(tender_id) <= MAX_FILE_STEM
        and tender_id.split(".")[0].upper() not in _RESERVED
        and f"{tender_id}.yaml" not in _CONFIG_NAMES
        and not _AMENDED_NAME.search(tender_id)  # would be another tender's amended copy
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _names(file_name: str) -> Iterator[str]:
    """``NAME.yaml``, then ``NAME.amended.yaml``, ``NAME.amended-2.yaml``, ..."""
    stem = file_name.removesuffix(".yaml")
    yield file_name
    yield f"{stem}{AMENDED}.yaml"
    number = 2
    while True:
        yield f"{stem}{AMENDED}-{number}.yaml"
        number += 1


# --- what was written ------------------------------------------------------------------


class Outcome(str, Enum):
    """What happened to one tender's file."""

    NEW = "new"
    UPDATED = "updated"  # an unedited file, rewritten to the notice as now published
    AMENDED = "amended notice beside a file you edited"
    UNCHANGED = "unchanged"
    KEPT = "kept with your edits"  # the notice gives what it gave when the file was imported
    WAITING = "amended notice already beside a file you edited"


WROTE = (Outcome.NEW, Outcome.UPDATED, Outcome.AMENDED)
LEFT = (Outcome.UNCHANGED, Outcome.KEPT, Outcome.WAITING)


@dataclass(frozen=True)
class Written:
    """One tender's outcome: the file it concerns and, beside an edited file, how they differ."""

    tender: ImportedTender
    outcome: Outcome
    path: Path  # the file written, or left as it was
    edited: Optional[Path] = None  # AMENDED, WAITING: the team's file the notice differs from
    changes: tuple[str, ...] = ()  # field by field: 'value: 500000 -> 600000'

    def __str__(self) -> str:
        changes = "; ".join(self.changes)
        if self.outcome in (Outcome.AMENDED, Outcome.WAITING):
            said = "is amended since you edited" if self.outcome is Outcome.AMENDED else "was amended since you edited"
            return (
                f"{self.edited}: the notice {said} this file; your file is kept as it is and the amended notice "
                f"is in {self.path}. It differs from your file in: {changes}"
            )
        return f"{self.path}: {self.outcome.value}" + (f": {changes}" if changes else "")


@dataclass
class WriteReport:
    """Every tender's outcome, and the problem that stopped the writing, if one did."""

    written: list[Written]
    problem: Optional[Problem] = None

    def count(self, *outcomes: Outcome) -> int:
        return sum(1 for item in self.written if item.outcome in outcomes)


def write_tenders(
    tenders: Sequence[ImportedTender], folder: Path, force: bool = False, progress: Callable[[int, int], None] | None = None
) -> WriteReport:
    """Write every tender into ``folder``; stop at the first file that cannot be written (a full disk repeats).

    The folder is created only when there is something to write, so a failed import leaves none.
    """
    report = WriteReport([])
    if not tenders:
        return report
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        report.problem = Problem(str(folder), 0, 0, f"cannot create the folder: {error.strerror or error}")
        return report
    for done, tender in enumerate(tenders, start=1):
        try:
            report.written.append(write_tender(tender, folder, force))
        except OSError as error:
            report.problem = Problem(str(folder / tender.file_name), 0, 0, f"cannot write: {error.strerror or error}")
            return report
        if progress:
            progress(done, len(tenders))
    return report


def write_tender(tender: ImportedTender, folder: Path, force: bool = False) -> Written:
    """Deliver one tender to ``folder`` (see the module's docstring). Raises OSError when it cannot be written."""
    digest = _digest(tender.text)
    edited: Optional[_Existing] = None  # the last file on the way that the team has edited
    for name in _names(tender.file_name):
        path = folder / name
        existing = _Existing.at(path)
        if existing is not None and not (existing.unedited or existing.is_unstamped_copy_of(tender.text)):
            if existing.holds_import_of(tender.text, digest) and not force:
                return Written(tender, Outcome.KEPT, path)
            edited = existing  # the team's: never written; the notice goes on to the next name
            continue
        earlier_copy = existing is not None and existing.digest is None  # an earlier bidcheck's import, unchanged
        same = existing is not None and (earlier_copy or existing.digest == digest)
        if not same or earlier_copy:  # missing, out of date, or without its stamp
            with atomic_report(path) as out:  # a new file takes the umask's mode, a rewritten one keeps its own
                out.write(stamped(tender.text))
        if edited is not None:
            outcome = Outcome.WAITING if same else Outcome.AMENDED
            return Written(tender, outcome, path, edited.path, edited.changes_to(tender.text))
        if existing is None:
            return Written(tender, Outcome.NEW, path)
        if same:
            return Written(tender, Outcome.UNCHANGED, path)
        return Written(tender, Outcome.UPDATED, path, changes=existing.changes_to(tender.text))
    raise AssertionError("unreachable: the names never run out")  # pragma: no cover


def stamped(text: str) -> str:
    """``text`` with its import stamp as the second line, under the "Imported by" line."""
    first, _, rest = text.partition("\n")
    return f"{first}\n{_STAMP_LINE.format(digest=_digest(text))}\n{rest}"


@dataclass(frozen=True)
class _Existing:
    """A file already at a tender's name, as the writer needs to see it."""

    path: Path
    text: Optional[str]  # None: not a regular file, or not UTF-8: never read further, never written
    digest: Optional[str]  # the stamp's hash; None when there is no stamp
    unedited: bool
    mode: int

    @classmethod
    def at(cls, path: Path) -> Optional[_Existing]:
        try:
            status = path.lstat()
        except FileNotFoundError:
            return None
        if not path.is_file() or path.is_symlink():  # a link, folder or device is the team's: only ever read around
            return cls(path, None, None, False, status.st_mode & 0o7777)
        try:
            text: Optional[str] = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            text = None
        stamp = _STAMP.search(text) if text is not None else None
        digest = stamp["digest"] if stamp else None
        unedited = stamp is not None and _digest(text[: stamp.start()] + text[stamp.end() :]) == digest  # type: ignore[index]
        return cls(path, text, digest, unedited, status.st_mode & 0o7777)

    def is_unstamped_copy_of(self, text: str) -> bool:
        """A file an earlier bidcheck imported (no stamp) that nobody has changed since."""
        return self.digest is None and self.text == text

    def holds_import_of(self, text: str, digest: str) -> bool:
        """Does this edited file start from the same import? By its stamp, or, without one, by its fields."""
        if self.digest is not None:
            return self.digest == digest
        return self.text is not None and not _differing_fields(self.text, text)

    def changes_to(self, text: str) -> tuple[str, ...]:
        """How the notice's new file differs from this one, field by field."""
        if self.text is None:
            return ("nothing could be compared: your file is not a UTF-8 text file; compare them by hand",)
        fields = _differing_fields(self.text, text)
        if fields is None:
            return ("nothing could be compared: your file is not valid YAML; compare them by hand",)
        return tuple(fields) or ("no imported field (only comments)",)


def _differing_fields(before_text: str, after_text: str) -> Optional[list[str]]:
    """``'field: old -> new'`` for each field the importer writes that differs; None when ``before_text`` is not YAML."""
    import yaml

    try:
        before, after = yaml.safe_load(before_text), yaml.safe_load(after_text)
    except yaml.YAMLError:
        return None
    if not isinstance(before, dict):
        return None
    before_fields, after_fields = _flatten(before.get("tender")), _flatten(after.get("tender"))
    return [
        f"{name}: {_shown(before_fields.get(name))} -> {_shown(after_fields.get(name))}"
        for name in IMPORTED_FIELDS
        if before_fields.get(name) != after_fields.get(name)
    ]


def _flatten(tender: Any) -> dict[str, Any]:
    if not isinstance(tender, dict):
        return {}
    fields = {key: value for key, value in tender.items() if key != "source"}
    source = tender.get("source")
    if isinstance(source, dict):
        fields.update({f"source.{key}": value for key, value in source.items()})
    return fields


def _shown(value: Any, limit: int = 80) -> str:
    """A field's value on one line, short and escaped."""
    if value is None:
        return "(none)"
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = json.dumps(value, ensure_ascii=False, default=str)
    text = re.sub(r"[\u0080-\u009f\u2028\u2029]", lambda match: f"\\u{ord(match[0]):04x}", text)
    return text if len(text) <= limit else text[: limit - 3] + "..."
