"""`portfolio share PROFILE` end to end: nothing sensitive in any byte of a real share.

A project is planted with a sensitive evidence record, redaction terms in a title, a body, a
person, an update note, a tag, a free-text field, an unknown field, an attachment's content and
its file name, and staff names in every kind of person field; the profile asks for roles. The
share is built by the real command (twice, from two copies, in parallel, to prove the zip is
byte-identical), then every file of share/PROFILE/ and every member of the zip is read as bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, clean_env, run_portfolio, start_portfolio

AS_OF = "2026-11-22"
PROFILE_NAME = "council"
NHS_NUMBER = "943 476 5919"  # passes the modulus 11 check

#: Where each redaction term is planted (in mixed case; redact_terms lists them as below).
TERMS = {
    "title": "Quillfeather",
    "body": "Zandravelle",
    "person": "Moxworthy",
    "update note": "Brackenbury",
    "tag": "Fenwhistle",
    "free-text field": "Pellinore",
    "unknown field": "Tintagrove",
    "attachment content": "Gorsebrook",
    "attachment file name": "Harrowgate",
}
STAFF = ["Wilhelmina Stroud", "Barnaby Quennock", "Odile Fairweather", "Cosmo Ashdown", "Perpetua Moxworthy", "Ignatius Pendragon"]
SENSITIVE_ID = "EV-SEALED-4"
SENSITIVE_TITLE = "Whistleblowing investigation findings"
OUT_OF_SHARE = ["Vexmoor retired plan", "Southern kitchen audit"]


def forbidden() -> list[str]:
    """Every string that must not be in any byte of the share, in any case."""
    words = list(TERMS.values()) + [SENSITIVE_ID, SENSITIVE_TITLE, *OUT_OF_SHARE]
    for name in STAFF:
        words += [name, *name.split()]
    return words


# -- the planted project -----------------------------------------------------------------------------

def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def record(root: Path, rel: str, front: str, body: str) -> None:
    write(root, rel, "---\n" + textwrap.dedent(front).strip("\n") + "\n---\n" + textwrap.dedent(body).strip("\n") + "\n")


def plant(root: Path, *, allow: bool = True) -> Path:
    root.mkdir(parents=True)
    write(root, "site_config/portfolio.yml", f"""
        provider: Test Care Ltd
        framework: cqc-saf-2023
        roles: [Registered manager, Deputy manager, Team leader, Quality lead, Senior carer]
        redact_terms: [{", ".join(TERMS.values())}]
    """)
    write(root, f"site_config/profiles/{PROFILE_NAME}.yml", f"""
        title: Read-only portfolio for Northshire County Council
        services: [north]
        since: 2026-01-01
        owners: roles
        updates: true
        {'allow: ["' + NHS_NUMBER + '"]' if allow else ''}
    """)
    mkdocs = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    mkdocs.update(
        site_url="https://portfolio.example.org/",
        repo_url="https://github.com/example-care/portfolio",
        edit_uri="edit/main/content/",
        extra={"analytics": {"provider": "google", "property": "G-TESTTEST01"}},
    )
    (root / "mkdocs.yml").write_text(yaml.safe_dump(mkdocs, sort_keys=False), encoding="utf-8")

    record(root, "content/services/north.md", """
        id: north
        title: North House
        registered_manager: Wilhelmina Stroud (Registered manager)
    """, "North House is run by Wilhelmina Stroud.")
    record(root, "content/services/south.md", """
        id: south
        title: South House
    """, "A home in the south.")
    record(root, "content/sources/src-1.md", """
        id: SRC-1
        title: Night handover audit
        kind: audit
        service: north
        date: 2025-11-01
        identified_by: Barnaby Quennock (Team leader)
        quality_statements: [safe-systems-pathways-and-transitions]
    """, """
        Handover sheets in the ZANDRAVELLE wing were incomplete on 9 of 14 nights.
        Reported by Barnaby Quennock.
    """)
    record(root, "content/sources/src-south.md", """
        id: SRC-SOUTH
        title: Southern kitchen audit
        kind: audit
        service: south
        date: 2026-02-01
    """, "Out of this share.")
    record(root, "content/meetings/mtg-1.md", """
        id: MTG-1
        title: Governance meeting, February 2026
        date: 2026-02-10
        forum: Monthly governance meeting
        chair: Cosmo Ashdown (Deputy manager)
        attendees:
          - Wilhelmina Stroud (Registered manager)
          - {name: Odile Fairweather, role: Quality lead}
    """, "Odile Fairweather presented the audit. Agreed ACT-1.")
    record(root, "content/evidence/ev-sealed-4.md", f"""
        id: {SENSITIVE_ID}
        title: {SENSITIVE_TITLE}
        service: north
        date: 2026-03-01
        category: staff-feedback
        sensitive: true
    """, "Findings about the Zandravelle wing; statements by Perpetua Moxworthy.")
    write(root, "content/evidence/logs/visits-Harrowgate.csv", "date,visitor\n2026-03-04,GORSEBROOK family\n")
    record(root, "content/evidence/ev-2.md", """
        id: EV-2
        title: Handover sheet re-audit
        service: north
        date: 2026-03-05
        category: processes
        kind: re-audit (pellinore method)
        collected_by: Perpetua Moxworthy (Senior carer)
        file: logs/visits-Harrowgate.csv
        related: [EV-SEALED-4]
        quality_statements: [safe-systems-pathways-and-transitions]
    """, f"""
        Fourteen nights re-sampled; every handover sheet complete.
        Resident's NHS number {NHS_NUMBER} is on the sample sheet.
    """)
    record(root, "content/actions/act-1.md", """
        id: ACT-1
        title: Quillfeather wing handover sheet
        source: SRC-1
        service: north
        owner: Odile Fairweather (Quality lead)
        assigned_by: Cosmo Ashdown (Deputy manager)
        raised: 2026-02-10
        agreed_in: MTG-1
        due: 2026-04-30
        risk: high
        status: closed
        quality_statements: [safe-systems-pathways-and-transitions]
        evidence_required: A Pellinore-style re-audit of fourteen nights.
        board_note: Tintagrove asked to see this.
        tags: [fenwhistle-review, handover]
        milestones:
          - {title: Sheet in use, due: 2026-03-01, done: 2026-03-01, evidence: [EV-SEALED-4]}
        updates:
          - {date: 2026-02-20, by: Barnaby Quennock (Team leader), note: Brackenbury family asked about the sheet.}
        extensions: []
        escalations:
          - {date: 2026-03-02, to: Ignatius Pendragon (Nominated individual), reason: Agency staff not using the sheet.}
        completion: {date: 2026-03-20, checked_by: Odile Fairweather (Quality lead), note: Checked on four nights.}
        closure:
          date: 2026-04-02
          approved_by: Wilhelmina Stroud (Registered manager)
          evidence: [EV-SEALED-4, EV-2]
          outcome: effective
          minutes: MTG-1
        related: [EV-SEALED-4]
    """, "Agreed after the audit. Wilhelmina Stroud will review it at the July audit.")
    record(root, "content/actions/act-old.md", """
        id: ACT-OLD
        title: Night staff induction covers handover
        source: SRC-1
        service: north
        owner: Barnaby Quennock (Team leader)
        raised: 2025-11-05
        due: 2026-12-31
        risk: medium
        status: in-progress
        quality_statements: [safe-systems-pathways-and-transitions]
    """, "Raised before the share's window, still open in it.")
    record(root, "content/actions/act-gone.md", """
        id: ACT-GONE
        title: Vexmoor retired plan
        source: SRC-1
        service: north
        owner: Barnaby Quennock (Team leader)
        raised: 2025-11-02
        due: 2025-12-31
        risk: low
        status: cancelled
        quality_statements: [safe-systems-pathways-and-transitions]
        cancellation: {date: 2025-12-01, approved_by: Cosmo Ashdown (Deputy manager), reason: Replaced by ACT-OLD.}
    """, "Cancelled before the window.")
    record(root, "content/actions/act-south.md", """
        id: ACT-SOUTH
        title: South kitchen action
        source: SRC-SOUTH
        service: south
        owner: Jo Evans (Team leader)
        raised: 2026-02-02
        due: 2026-06-30
        risk: low
        status: open
        quality_statements: [safe-systems-pathways-and-transitions]
    """, "Out of this share.")
    return root


# -- running it -------------------------------------------------------------------------------------------

@dataclass
class Share:
    project: Path
    returncode: int
    stdout: str
    stderr: str

    @property
    def folder(self) -> Path:
        return self.project / "share" / PROFILE_NAME

    @property
    def zip(self) -> Path:
        return self.project / "share" / f"{PROFILE_NAME}.zip"


@pytest.fixture(scope="module")
def shares(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Share]:
    """Three shares built at once: the planted project, a copy of it elsewhere, and a copy whose
    mkdocs.yml puts a redaction term in the site name (which no record rewrite can reach)."""
    base = tmp_path_factory.mktemp("share")
    projects = {
        "main": plant(base / "main"),
        "twin": plant(base / "elsewhere" / "twin"),
        "leaky": plant(base / "leaky"),
    }
    leaky_mkdocs = projects["leaky"] / "mkdocs.yml"
    leaky_mkdocs.write_text(leaky_mkdocs.read_text(encoding="utf-8").replace("site_name:", "site_name: Quillfeather", 1), encoding="utf-8")
    running = {name: start_portfolio("share", PROFILE_NAME, "--as-of", AS_OF, cwd=path) for name, path in projects.items()}
    results = {}
    try:
        for name, process in running.items():
            stdout, stderr = process.communicate(timeout=180)
            results[name] = Share(projects[name], process.returncode, stdout, stderr)
    finally:
        for process in running.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    return results


@pytest.fixture(scope="module")
def share(shares: dict[str, Share]) -> Share:
    built = shares["main"]
    assert built.returncode == 0, built.stdout + built.stderr
    return built


def every_file(folder: Path) -> dict[str, bytes]:
    """Every file under the share folder as bytes; a .gz file also as what it holds."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            rel = path.relative_to(folder).as_posix()
            found[rel] = path.read_bytes()
            if rel.endswith(".gz"):
                found[rel + " (decompressed)"] = gzip.decompress(found[rel])
    return found


