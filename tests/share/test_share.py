"""Share profiles, the filter stage, redaction, the personal-data guard and the output scan.

Unit tests: no MkDocs build here (tests/integration/test_share_cli.py builds real shares).
"""

from __future__ import annotations

import gzip
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from generator.share.filter import filter_for_share, in_scope, in_window
from generator.judge.model import build_portfolio
from generator.pipeline import check
from generator.share.personal import nhs_number_valid, personal_data
from generator.share.privacy import TextRules, scan_output
from generator.problems import PortfolioError, Problems
from generator.config.profiles import Profile, read_profile, suggest
from generator.format.records import Action, Evidence, Meeting
from generator.share.publish import check_shares, personal_data_hits, prepare_share, write_zip

AS_OF = date(2026, 11, 22)


# -- the NHS number check digit -----------------------------------------------------------------

@pytest.mark.parametrize("number", ["9434765919", "4010232137", "9990000018", "4505577104"])
def test_valid_nhs_numbers_pass_the_modulus_11_check(number):
    assert nhs_number_valid(number)


@pytest.mark.parametrize("number", [
    "9434765918",  # last digit wrong
    "4010232138",
    "1234567890",  # the check comes to 10: never a valid NHS number
    "0000000000",  # all one digit
    "943476591",  # nine digits
    "94347659190",
])
def test_invalid_nhs_numbers_fail_the_check(number):
    assert not nhs_number_valid(number)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in personal_data(text)]


@pytest.mark.parametrize("text, found", [
    ("NHS number 943 476 5919.", "943 476 5919"),
    ("nhs no 9434765919", "9434765919"),
    ("NHS: 943-476-5919", "943-476-5919"),
])
def test_nhs_numbers_with_or_without_spaces_are_found(text, found):
    assert kinds(text) == [("an NHS number", found)]


@pytest.mark.parametrize("text", [
    "943 476 5918",  # fails the check digit
    "CQC location 1-1234567890",  # an id, not a number on its own
    "ref 12345678901",  # eleven digits
    "score 943 4765 919",  # not 3-3-4
])
def test_numbers_that_are_not_nhs_numbers_are_left_alone(text):
    assert [k for k, _ in kinds(text)] == []


@pytest.mark.parametrize("text, found", [
    ("Call 0161 496 0000 today", "0161 496 0000"),
    ("tel 01632 960001", "01632 960001"),
    ("(01632) 960 001", "(01632) 960 001"),
    ("London 020 7946 0000", "020 7946 0000"),
    ("+44 20 7946 0000", "+44 20 7946 0000"),
    ("+44 (0)20 7946 0000", "+44 (0)20 7946 0000"),
    ("mobile 07700 900123", "07700 900123"),
    ("mobile 07700 900 123", "07700 900 123"),
    ("07700900123", "07700900123"),
    ("+447700900123", "+447700900123"),
    ("0044 7700 900123", "0044 7700 900123"),
])
def test_uk_phone_numbers_are_found(text, found):
    assert kinds(text) == [("a phone number", found)]


@pytest.mark.parametrize("text", [
    "Raised 2026-03-05, due 2026-04-30",
    "18 of 20 records; 38% of nights",
    "readings 0 10 12 14 16 18",
    "seen on 05/03/2026 at 10:30",
    "version 1.0.4, room 0.5",
])
def test_dates_counts_and_times_are_not_phone_numbers(text):
    assert kinds(text) == []


@pytest.mark.parametrize("text, found", [
    ("write to jo.evans@example.org please", "jo.evans@example.org"),
    ("<governance+share@brookfield.example.co.uk>", "governance+share@brookfield.example.co.uk"),
])
def test_email_addresses_are_found(text, found):
    assert kinds(text) == [("an email address", found)]


