"""Import tenders from Open Contracting (OCDS) data: releases in, tender files out.

A front end beside the pipeline, not a stage of it: it turns the notices UK portals publish
(Contracts Finder, Find a Tender, Public Contracts Scotland, Sell2Wales) into tender files
(SPEC §1) that ``bidcheck check`` reads like any other. Everything here returns values;
only the CLI prints.

The steps, each a plain function:

1. ``bidcheck.ocds.read``: inputs (files, folders, stdin) -> releases (release packages,
   record packages, single releases, or JSON Lines of any of them), with a located problem
   for each input or JSON Lines line that cannot be read.
2. ``latest_releases``: the latest release per ocid (a release is identified by its ``id``,
   or by ocid and date when it has none); the rest are duplicates or superseded.
3. ``tenders_from_release``: one tender release -> tender files (one per lot when every
   lot of several carries its own value). Mapping reads values (``ocds.values``), each
   lot's facts (``ocds.lots``), the notice-wide facts (``ocds.notice``), assembles the
   files (``ocds.drafts``) and writes their YAML text (``ocds.render``).
4. ``NoticeFilter.reason_to_skip``: the selection a bid team asks for (CPV, area, value,
   VCSE suitability, date).
5. ``bidcheck.ocds.write``: write the files, never over a file the team has edited.

``plan_import`` runs steps 1-4 over many files. Every tender file it produces has been read
back with bidcheck's own reader and validated, so ``bidcheck check`` accepts it.

What OCDS cannot give (our bid, partners, and the incumbent unless award history names one)
is left out; the file ends with the questions a bid team must answer. What the tender model
has no field for (value ranges, lots, non-GBP values, other fees) goes in YAML comments.
"""

from __future__ import annotations

from bidcheck.ocds.map import (
    ImportedTender,
    ImportPlan,
    NoticeFilter,
    Skip,
    SkipReason,
    area_overlaps,
    latest_releases,
    plan_import,
    tenders_from_release,
)
from bidcheck.ocds.read import Release, read_input, read_inputs, read_releases, releases_and_problems
from bidcheck.ocds.write import safe_file_name

__all__ = [
    "ImportPlan",
    "ImportedTender",
    "NoticeFilter",
    "Release",
    "Skip",
    "SkipReason",
    "area_overlaps",
    "latest_releases",
    "plan_import",
    "read_input",
    "read_inputs",
    "read_releases",
    "releases_and_problems",
    "safe_file_name",
    "tenders_from_release",
]