def every_member(archive: Path) -> dict[str, bytes]:
    found = {}
    with zipfile.ZipFile(archive) as opened:
        for info in opened.infolist():
            found[info.filename] = data = opened.read(info)
            if info.filename.endswith(".gz"):
                found[info.filename + " (decompressed)"] = gzip.decompress(data)
    return found


def assert_nothing_forbidden(files: dict[str, bytes]) -> None:
    words = [w.lower().encode() for w in forbidden()]
    leaks = [(name, w.decode()) for name, data in files.items() for w in words if w in data.lower()]
    assert leaks == []


# -- what the share holds ----------------------------------------------------------------------------

def test_share_builds_folder_and_zip(share: Share):
    assert share.folder.is_dir() and share.zip.is_file()
    assert f"Shared '{PROFILE_NAME}' as of {AS_OF}" in share.stdout
    assert "1 sensitive record withheld" in share.stdout
    assert "Traceback" not in share.stderr
    leftovers = [p.name for p in (share.project / "share").iterdir() if p.name not in (PROFILE_NAME, f"{PROFILE_NAME}.zip")]
    assert leftovers == []


def test_no_planted_term_withheld_record_or_staff_name_in_any_byte(share: Share):
    files = every_file(share.folder)
    assert "search/search_index.json" in files and "sitemap.xml.gz (decompressed)" in files and "portfolio.json" in files
    assert_nothing_forbidden(files)


