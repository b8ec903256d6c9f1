"""Unit tests for generator.site.usertext: users' Markdown converted once, placed on each page."""

from __future__ import annotations

import logging

from generator.site.headings import PageOutline
from generator.site.usertext import UserText, shift_headings

URLS = {
    "actions/act-001.md": "actions/act-001.html", "actions/act-002.md": "actions/act-002.html",
    "sources/src-001.md": "sources/src-001.html", "evidence/ev-001/log.csv": "evidence/ev-001/log.csv",
    "index.md": "index.html",
}


def place(converter: UserText, text: str, page_uri: str = "actions/act-001.md", outline: PageOutline | None = None,
          urls: dict[str, str] = URLS, shift: int = 1) -> str:
    outline = outline or PageOutline()
    return str(converter.place(converter.convert(text, shift), outline, page_uri, urls[page_uri], urls))


# -- shift_headings ---------------------------------------------------------------------------------

def test_headings_move_down_one_level():
    assert shift_headings("# Finding\n\nText.\n\n## Detail\n\n###### Deepest") == "## Finding\n\nText.\n\n### Detail\n\n###### Deepest"


def test_shift_can_be_larger():
    assert shift_headings("# A\n### B", shift=2) == "### A\n##### B"


def test_hashes_that_are_not_headings_stay():
    text = "#hashtag\nIssue #12 was raised\n####### seven"
    assert shift_headings(text) == text


def test_headings_in_fenced_code_stay():
    assert shift_headings("# Title\n\n```\n# a comment in code\n```\n\n# After") == "## Title\n\n```\n# a comment in code\n```\n\n## After"
    text = "~~~yaml\n# comment\n~~~\n  ```\n# also code\n  ```\n# Heading"
    assert shift_headings(text) == "~~~yaml\n# comment\n~~~\n  ```\n# also code\n  ```\n## Heading"


def test_text_is_stripped():
    assert shift_headings("\n\n# A\n\n") == "## A"


# -- conversion ------------------------------------------------------------------------------------------

def test_each_distinct_text_is_converted_once():
    converter = UserText()
    first = place(converter, "Checked *weekly*.", "actions/act-001.md")
    second = place(converter, "Checked *weekly*.", "actions/act-002.md")
    assert first == second == "<p>Checked <em>weekly</em>.</p>"
    assert converter.conversions == 1
    place(converter, "Another text.")
    place(converter, "Another text.", "sources/src-001.md")
    assert converter.conversions == 2
    place(converter, "Checked *weekly*.", shift=2)  # the same text under another heading level
    assert converter.conversions == 3


def test_the_sites_extensions_and_their_options_are_used():
    converter = UserText(["admonition", "toc"], {"toc": {"permalink": True}})
    out = place(converter, '!!! note "Agreed"\n    At the June meeting.\n\n# Detail')
    assert '<div class="admonition note">\n<p class="admonition-title">Agreed</p>\n<p>At the June meeting.</p>\n</div>' in out
    assert '<h2 id="detail">Detail<a class="headerlink" href="#detail" title="Permanent link">&para;</a></h2>' in out


def test_a_body_heading_taking_an_id_of_the_page_is_renamed_and_joins_the_contents():
    outline = PageOutline()
    outline.heading(1, "ACT-001: Night staffing")
    outline.heading(2, "Narrative")
    out = place(UserText(), "# Narrative\n\nSee [below](#narrative).\n\n## Timeline", outline=outline)
    assert out == ('<h2 id="narrative_1">Narrative</h2>\n<p>See <a href="#narrative_1">below</a>.</p>\n'
                   '<h3 id="timeline">Timeline</h3>')
    assert outline.heading(2, "Timeline", exclude=True) == '<h2 data-search-exclude="1" id="timeline_1">Timeline</h2>'
    [title] = outline.toc_tokens()
    assert [(t["id"], [c["id"] for c in t["children"]]) for t in title["children"]] == [
        ("narrative", []), ("narrative_1", ["timeline"]), ("timeline_1", [])]


def test_the_same_body_on_two_pages_gets_each_pages_ids():
    converter = UserText()
    taken = PageOutline()
    taken.heading(2, "Review")
    assert place(converter, "# Review", outline=taken) == '<h2 id="review_1">Review</h2>'
    assert place(converter, "# Review", outline=PageOutline()) == '<h2 id="review">Review</h2>'
    assert converter.conversions == 1


def test_relative_links_are_resolved_against_the_page():
    converter = UserText()
    text = ("See [the audit](../sources/src-001.md#finding), [ACT-002](act-002.md?x=1), [the log](../evidence/ev-001/log.csv),"
            " [home](../index.md), [NHS](https://www.nhs.uk/), [top](#top), [mail](mailto:a@b.c) and ![chart](../sources/src-001.md).")
    out = place(converter, text)
    assert '<a href="../sources/src-001.html#finding">the audit</a>' in out
    assert '<a href="act-002.html?x=1">ACT-002</a>' in out
    assert '<a href="../evidence/ev-001/log.csv">the log</a>' in out
    assert '<a href="../index.html">home</a>' in out
    assert '<a href="https://www.nhs.uk/">NHS</a>' in out
    assert '<a href="#top">top</a>' in out
    assert 'src="../sources/src-001.html"' in out
    # the same text on the home page: resolved against that page (as MkDocs did), so not found there
    assert '<a href="../sources/src-001.md#finding">' in place(converter, text, "index.md")
    assert converter.conversions == 1


def test_relative_links_with_directory_urls():
    urls = {"actions/act-001.md": "actions/act-001/", "sources/src-001.md": "sources/src-001/", "index.md": "./"}
    out = place(UserText(), "[audit](../sources/src-001.md) [home](../index.md)", urls=urls)
    assert out == '<p><a href="../../sources/src-001/">audit</a> <a href="../../">home</a></p>'


def test_a_missing_target_is_left_as_written_and_warned_about(caplog):
    # Caught at the logger itself: the command line (or a test before this one) may have stopped
    # MkDocs' loggers from passing records up to the root, where caplog listens.
    logger = logging.getLogger("mkdocs.structure.pages")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="mkdocs.structure.pages"):
            out = place(UserText(), "[gone](act-999.md) and [folder](somewhere)")
    finally:
        logger.removeHandler(caplog.handler)
    assert out == '<p><a href="act-999.md">gone</a> and <a href="somewhere">folder</a></p>'
    messages = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert (logging.WARNING, "Doc file 'actions/act-001.md' contains a link 'act-999.md', but the target 'actions/act-999.md' is not found among documentation files.") in messages
    assert (logging.INFO, "Doc file 'actions/act-001.md' contains an unrecognized relative link 'somewhere', it was left as is.") in messages


def test_what_a_user_writes_cannot_pose_as_a_slot():
    text = "Odd characters \ue000h0\ue000 and \ue001l0\ue001 stay [as](act-002.md) written.\n\n# Heading"
    out = place(UserText(), text)
    assert "\ue000h0\ue000 and \ue001l0\ue001" in out
    assert '<a href="act-002.html">as</a>' in out and '<h2 id="heading">Heading</h2>' in out
