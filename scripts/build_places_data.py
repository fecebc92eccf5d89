"""Write the gazetteer's data (src/bidcheck/data/places/) from the ONS reference files.

Usage: python scripts/build_places_data.py REFERENCE_DIR
REFERENCE_DIR holds itl_lad_lookup.csv, itl3_2021_to_itl3_2025.csv, nuts2016_itl2021.csv and
region_itl1.csv (see its SOURCES.md). Only the columns the gazetteer reads are kept, and names
are trimmed (ONS writes "Ards and North Down " with a trailing space).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "bidcheck" / "data" / "places"
KEEP = {
    "itl_lad_lookup.csv": ("lad_itl2025.csv", ["ITL125CD", "ITL125NM", "ITL225CD", "ITL225NM", "ITL325CD", "ITL325NM", "LAU125CD", "LAU125NM", "LAD25CD", "LAD25NM"]),
    "itl3_2021_to_itl3_2025.csv": ("itl3_2021_2025.csv", ["ITL321CD", "ITL321NM", "ITL325CD"]),
    "nuts2016_itl2021.csv": ("nuts2016_itl2021.csv", ["level", "nuts2016_code", "nuts2016_name", "itl2021_code", "itl2021_name"]),
    "region_itl1.csv": ("region_itl1.csv", ["region_name", "itl1_codes"]),
}


def main(reference: Path) -> None:
    for source, (target, columns) in KEEP.items():
        with open(reference / source, encoding="utf-8-sig", newline="") as file:
            rows = [[row[column].strip() for column in columns] for row in csv.DictReader(file)]
        with open(OUT / target, "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
