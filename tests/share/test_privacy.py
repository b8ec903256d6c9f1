"""The guard sees through disguises: normalisation (generator/share/normalise.py), the personal-data
guard on normalised text (generator/share/personal.py), redaction of disguised terms and page paths,
and the last look's personal-data scan; and a share's guard reads every place it publishes.

Unit tests: no MkDocs build here (tests/integration/test_share_guard_cli.py builds real shares).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from generator.share.normalise import normalise_for_guard, page_readings, views
from generator.share.personal import Allowed, personal_data, personal_data_seen
from generator.share.privacy import TextRules, scan_output

NHS = "9434765919"  # passes the modulus 11 check
NOT_NHS = "9434765918"  # the same with a wrong check digit


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in personal_data_seen(text)]


# -- normalisation -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, read", [
    ("943\u00a0476\u00a05919", "943 476 5919"),  # non-breaking spaces
    ("943\u202f476\u20095919", "943 476 5919"),  # narrow no-break space, thin space
    ("&#57;434765919", NHS),  # a decimal entity
    ("&#x39;434765919", NHS),  # a hexadecimal entity
    ("&amp;#57;434765919", NHS),  # an entity of an entity
    ("943**4765919**", NHS),  # Markdown emphasis
    ("943_4765919_", NHS),
    ("943`4765919`", NHS),
    ("943~~4765919~~", NHS),
    ("943\\*4765919", NHS),  # an escaped marker
    ("943<em>4765919</em>", NHS),  # inline tags join
    ("943<SPAN class='x'>4765919</SPAN>", NHS),
    ("943<!-- -->4765919", "943 4765919"),
    ("943\u200b4765919", NHS),  # zero-width space
    ("943\u00ad4765919", NHS),  # soft hyphen
    ("943\u2060476\ufeff5919", NHS),  # word joiner, byte order mark
    ("\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19", NHS),  # full-width digits (NFKC)
    ("\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669", NHS),  # Arabic-Indic digits
    ("943\u2013476\u20135919", "943-476-5919"),  # en dashes
    ("jo.bloggs&#64;example.org", "jo.bloggs@example.org"),
    ("mailto:jo%40example.org", "mailto:jo@example.org"),
    ("Thr\u200belfall", "Threlfall"),
    ("Thr\u00adelfall", "Threlfall"),
    ("ev%2Dsecret77.html", "ev-secret77.html"),
    ("Thr\u0435lfall", "Threlfall"),  # a Cyrillic 'е'
    ("T\u0336h\u0336r\u0336elfall", "Threlfall"),  # struck through with combining marks
    ("Jose\u0301 and Jos\u00e9", "Jos\u00e9 and Jos\u00e9"),  # an accent is kept (composed)
    ("\u202e9195674349\u202c", NHS),  # a right-to-left override shows it reversed
])
def test_normalisation_reads_text_as_a_reader_sees_it(text, read):
    assert normalise_for_guard(text) == read


def test_block_tags_and_table_cells_stay_apart():
    """A browser shows block elements apart: counts in table cells must not join into a number."""
    assert normalise_for_guard("<tr><td>0</td><td>1632</td><td>960</td><td>001</td></tr>").split() == ["0", "1632", "960", "001"]
    assert personal_data_seen("<td>0</td><td>1</td><td>7</td><td>3</td><td>2</td><td>0</td><td>1</td><td>1</td><td>4</td><td>5</td>") == []


def test_normalisation_keeps_every_line_break_in_order():
    text = "line one &#10; still one\nline two %0A still two\n<p\nclass='x'>three</p>\r\nfour"
    read = normalise_for_guard(text)
    assert read.count("\n") == text.count("\n")
    assert read.split("\n")[0].strip() == "line one still one"


def test_plain_text_is_returned_as_it_is():
    text = "Fourteen nights re-sampled; every handover sheet complete."
    assert normalise_for_guard(text) is text


def test_a_view_maps_a_span_back_to_the_text_it_came_from():
    text = "see ev%2Dsecret77.html and 943**4765919** and Thr\u200belfall"
    for view in views(text, mapped=True):
        for wanted, written in (("ev-secret77", "ev%2Dsecret77"), (NHS, "943**4765919"), ("Threlfall", "Thr\u200belfall")):
            at = view.text.index(wanted)
            start, end = view.original(at, at + len(wanted))
            assert text[start:end] == written


def test_a_page_is_read_as_its_text_and_its_attribute_values():
    markup = '<p class="x">NHS 943<em>4765919</em></p><a href="mailto:jo%40example.org" title=\'Ward&nbsp;3\' data-n=9434765919>x</a>'
    text, attributes, _ = page_readings(markup)
    assert text == normalise_for_guard(markup) == " NHS 9434765919 x"
    assert attributes.split("\n") == ["x", "mailto:jo@example.org", "Ward 3", NHS]


# -- the personal-data guard on normalised text -------------------------------------------------

@pytest.mark.parametrize("text, written", [
    ("ACT-9434765919", NHS),  # in an id
    ("EV-9434765919.html", NHS),  # in a page path
    ("nhs-9434765919.csv", NHS),  # in a file name
    ("9434765919", NHS),  # a front matter key
    ("943\u00a0476\u00a05919", "943\u00a0476\u00a05919"),
    ("&#57;434765919", "&#57;434765919"),
    ("943**4765919**", "943**4765919"),
    ("943 **476** 5919", "943 **476** 5919"),
    ("943<em>4765919</em>", "943<em>4765919"),
    ("943\u200b4765919", "943\u200b4765919"),
    ("943\u00ad476\u00ad5919", "943\u00ad476\u00ad5919"),
    ("943\n476\n5919", "943\n476\n5919"),  # a paragraph shows it on one line
    ("943 4765919", "943 4765919"),
    ("NHS \u202e9195674349\u202c.", "\u202e9195674349\u202c"),
    ("\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19", "\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19"),
])
def test_a_disguised_nhs_number_is_found_where_it_is_written(text, written):
    assert found(text) == [("an NHS number", written)]


@pytest.mark.parametrize("text", [
    "ACT-9434765918", "943\u00a0476\u00a05918", "&#57;434765918", "943**4765918**", "943<em>4765918</em>",
    "943\u200b4765918", "nhs-9434765918.csv",
])
def test_a_disguised_number_with_a_wrong_check_digit_is_not_an_nhs_number(text):
    assert found(text) == []


@pytest.mark.parametrize("text", [
    "Raised 2026-03-05, due 2026-04-30",  # dates
    "ref 12345678901 and 1,234,567,890",  # ordinary numbers
    "ratio 0.9434765919 of nights",  # a decimal
    "CQC location 1-1234567890 and 1-9434765919",  # CQC location ids
    "INC-2026-0305 and ACT-016-3296",  # ids with dates and short numbers
    "REF-0161-496-0000 and CASE-07700900123",  # phone-like ids are not phone numbers
    "<svg><path d='M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10'/></svg>",
    "**18** of **20** records; 38% of nights",
])
def test_ordinary_numbers_dates_and_ids_are_left_alone(text):
    assert found(text) == []


@pytest.mark.parametrize("text, written", [
    ("jo.bloggs&#64;example.org", "jo.bloggs&#64;example.org"),
    ("[write](mailto:jo%40example.org)", "jo%40example.org"),
    ("jo<span>.</span>bloggs@example.org", "jo<span>.</span>bloggs@example.org"),
    ("jo.bloggs\u200b@example.org", "jo.bloggs\u200b@example.org"),
])
def test_a_disguised_email_address_is_found(text, written):
    assert found(text) == [("an email address", written)]


def test_plain_findings_are_as_before():
    text = "NHS 943 476 5919, call 07700 900123, DOB 12/03/1941, jo@example.org"
    assert found(text) == [(f.kind, f.text) for f in personal_data(text)]


def test_allowed_text_is_compared_as_a_reader_sees_it():
    allowed = Allowed(["943 476 5919", "jo.bloggs@example.org"])
    assert "943 476 5919" in allowed and "943  476\n5919" in allowed
    assert "943\u00a0476\u00a05919" in allowed and "jo.bloggs&#64;example.org" in allowed
    assert NHS not in allowed  # another way of writing it is another text


# -- redaction sees through disguises --------------------------------------------------------------

RULES = TextRules(terms=("Threlfall", "Mrs Kilbride"), withheld_ids=("EV-SECRET77",), names={"Helen Marsh": "Registered manager"})


@pytest.mark.parametrize("text, published", [
    ("Mrs Thr\u200belfall's room", "Mrs [redacted]'s room"),
    ("Mrs Thr\u00adelfall's room", "Mrs [redacted]'s room"),
    ("THREL\u200cFALL", "[redacted]"),
    ("Mrs&nbsp;Kilbride left", "[redacted] left"),
    ("Thr&#101;lfall", "[redacted]"),
    ("Thr<em>elfall</em> x", "[redacted]</em> x"),
    ("**Helen** Marsh agreed", "**Registered manager agreed"),
    ("Mrs Thr\u0435lfall's room", "Mrs [redacted]'s room"),
])
def test_a_disguised_term_or_name_is_rewritten_where_it_stands(text, published):
    assert RULES.text(text) == published


@pytest.mark.parametrize("path", [
    "ev-secret77.html", "evidence/ev-secret77.html", "../evidence/EV-SECRET77.html", "ev-secret77.md",
    "evidence/ev%2Dsecret77.html", "%65v-secret77.html", "ev-secret77/",
])
def test_a_withheld_record_named_by_its_page_path_is_withheld(path):
    published = RULES.text(f"See [the findings]({path}) first.")
    assert "secret77" not in normalise_for_guard(published).lower()
    assert "[withheld]" in published


def test_ids_that_only_start_like_a_withheld_one_are_kept():
    text = "EV-SECRET77.2, EV-SECRET77a, EV-SECRET77-B and EV-SECRET777.html"
    assert RULES.text(text) == text


def test_lines_are_kept_when_a_disguised_term_is_rewritten():
    text = "Mrs\nThr\u200belfall\nleft"
    assert RULES.text(text).count("\n") == 2


def test_a_disguised_term_in_a_file_name_is_the_term():
    assert RULES.term_in("visits-Thr\u00adelfall.csv") == "Threlfall"
    assert RULES.term_in("visits.csv") is None


# -- the last look ----------------------------------------------------------------------------------

def test_the_last_look_finds_personal_data_as_the_pages_read(tmp_path: Path):
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "clean.html").write_text("<p>Raised 2026-03-05; 18 of 20 records.</p>", encoding="utf-8")
    (site / "page.html").write_text("<p>ok</p>\n<p>NHS 943<em>4765919</em></p>", encoding="utf-8")
    (site / "link.html").write_text('<a href="mailto:jo%40example.org">write</a>', encoding="utf-8")
    index = {"docs": [{"location": "x.html", "text": "943\u00a0476\u00a05919"}, {"location": "y.html", "text": '<a href="mailto:jo%40example.org">x</a>'}]}
    (site / "search" / "search_index.json").write_text(json.dumps(index), encoding="utf-8")  # \u00a0 escapes
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(b"<loc>jo.bloggs&#64;example.org</loc>"))
    (site / "scan.pdf").write_bytes(b"%PDF-1.4\x00\n0009434765919 00000 n\n\xff\xfe")  # not text: not read for personal data
    leaks = {(leak.path, leak.line, leak.what) for leak in scan_output(site, TextRules(), allow=())}
    assert leaks == {
        ("page.html", 2, "an NHS number"),
        ("link.html", 1, "an email address"),
        ("search/search_index.json", 1, "an NHS number"),
        ("search/search_index.json", 1, "an email address"),  # in an attribute, its quotes escaped
        ("sitemap.xml.gz", 1, "an email address"),
    }
    assert scan_output(site, TextRules(), allow=["943 476 5919", NHS, "jo@example.org", "jo.bloggs@example.org"]) == []
    assert scan_output(site, TextRules()) == []  # without a profile's list, no personal-data look


def test_the_last_look_finds_disguised_terms_and_page_paths(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text("<p>Mrs Thr&shy;elfall</p>", encoding="utf-8")
    (site / "b.html").write_text('<p><a href="../evidence/ev%2Dsecret77.html">x</a></p>', encoding="utf-8")
    (site / "c.html").write_text("<p>[redacted] and [withheld]</p>", encoding="utf-8")
    leaks = sorted((leak.path, leak.what) for leak in scan_output(site, RULES))
    assert leaks == [("a.html", "the redaction term"), ("b.html", "a withheld record's id or title")]


# -- a share's guard: every place it publishes ---------------------------------------------------------

from datetime import date  # noqa: E402

from generator.share.filter import filter_for_share  # noqa: E402
from generator.pipeline import check  # noqa: E402
from generator.problems import PortfolioError, Problems  # noqa: E402
from generator.config.profiles import read_profile  # noqa: E402
from generator.share.publish import personal_data_hits, prepare_share  # noqa: E402

AS_OF = date(2026, 11, 22)


@pytest.fixture
def home(project):
    """One service, an open evidence item with an attachment, a sensitive one, a term."""
    project.config("provider: Test Care Ltd\nframework: cqc-saf-2023\nredact_terms: [Threlfall]\n")
    project.file("site_config/profiles/council.yml", "title: For the council\nowners: names\n")
    project.record("services", "home", """
        id: home
        title: The Home
    """)
    project.record("evidence", "ev-secret77", """
        id: EV-SECRET77
        title: Protected disclosure outcome
        service: home
        date: 2026-03-01
        category: staff-feedback
        sensitive: true
    """)
    project.file("content/evidence/log.csv", "date,note\n2026-03-02,visited\n")
    project.record("evidence", "ev-open", """
        id: EV-OPEN
        title: Re-audit
        service: home
        date: 2026-03-02
        category: processes
        file: log.csv
    """)
    return project


def hits_of(project) -> list[tuple[str, int, str, str, str, str]]:
    checked = check(project.root)
    assert checked.problems.errors == [], [str(p) for p in checked.problems.errors]
    profile = read_profile(project.root, "council", ["home"], Problems())
    assert profile is not None
    filtered = filter_for_share(checked.validated, checked.config, profile)
    return [(h.path, h.line, h.field, h.kind, h.text, h.seen) for h in personal_data_hits(filtered, AS_OF)]


def add_to(project, rel: str, old: str, new: str) -> None:
    path = project.root / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def line_with(project, rel: str, text: str) -> int:
    return next(i for i, line in enumerate((project.root / rel).read_text(encoding="utf-8").split("\n"), 1) if text in line)


def test_the_guard_reads_ids_keys_file_names_and_attachments(home):
    home.record("evidence", "ev-nhs", """
        id: EV-9434765919
        title: Named by a number
        service: home
        date: 2026-03-03
        category: processes
    """)
    add_to(home, "content/evidence/ev-open.md", "file: log.csv", "file: log.csv\n9434765919: a key\n")
    home.file("content/evidence/log.csv", "date,note\n2026-03-02,NHS &#57;434765919\n")
    assert hits_of(home) == [
        ("content/evidence/ev-nhs.md", 2, "id", "an NHS number", NHS, ""),
        ("content/evidence/ev-open.md", line_with(home, "content/evidence/ev-open.md", "a key"), NHS, "an NHS number", NHS, ""),
        ("content/evidence/log.csv", 2, "attachment", "an NHS number", "&#57;434765919", NHS),
    ]
    (home.root / "content/evidence/log.csv").rename(home.root / "content/evidence/nhs-9434765919.csv")
    add_to(home, "content/evidence/ev-open.md", "file: log.csv", "file: nhs-9434765919.csv")
    line = line_with(home, "content/evidence/ev-open.md", "file:")
    assert ("content/evidence/ev-open.md", line, "file", "an NHS number", NHS, "") in hits_of(home)


def test_the_guard_reads_a_body_as_the_page_shows_it_and_says_how_it_read_it(home):
    add_to(home, "content/evidence/ev-open.md", "Narrative.", "Narrative.\nResident 943**4765919**; write to jo.bloggs&#64;example.org")
    line = line_with(home, "content/evidence/ev-open.md", "Resident")
    assert hits_of(home) == [
        ("content/evidence/ev-open.md", line, "body", "an NHS number", "943**4765919", NHS),
        ("content/evidence/ev-open.md", line, "body", "an email address", "jo.bloggs&#64;example.org", "jo.bloggs@example.org"),
    ]
    with pytest.raises(PortfolioError) as caught:
        prepare_share(home.root, "council", AS_OF)
    assert (f"content/evidence/ev-open.md:{line}: body: an NHS number '943**4765919' (read as '9434765919') would be published "
            "in this share; remove it, or, if it may be shared, add the exact text to 'allow' in site_config/profiles/council.yml") in str(caught.value)
    # allowed as written, or as read
    home.file("site_config/profiles/council.yml", 'title: For the council\nowners: names\nallow: ["943**4765919", "jo.bloggs@example.org"]\n')
    assert hits_of(home) == []


def test_an_invisible_character_is_shown_in_the_problem_line(home):
    add_to(home, "content/evidence/ev-open.md", "Narrative.", "NHS 943\u200b4765919")
    with pytest.raises(PortfolioError) as caught:
        prepare_share(home.root, "council", AS_OF)
    assert "an NHS number '943\\u200b4765919' (read as '9434765919') would be published" in str(caught.value)


def test_the_profile_title_is_read_too(home):
    home.file("site_config/profiles/council.yml", "owners: names\ntitle: For jo@example.org\n")
    with pytest.raises(PortfolioError) as caught:
        prepare_share(home.root, "council", AS_OF)
    assert "site_config/profiles/council.yml:2: title: an email address 'jo@example.org' would be published" in str(caught.value)


def test_a_share_rewrites_disguised_terms_and_page_paths_before_any_page_is_made(home):
    add_to(home, "content/evidence/ev-open.md", "Narrative.",
           "Mrs Thr\u200belfall and Mrs Thr\u00adelfall; see [it](ev-secret77.md), ../evidence/EV-SECRET77.html and ev%2Dsecret77.html")
    (home.root / "content/evidence/log.csv").rename(home.root / "content/evidence/Thr\u00adelfall.csv")
    add_to(home, "content/evidence/ev-open.md", "file: log.csv", "file: Thr\u00adelfall.csv")
    prepared = prepare_share(home.root, "council", AS_OF)
    record = prepared.filtered.validated.records["ev-open"]
    assert record.body == "Mrs [redacted] and Mrs [redacted]; see [it]([withheld].md), ../evidence/[withheld].html and [withheld].html"
    assert prepared.filtered.attachments["ev-open"].name == "attachment.csv"
    published = json.dumps(record.fields, ensure_ascii=False) + record.body
    assert "threlfall" not in normalise_for_guard(published).lower() and "secret77" not in normalise_for_guard(published).lower()
