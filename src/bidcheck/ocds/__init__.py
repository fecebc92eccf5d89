"""Import tenders from Open Contracting (OCDS) data: releases in, tender files out.

A front end beside the pipeline, not a stage of it: it turns the notices UK portals publish
(Contracts Finder, Find a Tender, Public Contracts Scotland, Sell2Wales) into tender files
(SPEC §1) that ``bidcheck check`` reads like any other. Everything here returns values;
only the CLI prints.

The stages, one module each, in order (``plan_import`` in ``bidcheck.ocds.pipeline`` runs them):

1. ``read``: inputs (files, folders, stdin) -> releases (release packages, record packages,
   single releases, or JSON Lines of any of them, streamed line by line), with a located
   problem for each input or JSON Lines line that cannot be read.
2. ``store``: every release kept once in the notice store (SQLite), with the facts of its
   awards and contracts (``history``) indexed for incumbent matching.
3. ``compile``: each procurement (ocid) read -> its releases merged into its current state.
4. ``select``: open notices only, as of a date (``notice_types`` says what a release is);
   then ``NoticeFilter``, the selection a bid team asks for (CPV, area, value, VCSE, date).
5. ``map``: a compiled release -> tender files (one per lot when every lot of several
   carries its own value), with the likely incumbent (``incumbent``). Mapping reads values
   (``values``), each lot's facts (``lots``), the notice-wide facts (``notice``), assembles
   the files (``drafts``) and writes their YAML text (``render``).
6. ``write``: write the files, never over a file the team has edited.

Every tender file the pipeline produces has been read back with bidcheck's own reader and
validated, so ``bidcheck check`` accepts it.

What OCDS cannot give (our bid, partners, and the incumbent unless award history names one)
is left out; the file ends with the questions a bid team must answer. What the tender model
has no field for (value ranges, lots, non-GBP values, other fees) goes in YAML comments.
"""

from __future__ import annotations

from bidcheck.ocds.compile import compile_releases, latest_releases
from bidcheck.ocds.map import ImportedTender, tenders_from_release
from bidcheck.ocds.pipeline import ImportPlan, plan_import
from bidcheck.ocds.read import Release, read_input, read_inputs, read_releases, releases_and_problems, stream_releases
from bidcheck.ocds.select import NoticeFilter, select_procurement
from bidcheck.ocds.skips import Skip, SkipReason
from bidcheck.ocds.store import NoticeStore
from bidcheck.ocds.write import safe_file_name

__all__ = [
    "ImportPlan",
    "ImportedTender",
    "NoticeFilter",
    "Release",
    "Skip",
    "SkipReason",
    "NoticeStore",
    "compile_releases",
    "latest_releases",
    "plan_import",
    "read_input",
    "read_inputs",
    "read_releases",
    "releases_and_problems",
    "safe_file_name",
    "select_procurement",
    "stream_releases",
    "tenders_from_release",
]