def test_no_planted_term_withheld_record_or_staff_name_in_any_zip_member(share: Share):
    members = every_member(share.zip)
    assert len([m for m in members if not m.endswith("(decompressed)")]) == sum(1 for p in share.folder.rglob("*") if p.is_file())
    assert_nothing_forbidden(members)


def test_the_share_still_says_what_happened(share: Share):
    """Absence alone could mean an empty share: the redacted, role-named content is there."""
    page = (share.folder / "actions" / "act-1.html").read_text(encoding="utf-8")
    assert "[redacted] wing handover sheet" in page
    assert page.count("1 evidence item withheld from this portfolio") == 2  # closure and milestone evidence
    assert "1 related record withheld from this portfolio" in page
    assert "Quality lead" in page and "Deputy manager" in page and "Nominated individual" in page
    assert 'href="../evidence/ev-2.html"' in page
    meeting = (share.folder / "meetings" / "mtg-1.html").read_text(encoding="utf-8")
    assert "Quality lead presented the audit" in meeting
    attachment = share.folder / "evidence" / "ev-2" / "attachment.csv"
    assert attachment.read_bytes() == b"date,visitor\n2026-03-04,[redacted] family\n"
    import json

    data = json.loads((share.folder / "portfolio.json").read_text(encoding="utf-8"))
    records = {r["id"]: r for r in data["records"]}
    # in: ACT-OLD (raised before `since`, still open) and SRC-1 (its source, dated before `since`);
    # out: the other service, the action cancelled before `since`, the sensitive evidence.
    assert sorted(records) == ["ACT-1", "ACT-OLD", "EV-2", "MTG-1", "SRC-1", "north"]
    fields = records["ACT-1"]["fields"]
    assert fields["owner"] == "Quality lead"
    assert fields["closure"]["evidence"] == ["EV-2"]
    assert fields["updates"] == [{"date": "2026-02-20", "by": "Team leader", "note": "[redacted] family asked about the sheet."}]
    assert fields["board_note"] == "[redacted] asked to see this."
    assert records["MTG-1"]["fields"]["attendees"] == ["Registered manager", "Quality lead"]
    assert not (share.folder / "actions" / "act-gone.html").exists() and not (share.folder / "services" / "south.html").exists()