@pytest.mark.parametrize("text, found", [
    ("Resident DOB 12/03/1941 noted", "DOB 12/03/1941"),
    ("D.O.B.: 12-03-41", "D.O.B.: 12-03-41"),
    ("date of birth: 12 March 1941", "date of birth: 12 March 1941"),
    ("Date of Birth 1941-03-12", "Date of Birth 1941-03-12"),
    ("born on 3rd May 1940 in Leeds", "born on 3rd May 1940"),
    ("dob March 12, 1941", "dob March 12, 1941"),
])
def test_dates_of_birth_are_found(text, found):
    assert kinds(text) == [("a date of birth", found)]


def test_a_date_of_birth_needs_a_date():
    assert kinds("date of birth recorded on admission; DOB checked") == []


# -- redaction ------------------------------------------------------------------------------------

def test_terms_are_replaced_in_any_case_inside_words_and_across_line_breaks():
    rules = TextRules(terms=("Threlfall", "Mrs Kilbride"))
    text = "THRELFALL, threlfall's, ACT-threlfall-2\nMrs\nKilbride left"
    out = rules.text(text)
    assert "threlfall" not in out.lower() and "kilbride" not in out.lower()
    assert out.count("[redacted]") == 4
    assert out.count("\n") == text.count("\n")  # lines are kept, so guard lines stay right


def test_withheld_ids_are_matched_as_whole_ids_and_titles_as_phrases():
    rules = TextRules(withheld_ids=("EV-9",), withheld_titles=("Protected disclosure outcome",))
    out = rules.text("See EV-9, ev-9. Not EV-91 or EV-9a or EV-9.2. The protected  disclosure outcome is filed.")
    assert out == "See [withheld], [withheld]. Not EV-91 or EV-9a or EV-9.2. The [withheld] is filed."


def test_staff_names_become_roles_whole_names_only():
    rules = TextRules(names={"Helen Marsh": "Registered manager", "Tom": "Team leader"})
    out = rules.text("Agreed with helen  marsh; Tom will do it tomorrow; Atom and tom are not Tom's names")
    assert out == "Agreed with Registered manager; Team leader will do it tomorrow; Atom and tom are not Team leader's names"


def test_leaks_are_found_where_rewriting_would_have_changed_text():
    rules = TextRules(terms=("Kilbride",), withheld_ids=("EV-9",), names={"Helen Marsh": "Registered manager"})
    found = {(what, text) for _, what, text in rules.leaks("kilBRIDE ev-9 EV-90 Helen\nMarsh [redacted]")}
    assert found == {("the redaction term", "kilBRIDE"), ("a withheld record's id or title", "ev-9"), ("a staff name", "Helen\nMarsh")}
    assert list(rules.leaks(rules.text("kilBRIDE ev-9 Helen Marsh"))) == []


# -- the output scan ---------------------------------------------------------------------------------

def test_scan_output_reads_every_file_gzip_and_escapes(tmp_path: Path):
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "assets" / "javascripts").mkdir(parents=True)
    (site / "clean.html").write_text("<p>[redacted] and \\[withheld\\]</p>", encoding="utf-8")
    (site / "page.html").write_text("<p>Mrs Kil&#98;ride</p>\n<img src=\"https://tracker.example/p.gif\">", encoding="utf-8")
    (site / "search" / "search_index.json").write_text(json.dumps({"text": "Th\u00e9 Kilbride"}), encoding="utf-8")
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(b"<loc>kilbride</loc>"))
    (site / "file%20name.txt").write_text("Kil%62ride", encoding="utf-8")
    (site / "assets" / "javascripts" / "bundle.js").write_text("kilbride in theme code", encoding="utf-8")
    leaks = scan_output(site, TextRules(terms=("Kilbride",)))
    where = sorted({(leak.path, leak.what) for leak in leaks})
    assert where == [
        ("file%20name.txt", "the redaction term"),
        ("page.html", "a request to another host"),
        ("page.html", "the redaction term"),
        ("search/search_index.json", "the redaction term"),
        ("sitemap.xml.gz", "the redaction term"),
    ]


