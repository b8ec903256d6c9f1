"""`portfolio share` on copies of the shipped example, each with personal data or a secret planted in
a disguise: the share stops (exit 1, a problem line naming the file, nothing written), or, for a
redaction term or a withheld record's page path, no byte of the share or its zip holds it, read as
a browser, a search index or a reader would.

Every share of this module is started at once, in separate processes, by one fixture.
"""

from __future__ import annotations

import gzip
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from generator.share.normalise import normalise_for_guard

from .conftest import clean_env, copy_example, start_portfolio

PROFILE = "northshire-county-council"  # brookfield-house, since 2026-01-01, owners: roles
AS_OF = "2026-11-22"
EVIDENCE = "content/evidence/ev-003.md"  # in the profile: Brookfield House, 2026-02-10
ATTACHED = "content/evidence/ev-013.md"  # in the profile, with a text attachment
ATTACHMENT = "content/evidence/attachments/supervisor-training-attendance.txt"
SENSITIVE_ID = "EV-009"  # the example's sensitive record
TERMS = ("Threlfall", "Kilbride")  # the example's redact_terms


def replace_in(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append_body(text: str) -> Callable[[Path], None]:
    return lambda project: replace_in(project, EVIDENCE, "this was done in March.", "this was done in March.\n\n" + text)


def new_evidence_id(project: Path) -> None:
    (project / "content/evidence/ev-nhs.md").write_text(
        "---\nid: EV-9434765919\ntitle: Named by a number\nservice: brookfield-house\ndate: 2026-03-03\n"
        "category: processes\n---\nA record whose id is an NHS number.\n", encoding="utf-8")


def front_matter_key(project: Path) -> None:
    replace_in(project, EVIDENCE, "category: staff-feedback", "category: staff-feedback\n'9434765919': the resident's sheet")


def attachment_name(project: Path) -> None:
    (project / ATTACHMENT).rename(project / "content/evidence/attachments/attendance-9434765919.txt")
    replace_in(project, ATTACHED, "attachments/supervisor-training-attendance.txt", "attachments/attendance-9434765919.txt")


def attachment_text(project: Path) -> None:
    with (project / ATTACHMENT).open("a", encoding="utf-8") as handle:
        handle.write("Resident NHS number 943\u00a0476\u00a05919\n")


def copyright_email(project: Path) -> None:
    """Nothing in a record: mkdocs.yml puts an entity-encoded address on every page."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(text + "copyright: 'Questions: governance&#64;brookfield.example.org'\n", encoding="utf-8")


#: Each way of hiding personal data -> (how it is planted, the file and field the problem names).
STOPS: dict[str, tuple[Callable[[Path], None], str]] = {
    "id": (new_evidence_id, r"content/evidence/ev-nhs\.md:2: id: an NHS number '9434765919'"),
    "key": (front_matter_key, rf"{EVIDENCE}:\d+: 9434765919: an NHS number '9434765919'"),
    "emphasis": (append_body("Resident 943**4765919** was sampled."), rf"{EVIDENCE}:\d+: body: an NHS number '943\*\*4765919' \(read as '9434765919'\)"),
    "tags": (append_body("Resident 943<em>4765919</em> was sampled."), rf"{EVIDENCE}:\d+: body: an NHS number '943<em>4765919' \(read as '9434765919'\)"),
    "entity": (append_body("Resident &#57;434765919 was sampled."), rf"{EVIDENCE}:\d+: body: an NHS number '&#57;434765919' \(read as '9434765919'\)"),
    "nbsp": (append_body("Resident 943\u00a0476\u00a05919 was sampled."), rf"{EVIDENCE}:\d+: body: an NHS number '943 476 5919'"),
    "zero-width": (append_body("Resident 943\u200b476\u200b5919 was sampled."), rf"{EVIDENCE}:\d+: body: an NHS number '943\\u200b476\\u200b5919'"),
    "email entity": (append_body("Write to jo.bloggs&#64;example.org."), rf"{EVIDENCE}:\d+: body: an email address 'jo\.bloggs&#64;example\.org'"),
    "mailto": (append_body("[Write to us](mailto:jo%40example.org)."), rf"{EVIDENCE}:\d+: body: an email address 'jo%40example\.org'"),
    "attachment name": (attachment_name, rf"{ATTACHED}:\d+: file: an NHS number '9434765919'"),
    "attachment text": (attachment_text, rf"{ATTACHMENT}:\d+: attachment: an NHS number '943 476 5919'"),
    "last look": (copyright_email, rf"share/{PROFILE}/index\.html:\d+: share: an email address 'governance@brookfield\.example\.org' is in the built share"),
}


def invalid_and_secret(project: Path) -> None:
    """Nothing that stops a share: wrong check digits, dates, ordinary numbers; and redaction terms
    and the sensitive record's page path in disguises the share must rewrite."""
    new_evidence_id(project)
    replace_in(project, "content/evidence/ev-nhs.md", "EV-9434765919", "EV-9434765918")
    append_body(
        "Sheet 943**4765918**, ref &#57;434765918 and 943\u00a0476\u00a05918 (wrong check digits); "
        "raised 2026-03-05, 18 of 20 nights, CQC location 1-1234567890.\n\n"
        "Mrs Thr\u200belfall and Mr Kil\u00adbride asked; see [the outcome](ev-009.md), "
        "[its page](../evidence/EV-009.html), evidence/ev-009.html and ev%2D009.html."
    )(project)


@dataclass
class Shared:
    project: Path
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def shares(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Shared]:
    base = tmp_path_factory.mktemp("guarded")
    plants: dict[str, Callable[[Path], None]] = {name: plant for name, (plant, _) in STOPS.items()}
    plants["clean"] = invalid_and_secret
    running = {}
    for name, plant in plants.items():
        project = copy_example(base / re.sub(r"\W+", "-", name))
        plant(project)
        running[name] = (project, start_portfolio("share", PROFILE, "--as-of", AS_OF, cwd=project, env=clean_env()))
    results = {}
    try:
        for name, (project, process) in running.items():
            stdout, stderr = process.communicate(timeout=300)
            results[name] = Shared(project, process.returncode, stdout, stderr)
    finally:
        for _, process in running.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    return results


@pytest.mark.parametrize("case", sorted(STOPS))
def test_a_disguised_personal_detail_stops_the_share_and_nothing_is_written(shares: dict[str, Shared], case: str):
    shared = shares[case]
    assert shared.returncode == 1, shared.stdout + shared.stderr
    assert re.search("^" + STOPS[case][1], shared.stderr, re.M), shared.stderr
    assert "Traceback" not in shared.stderr
    share_dir = shared.project / "share"
    assert not share_dir.exists() or list(share_dir.iterdir()) == []  # no share, no zip, no temporary folder


def every_text(shared: Shared) -> dict[str, str]:
    """Every file of the share folder and every member of the zip, decompressed and decoded."""
    found: dict[str, bytes] = {}
    folder = shared.project / "share" / PROFILE
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    with zipfile.ZipFile(shared.project / "share" / f"{PROFILE}.zip") as opened:
        for info in opened.infolist():
            found["zip:" + info.filename] = opened.read(info)
    texts = {}
    for name, data in found.items():
        if name.endswith(".gz"):
            data = gzip.decompress(data)
        text = data.decode("utf-8", errors="replace")
        texts[name] = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)  # JSON's escapes
    return texts