def test_banner_noindex_no_edit_links_and_nothing_from_another_host(share: Share):
    pages = {p.relative_to(share.folder).as_posix(): p.read_text(encoding="utf-8") for p in share.folder.rglob("*.html")}
    assert "actions/act-1.html" in pages  # use_directory_urls: false, so pages open from disk
    banner = "Read-only portfolio for Northshire County Council, shared by Test Care Ltd as of 2026-11-22"
    outside = r"""(?:src|href)\s*=\s*["']?(?:https?:)?//"""
    for name, markup in pages.items():
        assert banner in markup or name == "404.html", name  # Material's 404 page replaces the content block
        assert '<meta name="robots" content="noindex, nofollow">' in markup, name
        for loaded in re.findall(r"<(?:script|img|iframe)\b[^>]*>|<link\b[^>]*>", markup):
            if "<link" in loaded and not re.search(r"stylesheet|icon|preload|preconnect|manifest", loaded):
                continue
            assert not re.search(outside, loaded), (name, loaded)
        for address in ("github.com", "unpkg.com", "googletagmanager", "G-TESTTEST01", "portfolio.example.org"):
            assert address not in markup, (name, address)
    assert (share.folder / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = ")
    assert 'src="assets/javascripts/iframe-worker/shim.js"' in pages["index.html"]
    assert (share.folder / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"


def test_the_same_input_gives_a_byte_identical_zip(shares: dict[str, Share], share: Share):
    twin = shares["twin"]
    assert twin.returncode == 0, twin.stderr
    assert hashlib.sha256(twin.zip.read_bytes()).hexdigest() == hashlib.sha256(share.zip.read_bytes()).hexdigest()
    with zipfile.ZipFile(share.zip) as opened:
        infos = opened.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names) and all(n.startswith(f"{PROFILE_NAME}/") for n in names)
    assert {i.date_time for i in infos} == {(2026, 11, 22, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_a_redaction_term_the_records_cannot_reach_stops_the_share(shares: dict[str, Share]):
    leaky = shares["leaky"]
    assert leaky.returncode == 1, leaky.stdout + leaky.stderr
    assert re.search(rf"^share/{PROFILE_NAME}/index\.html:\d+: share: the redaction term 'Quillfeather' is still in the built share", leaky.stderr, re.M), leaky.stderr
    assert "Traceback" not in leaky.stderr
    assert list((leaky.project / "share").iterdir()) == []  # nothing written, no temporary folder left


# -- the personal-data guard and mistakes ------------------------------------------------------------

def digest(share: Share) -> dict[str, str]:
    found = {p.relative_to(share.project / "share").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in (share.project / "share").rglob("*") if p.is_file()}
    assert found
    return found


def test_guard_stops_on_an_nhs_number_unless_allowed_and_leaves_the_share_as_it_was(shares: dict[str, Share]):
    twin = shares["twin"]
    assert twin.returncode == 0, twin.stderr
    before = digest(twin)
    profile = twin.project / "site_config" / "profiles" / f"{PROFILE_NAME}.yml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(f'allow: ["{NHS_NUMBER}"]', ""), encoding="utf-8")
    evidence = twin.project / "content" / "evidence" / "ev-2.md"
    line = evidence.read_text(encoding="utf-8").split("\n").index(f"Resident's NHS number {NHS_NUMBER} is on the sample sheet.") + 1
    result = run_portfolio("share", PROFILE_NAME, "--as-of", AS_OF, cwd=twin.project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"content/evidence/ev-2.md:{line}: body: an NHS number '{NHS_NUMBER}' would be published in this share" in result.stderr
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert digest(twin) == before


def test_unknown_profile_is_exit_2_with_the_nearest_one(shares: dict[str, Share]):
    result = run_portfolio("share", "councl", cwd=shares["main"].project)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "site_config/profiles/councl.yml:1: PROFILE: no share profile 'councl' in site_config/profiles/ (profiles: council); did you mean 'council'?"
    )


def test_broken_profile_is_exit_2_with_every_problem(tmp_path: Path):
    project = plant(tmp_path / "broken")
    write(project, "site_config/profiles/board.yml", """
        title: Board
        services: [nort]
        since: 2026-13-01
        owners: everyone
        colour: blue
    """)
    result = run_portfolio("share", "board", cwd=project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        "site_config/profiles/board.yml:2: services[1]: no service with id 'nort'; did you mean 'north'?",
        "site_config/profiles/board.yml:3: since: '2026-13-01' is not a real date",
        "site_config/profiles/board.yml:4: owners: 'everyone' is not one of: names, roles",
        "site_config/profiles/board.yml:5: colour: warning: unknown field",
    ]
    assert not (project / "share").exists()


def test_check_warns_about_what_share_would_stop_on(tmp_path: Path):
    project = plant(tmp_path / "unallowed", allow=False)
    line = (project / "content" / "evidence" / "ev-2.md").read_text(encoding="utf-8").split("\n").index(
        f"Resident's NHS number {NHS_NUMBER} is on the sample sheet.") + 1
    result = run_portfolio("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (f"content/evidence/ev-2.md:{line}: body: warning: an NHS number '{NHS_NUMBER}' would be published; remove it, "
            f"or allow the exact text in the profile (portfolio share stops on this for profile '{PROFILE_NAME}')") in result.stdout.splitlines()


# -- opened from the file system -------------------------------------------------------------------

BROWSER_SCRIPT = r"""
import json, sys
from playwright.sync_api import sync_playwright

index, word = sys.argv[1], sys.argv[2]
requests, errors = [], []
with sync_playwright() as pw:
    browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                 args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:", "blob:")) else route.abort())
        page.goto(index, wait_until="load")
        page.locator("input.md-search__input").click()
        page.keyboard.type(word, delay=30)
        page.locator(".md-search-result__item").first.wait_for(timeout=15000)
        results = page.locator(".md-search-result__item").count()
    finally:
        browser.close()
print(json.dumps({"results": results, "requests": requests, "errors": errors}))
"""


def test_unzipped_share_searches_from_file_urls_without_other_hosts(share: Share, tmp_path: Path):
    """Search works from file:// (the offline plugin and the bundled iframe-worker shim), and no
    page asks another host for anything. Run in its own process: the browser tests keep a
    Playwright session open in this one."""
    import json
    import subprocess
    import sys

    problem = None
    if not Path("/usr/bin/chromium").exists():
        problem = "Debian chromium not installed at /usr/bin/chromium: apt-get install chromium"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError as exc:  # pragma: no cover
            problem = f"playwright cannot be imported: {exc}"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    with zipfile.ZipFile(io.BytesIO(share.zip.read_bytes())) as opened:
        opened.extractall(tmp_path)
    index = (tmp_path / PROFILE_NAME / "index.html").as_uri()
    run = subprocess.run([sys.executable, "-c", BROWSER_SCRIPT, index, "handover"], capture_output=True, text=True, timeout=120, env=clean_env())
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["results"] >= 1
    assert [u for u in seen["requests"] if not u.startswith(("file:", "data:", "blob:", "about:"))] == []
    assert seen["errors"] == []
