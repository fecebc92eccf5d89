"""Make the README's screenshots of the HTML reports: docs/html-check.png, docs/html-triage.png.

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


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.browser import open_browser

    with tempfile.TemporaryDirectory() as folder, open_browser() as browser:
        for picture, arguments in REPORTS.items():
            page_file = Path(folder) / "report.html"
            command = [sys.executable, "-m", "bidcheck", *arguments, "--as-of", AS_OF, "--format", "html", "--output", str(page_file)]
            subprocess.run(command, cwd=ROOT, check=True)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(page_file.as_uri())
            page.screenshot(path=str(ROOT / "docs" / picture), full_page=False)
            page.close()
            print(f"docs/{picture}")


if __name__ == "__main__":
    main()