def test_a_clean_share_still_succeeds(shares: dict[str, Shared]):
    shared = shares["clean"]
    assert shared.returncode == 0, shared.stdout + shared.stderr
    assert f"Shared '{PROFILE}' as of {AS_OF}" in shared.stdout
    page = (shared.project / "share" / PROFILE / "evidence" / "ev-003.html").read_text(encoding="utf-8")
    assert "Mrs [redacted] and Mr [redacted] asked" in page
    assert "943<strong>4765918</strong>" in page  # a wrong check digit is not an NHS number
    assert (shared.project / "share" / PROFILE / "evidence" / "ev-9434765918.html").is_file()
    assert "Traceback" not in shared.stderr


def test_no_disguised_term_or_page_path_in_any_byte_of_the_share_or_its_zip(shares: dict[str, Shared]):
    shared = shares["clean"]
    assert shared.returncode == 0, shared.stdout + shared.stderr
    texts = every_text(shared)
    assert any(name.startswith("zip:") for name in texts) and "search/search_index.json" in texts
    secrets = [t.casefold() for t in TERMS] + [SENSITIVE_ID.casefold(), "safeguarding enquiry outcome, march 2026 concern"]
    leaks = []
    for name, text in texts.items():
        if name.startswith(("assets/", "zip:" + PROFILE + "/assets/")):
            continue  # Material's own scripts and styles
        read = normalise_for_guard(text).casefold()
        leaks += [(name, secret) for secret in secrets if secret in read]
    assert leaks == []
