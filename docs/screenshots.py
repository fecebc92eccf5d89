"""Make the README's screenshots of the HTML reports: docs/html-check.png, docs/html-triage.png, docs/html-portfolio.png.

Run from the repository with the test extra installed and Debian's chromium present:
``python docs/screenshots.py``. Each page is a real run over ``examples/`` (as of a fixed
day, so the pictures do not change with the date), shown in headless Chromium.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-01"
REPORTS = {
    "html-check.png": ["check", "examples/tenders", "--fail-on", "never"],
    "html-triage.png": ["triage", "examples/tenders"],
}


def _portfolio_page(folder: Path) -> Path:
    """``portfolio --format html`` over a ledger of the examples (recorded as of AS_OF, one bid won)."""
    import shutil

    work = Path(folder) / "ledger"
    shutil.copytree(ROOT / "examples", work, ignore=shutil.ignore_patterns("plugin"))
    bidcheck = [sys.executable, "-m", "bidcheck"]
    subprocess.run([*bidcheck, "ledger", "record", "tenders", "--as-of", AS_OF, "--ledger", "ledger.sqlite"], cwd=work, check=True)
    subprocess.run([*bidcheck, "ledger", "outcome", "GMCA-2027-WW-003", "won", "--ledger", "ledger.sqlite"], cwd=work, check=True)
    page_file = work / "portfolio.html"
    with page_file.open("w", encoding="utf-8") as out:
        subprocess.run([*bidcheck, "portfolio", "--as-of", AS_OF, "--format", "html", "--ledger", "ledger.sqlite"], cwd=work, check=True, stdout=out)
    return page_file


def _shoot(browser, page_file: Path, picture: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(page_file.as_uri())
    page.screenshot(path=str(ROOT / "docs" / picture), full_page=False)
    page.close()
    print(f"docs/{picture}")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.browser import open_browser

    with tempfile.TemporaryDirectory() as folder, open_browser() as browser:
        for picture, arguments in REPORTS.items():
            page_file = Path(folder) / "report.html"
            command = [sys.executable, "-m", "bidcheck", *arguments, "--as-of", AS_OF, "--format", "html", "--output", str(page_file)]
            subprocess.run(command, cwd=ROOT, check=True)
            _shoot(browser, page_file, picture)
        _shoot(browser, _portfolio_page(Path(folder)), "html-portfolio.png")


if __name__ == "__main__":
    main()
