"""`portfolio pack --key-question safe` prints a real PDF with Debian's Chromium: a contents page
whose page numbers are right, "Page N of M" and the as-of date on every page, every statement,
and the measure charts. The PDF is read with poppler-utils (pdftotext), and its pages are drawn
as PNG (pdftoppm) into /tmp/portfolio-screens/ for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.browser

AS_OF = "2026-11-22"
POPPLER = ("pdftotext", "pdftoppm")


@pytest.fixture(scope="module")
def poppler():
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} not installed: apt-get install poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def safe_pack(browser_available, built_site, poppler, tmp_path_factory):
    """The Safe key question's pack of the example as of 2026-11-22, by the real command; one
    pdftotext page per item (index 0 is page 1)."""
    out = tmp_path_factory.mktemp("pack") / "safe.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "--project", str(built_site.project), "pack",
         "--key-question", "safe", "--as-of", AS_OF, "--output", str(out)],
        cwd=built_site.project, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, f"pack failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    assert out.read_bytes().startswith(b"%PDF-")
    pages = int(re.search(r"(\d+) pages", result.stdout).group(1))
    text = [
        subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(out), "-"],
                       capture_output=True, text=True, check=True).stdout
        for i in range(1, pages + 1)
    ]
    return out, text, result.stdout


def test_every_page_has_its_number_of_the_total_and_the_as_of_date(safe_pack):
    _, pages, said = safe_pack
    total = len(pages)
    assert total > 5
    assert f"{total} pages" in said
    for number, text in enumerate(pages, start=1):
        assert re.search(rf"Page {number} of {total}\s*$", text.rstrip("\f").rstrip()), f"page {number}:\n{text[-300:]}"
        assert text.count(f"As of {AS_OF}") >= 2, f"page {number} lacks the as-of date in its header and footer"
    # No page number runs past the end: pdftotext finds nothing after the last page.
    assert all(f"Page {total + 1} of" not in t for t in pages)


def test_cover_and_contents_page(safe_pack, built_site):
    _, pages, _ = safe_pack
    assert "Inspection pack: Safe key question" in pages[0]
    assert built_site.provider in pages[0]
    contents = pages[1]
    assert "Contents" in contents
    safe = next(q for q in built_site.framework()["key_questions"] if q["id"] == "safe")
    listed = {}
    for line in contents.splitlines():
        match = re.match(r"^\s*(.+?)(?: \(nothing recorded\))?\s+(\d+)\s*$", line)
        if match:
            listed[match.group(1).strip()] = int(match.group(2))
    titles = [s["title"] for s in safe["statements"]]
    assert set(titles) | {"Safe", "Index of actions"} <= set(listed), listed
    # In the framework's order, on pages that do not go backwards.
    assert [listed[t] for t in titles] == sorted(listed[t] for t in titles)
    # Each entry's page is where that statement starts: its heading and its id line are there.
    for statement in safe["statements"]:
        page = pages[listed[statement["title"]] - 1]
        assert f"statement id {statement['id']}" in " ".join(page.split()), (statement["id"], listed[statement["title"]])
    assert re.search(r"^\s*Index of actions\s*$", pages[listed["Index of actions"] - 1], re.M)
    assert re.search(r"^\s*Safe\s*$", pages[listed["Safe"] - 1], re.M)


def test_statements_actions_evidence_and_charts_are_printed(safe_pack):
    _, pages, _ = safe_pack
    text = "\n".join(pages)
    flat = " ".join(text.split())
    for action in ("ACT-005", "ACT-012", "ACT-007"):
        assert f"{action}: " in flat  # set out in full
    assert "Evidence that practice improved." in flat
    assert "SHA-256" in flat  # attachments carry their hash
    # ACT-012's measure charts: SVG text is real text in the PDF.
    assert "Target 5 residents" in flat and "Baseline 11" in flat
    # Status and risk are words on paper, too.
    assert "In progress" in flat and "High risk" in flat and "Overdue" in flat


def test_pack_pages_drawn_for_review(safe_pack, screens_dir, tmp_path):
    pdf, pages, _ = safe_pack
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "pack-safe")], check=True)
    drawn = sorted(tmp_path.glob("pack-safe-*.png"))
    assert len(drawn) == len(pages)
    assert all(p.stat().st_size > 5_000 for p in drawn)  # pages with something on them
    for png in drawn:
        shutil.copyfile(png, screens_dir / png.name)