def test_write_zip_is_byte_identical_sorted_and_dated(tmp_path: Path):
    site = tmp_path / "site"
    (site / "b").mkdir(parents=True)
    (site / "b" / "z.html").write_text("z", encoding="utf-8")
    (site / "a.html").write_text("a", encoding="utf-8")
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    write_zip(site, first, "share-name", date(2026, 11, 22))
    (site / "a.html").touch()  # a new mtime must not matter
    write_zip(site, second, "share-name", date(2026, 11, 22))
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["share-name/a.html", "share-name/b/z.html"]
    assert {i.date_time for i in infos} == {(2026, 11, 22, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


# -- a project to share -------------------------------------------------------------------------------

PROFILE = """\
title: Read-only portfolio for Northshire County Council
services: [north]
since: 2026-01-01
owners: roles
updates: false
"""


@pytest.fixture
def sharing(project):
    """Two services; records in and out of the profile; a sensitive evidence item; terms and names."""
    project.config(
        "provider: Test Care Ltd\nframework: cqc-saf-2023\nredact_terms: [Threlfall, Kilbride]\n"
    )
    project.file("site_config/profiles/council.yml", PROFILE)
    project.record("services", "north", """
        id: north
        title: North House
        registered_manager: Helen Marsh (Registered manager)
    """)
    project.record("services", "south", """
        id: south
        title: South House
    """)
    project.record("sources", "src-old", """
        id: SRC-OLD
        title: Audit, October 2025
        kind: audit
        service: north
        date: 2025-10-01
        identified_by: Sarah Lund (Quality lead)
    """, body="Found on Mrs Threlfall's records.")
    project.record("sources", "src-new", """
        id: SRC-NEW
        title: Audit, February 2026
        kind: audit
        service: north
        date: 2026-02-01
    """)
    project.record("sources", "src-south", """
        id: SRC-SOUTH
        title: South audit
        kind: audit
        service: south
        date: 2026-03-01
    """)
    project.record("sources", "src-gone", """
        id: SRC-GONE
        title: Audit, September 2025
        kind: audit
        service: north
        date: 2025-09-01
    """)
    project.record("meetings", "mtg-1", """
        id: MTG-1
        title: Governance meeting, October 2025
        date: 2025-10-05
        forum: Monthly governance meeting
        chair: Martin Cole (Nominated individual)
        attendees: [Helen Marsh (Registered manager), "Sarah Lund (Quality lead)"]
    """, body="Helen Marsh agreed ACT-LIVE. Kilbride family informed.")
    project.record("evidence", "ev-secret", """
        id: EV-SECRET
        title: Protected disclosure outcome
        service: north
        date: 2026-03-01
        category: staff-feedback
        sensitive: true
    """, body="Names Mrs Threlfall.")
    project.file("content/evidence/threlfall-log.csv", "date,note\n2026-03-02,visited Mr Kilbride\n")
    project.record("evidence", "ev-open", """
        id: EV-OPEN
        title: Re-audit
        service: north
        date: 2026-03-02
        category: processes
        collected_by: Sarah Lund (Quality lead)
        file: threlfall-log.csv
        related: [EV-SECRET]
    """)
    project.record("actions", "act-live", """
        id: ACT-LIVE
        title: Fix the records (Threlfall)
        source: SRC-OLD
        service: north
        owner: Helen Marsh (Registered manager)
        raised: 2025-10-05
        agreed_in: MTG-1
        due: 2026-03-31
        risk: high
        status: closed
        quality_statements: [assessing-needs]
        updates:
          - {date: 2025-12-01, by: Helen Marsh (Registered manager), note: Spoke to Mr Kilbride.}
        completion: {date: 2026-03-01, checked_by: Sarah Lund (Quality lead), note: Checked.}
        closure: {date: 2026-03-10, approved_by: Martin Cole (Nominated individual), evidence: [EV-SECRET, EV-OPEN], outcome: effective, minutes: MTG-1}
        tags: [threlfall-case]
        notes_for_board: {summary: Kilbride complaint closed}
    """)
    project.record("actions", "act-done", """
        id: ACT-DONE
        title: Finished last year
        source: SRC-GONE
        service: north
        owner: Helen Marsh (Registered manager)
        raised: 2025-09-02
        due: 2025-11-30
        risk: low
        status: cancelled
        quality_statements: [assessing-needs]
        cancellation: {date: 2025-11-01, approved_by: Martin Cole (Nominated individual), reason: Superseded.}
    """)
    project.record("actions", "act-south", """
        id: ACT-SOUTH
        title: South action
        source: SRC-SOUTH
        service: south
        owner: Jo Evans (Team leader)
        raised: 2026-03-02
        due: 2026-06-30
        risk: low
        status: open
        quality_statements: [assessing-needs]
    """)
    return project


def checked_of(project):
    checked = check(project.root)
    assert checked.problems.errors == [], [str(p) for p in checked.problems.errors]
    return checked


def profile_of(project, name: str = "council", checked=None) -> Profile:
    checked = checked or checked_of(project)
    problems = Problems()
    profile = read_profile(project.root, name, [r.id for r in checked.validated.records.values() if r.kind == "service"], problems)
    assert profile is not None, [str(p) for p in problems.items]
    return profile




# -- profiles --------------------------------------------------------------------------------------------

def profile_problems(project, text: str) -> list[str]:
    project.file("site_config/profiles/broken.yml", text)
    checked = check(project.root)
    problems = Problems()
    read_profile(project.root, "broken", [r.id for r in checked.validated.records.values() if r.kind == "service"], problems)
    return [str(p) for p in problems.sorted()]


def test_a_good_profile_reads_with_its_defaults(sharing):
    profile = profile_of(sharing)
    assert (profile.title, profile.services, profile.since, profile.owners, profile.updates) == (
        "Read-only portfolio for Northshire County Council", ("north",), date(2026, 1, 1), "roles", False,
    )
    sharing.file("site_config/profiles/minimal.yml", "title: Everyone\n")
    minimal = profile_of(sharing, "minimal")
    assert (minimal.services, minimal.since, minimal.owners, minimal.updates, minimal.allow, minimal.attachments) == (None, None, "roles", True, (), "text")


def test_profile_problems_name_the_line_and_field_with_suggestions(sharing):
    problems = profile_problems(sharing, """\
title: For the council
services: [north, sauth]
since: 01/01/2026
owners: role
updates: sometimes
alow: ["0161 496 0000"]
""")
    assert problems == [
        "site_config/profiles/broken.yml:2: services[2]: no service with id 'sauth'; did you mean 'south'?",
        "site_config/profiles/broken.yml:3: since: '01/01/2026' is not a date; write dates as YYYY-MM-DD (for example 2026-01-01)",
        "site_config/profiles/broken.yml:4: owners: 'role' is not one of: names, roles; did you mean 'roles'?",
        "site_config/profiles/broken.yml:5: updates: must be true or false, not 'sometimes'",
        "site_config/profiles/broken.yml:6: alow: warning: unknown field; did you mean 'allow'?",
    ]


def test_profile_without_title_and_with_an_impossible_date(sharing):
    assert profile_problems(sharing, "since: 2026-02-30\n") == [
        "site_config/profiles/broken.yml:1: since: '2026-02-30' is not a real date",
        "site_config/profiles/broken.yml:1: title: is required: the title names the audience on every page of the share",
    ]


def test_unknown_profile_is_a_usage_error_with_the_nearest_profile(sharing):
    with pytest.raises(PortfolioError) as caught:
        read_profile(sharing.root, "councl", [], Problems())
    assert caught.value.usage
    assert [str(p) for p in caught.value.problems] == [
        "site_config/profiles/councl.yml:1: PROFILE: no share profile 'councl' in site_config/profiles/ (profiles: council); did you mean 'council'?"
    ]
    with pytest.raises(PortfolioError) as caught:
        read_profile(sharing.root, "../council", [], Problems())
    assert caught.value.usage


def test_suggest_prefers_a_prefix():
    assert suggest("northshire", ["northshire-county-council", "southshire"]) == "northshire-county-council"
    assert suggest("counil", ["council", "board"]) == "council"
    assert suggest("zzz", ["council", "board"]) is None


# -- which records are in ---------------------------------------------------------------------------------

def test_scope_services_since_and_an_actions_story(sharing):
    checked = checked_of(sharing)
    kept, withheld = in_scope(checked.validated.records, profile_of(sharing, checked=checked))
    assert withheld == {"ev-secret"}
    # ACT-LIVE was raised in 2025 but closed in the window: in, with its 2025 source and meeting.
    # ACT-DONE was cancelled before `since`: out, and so is its 2025 source. South is out.
    assert kept == {"north", "src-old", "src-new", "mtg-1", "ev-open", "act-live"}


def test_in_window_for_actions_uses_closure_and_cancellation():
    action = Action(kind="action", id="A", title="t", path="p", body="", fields={}, raised=date(2025, 1, 1))
    assert in_window(action, date(2026, 1, 1))  # still open: in
    closed = Action(kind="action", id="A", title="t", path="p", body="", fields={}, raised=date(2025, 1, 1))
    from generator.format.records import Closure
    closed.closure = Closure(date(2025, 12, 31), None, (), "effective", None, "")
    assert not in_window(closed, date(2026, 1, 1))
    assert in_window(closed, date(2025, 12, 31))


# -- rewriting ---------------------------------------------------------------------------------------------

def test_filter_withholds_redacts_and_replaces_names(sharing):
    filtered = filter_for_share(*_inputs(sharing))
    records = filtered.validated.records
    action = records["act-live"]
    assert isinstance(action, Action)
    assert action.title == "Fix the records ([redacted])"
    assert action.tags == ("[redacted]-case",)
    assert action.owner.name is None and action.owner.role == "Registered manager" and action.owner.named
    assert action.closure is not None and action.closure.evidence == ("EV-OPEN",)
    assert action.closure.approved_by is not None and action.closure.approved_by.name is None
    assert [u.note for u in action.updates] == ["Note not included in this share."]
    # portfolio.json's fields: persons as roles, no withheld id, no update note, every string redacted
    fields = action.fields
    assert fields["owner"] == "Registered manager"
    assert fields["closure"]["evidence"] == ["EV-OPEN"]
    assert fields["closure"]["approved_by"] == "Nominated individual"
    assert fields["updates"] == [{"date": "2025-12-01", "by": "Registered manager"}]
    assert fields["notes_for_board"] == {"summary": "[redacted] complaint closed"}
    assert fields["tags"] == ["[redacted]-case"]
    meeting = records["mtg-1"]
    assert isinstance(meeting, Meeting)
    assert meeting.fields["chair"] == "Nominated individual"
    assert meeting.fields["attendees"] == ["Registered manager", "Quality lead"]
    assert {p.name for p in meeting.attendees} == {None}
    assert meeting.body == "Registered manager agreed ACT-LIVE. [redacted] family informed."
    everything = json.dumps({k: r.fields for k, r in records.items()}) + "".join(r.body + r.title for r in records.values())
    for secret in ("threlfall", "kilbride", "helen marsh", "sarah lund", "martin cole", "ev-secret", "protected disclosure"):
        assert secret not in everything.lower(), secret
    # the counts a page shows instead of the withheld record
    assert filtered.withheld_counts(AS_OF) == {"act-live": {"closure.evidence": 1}, "ev-open": {"related": 1}}
    assert filtered.withheld_counts(date(2026, 2, 1)) == {}  # EV-SECRET is not yet in the portfolio then
    assert filtered.config.provider == "Test Care Ltd"


def test_names_profile_keeps_names_but_still_redacts_them(sharing):
    sharing.file("site_config/profiles/names.yml", "title: Inspector\nowners: names\n")
    sharing.config("provider: Test Care Ltd\nframework: cqc-saf-2023\nredact_terms: [Threlfall, Kilbride, Marsh]\n")
    checked = checked_of(sharing)
    filtered = filter_for_share(checked.validated, checked.config, profile_of(sharing, "names", checked=checked))
    action = filtered.validated.records["act-live"]
    assert isinstance(action, Action)
    assert action.owner.name == "Helen [redacted]"
    assert action.fields["owner"] == "Helen [redacted] (Registered manager)"
    assert action.fields["updates"][0]["note"] == "Spoke to Mr [redacted]."  # updates: true by default
    # every service, no date window: the south house and last year's cancelled action are in
    assert {"south", "act-south", "act-done", "src-gone"} <= set(filtered.validated.records)


def test_an_id_holding_a_redaction_term_stops_the_share(sharing):
    sharing.config("provider: Test Care Ltd\nframework: cqc-saf-2023\nredact_terms: [live]\n")
    filtered = filter_for_share(*_inputs(sharing))
    assert [str(p) for p in filtered.problems.errors] == [
        "content/actions/act-live.md:2: id: 'ACT-LIVE' contains the redaction term 'live'; ids are in page addresses and links, so rename this record before sharing it"
    ]


def test_attachments_text_is_redacted_and_renamed_binary_is_left_out(sharing):
    filtered = filter_for_share(*_inputs(sharing))
    published = filtered.attachments["ev-open"]
    assert published.name == "attachment.csv"
    assert published.data == b"date,note\n2026-03-02,visited Mr [redacted]\n"
    assert published.rel == "content/evidence/threlfall-log.csv"

    (sharing.root / "content/evidence/scan.pdf").write_bytes(b"%PDF-1.4\x00\x01 Kilbride \x00")
    text = (sharing.root / "content/evidence/ev-open.md").read_text().replace("threlfall-log.csv", "scan.pdf")
    (sharing.root / "content/evidence/ev-open.md").write_text(text)
    filtered = filter_for_share(*_inputs(sharing))
    assert "ev-open" not in filtered.attachments
    assert filtered.validated.records["ev-open"].file_path is None  # type: ignore[attr-defined]
    assert "file" not in filtered.validated.records["ev-open"].fields
    assert filtered.withheld_counts(AS_OF)["ev-open"]["file"] == 1

    sharing.file("site_config/profiles/council.yml", PROFILE + "attachments: all\n")
    filtered = filter_for_share(*_inputs(sharing))
    assert [str(p) for p in filtered.problems.errors] == [
        "content/evidence/scan.pdf:1: attachment: contains the redaction term 'Kilbride'; it is not plain text, so it cannot be "
        "redacted: remove it from the file, or share text attachments only (attachments: text)"
    ]


def _inputs(project):
    checked = checked_of(project)
    return checked.validated, checked.config, profile_of(project, checked=checked)


# -- the personal-data guard -------------------------------------------------------------------------------

def test_guard_reports_path_line_and_field_and_respects_allow(sharing):
    path = sharing.root / "content/evidence/ev-open.md"
    path.write_text(path.read_text().replace("related: [EV-SECRET]", "related: [EV-SECRET]\nkind: call 07700 900123")
                    + "Second line.\nResident NHS number 943 476 5919, DOB 12/03/1941.\n")
    lines = path.read_text().split("\n")
    kind_line = next(i for i, line in enumerate(lines, 1) if line.startswith("kind:"))
    nhs_line = next(i for i, line in enumerate(lines, 1) if "943 476 5919" in line)
    hits = personal_data_hits(filter_for_share(*_inputs(sharing)), AS_OF)
    assert [(h.path, h.line, h.field, h.kind, h.text) for h in hits] == [
        ("content/evidence/ev-open.md", kind_line, "kind", "a phone number", "07700 900123"),
        ("content/evidence/ev-open.md", nhs_line, "body", "an NHS number", "943 476 5919"),
        ("content/evidence/ev-open.md", nhs_line, "body", "a date of birth", "DOB 12/03/1941"),
    ]
    with pytest.raises(PortfolioError) as caught:
        prepare_share(sharing.root, "council", AS_OF)
    assert not caught.value.usage
    assert f"content/evidence/ev-open.md:{nhs_line}: body: an NHS number '943 476 5919' would be published in this share; " \
           "remove it, or, if it may be shared, add the exact text to 'allow' in site_config/profiles/council.yml" in str(caught.value)

    sharing.file("site_config/profiles/council.yml", PROFILE + 'allow: ["943 476 5919", "DOB 12/03/1941", "07700 900123"]\n')
    prepared = prepare_share(sharing.root, "council", AS_OF)
    assert prepared.portfolio.get("EV-OPEN") is not None


def test_guard_messages_are_one_line_and_allow_ignores_line_breaks(sharing):
    path = sharing.root / "content/sources/src-new.md"
    path.write_text(path.read_text() + "Her date of\nbirth: 12 March 1941.\n")
    hits = personal_data_hits(filter_for_share(*_inputs(sharing)), AS_OF)
    assert [(h.text, h.line) for h in hits] == [("date of birth: 12 March 1941", len(path.read_text().split("\n")) - 2)]
    sharing.file("site_config/profiles/council.yml", PROFILE + 'allow: ["date of birth: 12 March 1941"]\n')
    assert personal_data_hits(filter_for_share(*_inputs(sharing)), AS_OF) == []


def test_guard_reads_attachments_and_skips_what_is_not_shared(sharing):
    sharing.file("content/evidence/threlfall-log.csv", "date,note\n2026-03-02,rang 0161 496 0000\n")
    secret = sharing.root / "content/evidence/ev-secret.md"
    secret.write_text(secret.read_text() + "jo@example.org\n")  # sensitive: never published, so not reported
    hits = personal_data_hits(filter_for_share(*_inputs(sharing)), AS_OF)
    assert [(h.path, h.line, h.field, h.text) for h in hits] == [
        ("content/evidence/threlfall-log.csv", 2, "attachment", "0161 496 0000"),
    ]


def test_check_reports_profiles_and_guard_hits_as_warnings(sharing):
    path = sharing.root / "content/sources/src-new.md"
    path.write_text(path.read_text() + "Contact jo.evans@example.org\n")
    sharing.file("site_config/profiles/board.yml", "title: Board\nowners: names\nservices: [nort]\n")
    checked = check(sharing.root)
    shown = [str(p) for p in check_shares(checked)]
    line = path.read_text().split("\n").index("Contact jo.evans@example.org") + 1
    assert shown == [
        "site_config/profiles/board.yml:3: services[1]: no service with id 'nort'; did you mean 'north'?",
        f"content/sources/src-new.md:{line}: body: warning: an email address 'jo.evans@example.org' would be published; "
        "remove it, or allow the exact text in the profile (portfolio share stops on this for profile 'council')",
    ]


def test_model_after_filter_sees_only_the_share(sharing):
    filtered = filter_for_share(*_inputs(sharing))
    portfolio = build_portfolio(filtered.validated, filtered.config, AS_OF)
    assert sorted(portfolio.records) == ["act-live", "ev-open", "mtg-1", "north", "src-new", "src-old"]
    assert all(link.target_key != "ev-secret" for links in portfolio.outlinks.values() for link in links)
    evidence = portfolio.get("EV-OPEN")
    assert isinstance(evidence, Evidence)
