"""Unit tests for generator.read.load: finding record files and splitting their front matter."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.read.load import (
    FOLDER_OF_KIND, KIND_FOLDERS, load_content, load_record, read_text, record_files, split_front_matter,
)
from generator.problems import Problems


def write(root: Path, rel: str, data: bytes | str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def load_one(tmp_path: Path, data: bytes | str, rel: str = "content/actions/a.md", kind: str = "action"):
    path = write(tmp_path, rel, data)
    problems = Problems()
    record = load_record(path, rel, kind, problems)
    return record, [str(p) for p in problems.items]


# -- kinds -----------------------------------------------------------------------------------

def test_kind_folders_match_the_spec():
    assert KIND_FOLDERS == {
        "actions": "action", "sources": "source", "evidence": "evidence", "meetings": "meeting", "services": "service",
        "statements": "statement",  # an extension: the provider's account of a statement
    }
    assert FOLDER_OF_KIND["evidence"] == "evidence"
    assert FOLDER_OF_KIND["action"] == "actions"


# -- reading text --------------------------------------------------------------------------

def test_plain_record(tmp_path):
    record, problems = load_one(tmp_path, "---\nid: ACT-1\ntitle: Weekly checks\n---\nThe finding.\n")
    assert problems == []
    assert record.kind == "action"
    assert record.path == "content/actions/a.md"
    assert record.abs_path == tmp_path / "content/actions/a.md"
    assert record.data == {"id": "ACT-1", "title": "Weekly checks"}
    assert record.body == "The finding."


def test_first_key_is_line_two_because_of_the_opening_dashes(tmp_path):
    record, _ = load_one(tmp_path, "---\nid: ACT-1\ntitle: T\nclosure:\n  date: 2026-01-01\n---\n")
    assert record.lines.line("id") == 2
    assert record.lines.line("title") == 3
    assert record.lines.line("closure") == 4
    assert record.lines.line("closure", "date") == 5


def test_byte_order_mark_is_read_normally(tmp_path):
    record, problems = load_one(tmp_path, "\ufeff---\nid: A\ntitle: t\n---\nBody\n".encode("utf-8"))
    assert problems == []
    assert record.data == {"id": "A", "title": "t"}
    assert record.lines.line("id") == 2
    assert record.body == "Body"


def test_windows_line_endings_are_read_normally(tmp_path):
    record, problems = load_one(tmp_path, b"---\r\nid: B\r\ntitle: t\r\n---\r\nLine one\r\nLine two\r\n")
    assert problems == []
    assert record.data == {"id": "B", "title": "t"}
    assert record.lines.line("title") == 3
    assert record.body == "Line one\nLine two"
    assert "\r" not in record.body


def test_bom_and_crlf_together(tmp_path):
    record, problems = load_one(tmp_path, "\ufeff---\r\nid: C\r\ntitle: t\r\n---\r\nBody\r\n".encode("utf-8"))
    assert problems == []
    assert record.data == {"id": "C", "title": "t"}
    assert record.lines.line("title") == 3


def test_old_mac_line_endings_are_read_normally(tmp_path):
    record, problems = load_one(tmp_path, b"---\rid: D\rtitle: t\r---\rBody\r")
    assert problems == []
    assert record.data == {"id": "D", "title": "t"}
    assert record.body == "Body"


def test_read_text_normalises_line_endings(tmp_path):
    path = write(tmp_path, "x.md", b"a\r\nb\rc\n")
    assert read_text(path, "x.md", Problems()) == "a\nb\nc\n"


def test_non_utf8_bytes_are_a_problem_at_their_line(tmp_path):
    record, problems = load_one(tmp_path, "---\nid: E\ntitle: caf\xe9\n---\n".encode("latin-1"))
    assert record is None
    assert problems == [
        "content/actions/a.md:3: file: is not UTF-8 text (byte 0xe9 at offset 20); save it as UTF-8",
    ]


def test_unreadable_path_is_a_problem(tmp_path):
    problems = Problems()
    (tmp_path / "dir.md").mkdir()
    assert read_text(tmp_path / "dir.md", "dir.md", problems) is None
    assert len(problems.items) == 1
    assert str(problems.items[0]).startswith("dir.md:1: file: cannot be read: ")


# -- front matter --------------------------------------------------------------------------

def test_missing_front_matter(tmp_path):
    record, problems = load_one(tmp_path, "# Just a heading\n\nText.\n")
    assert record is None
    assert problems == [
        "content/actions/a.md:1: front matter: the file must start with YAML front matter between '---' lines",
    ]


def test_empty_file_has_no_front_matter(tmp_path):
    record, problems = load_one(tmp_path, b"")
    assert record is None
    assert problems == [
        "content/actions/a.md:1: front matter: the file must start with YAML front matter between '---' lines",
    ]


def test_front_matter_not_on_the_first_line(tmp_path):
    record, problems = load_one(tmp_path, "\n---\nid: A\ntitle: t\n---\n")
    assert record is None
    assert problems == [
        "content/actions/a.md:1: front matter: the file must start with YAML front matter between '---' lines",
    ]


def test_unclosed_front_matter(tmp_path):
    record, problems = load_one(tmp_path, "---\nid: D\ntitle: t\n\nBody without a closing line.\n")
    assert record is None
    assert problems == [
        "content/actions/a.md:1: front matter: the front matter opened on line 1 is never closed with a '---' line",
    ]


def test_empty_front_matter(tmp_path):
    record, problems = load_one(tmp_path, "---\n---\nBody\n")
    assert record is None
    assert problems == [
        "content/actions/a.md:1: front matter: the front matter is empty; a record needs at least 'id' and 'title'",
    ]


def test_front_matter_of_only_comments_is_empty(tmp_path):
    record, problems = load_one(tmp_path, "---\n# nothing yet\n---\n")
    assert record is None
    assert problems == [
        "content/actions/a.md:1: front matter: the front matter is empty; a record needs at least 'id' and 'title'",
    ]


@pytest.mark.parametrize("front", ["- id: A\n- title: t\n", "just some text\n", "42\n"])
def test_front_matter_that_is_not_a_mapping(tmp_path, front):
    record, problems = load_one(tmp_path, "---\n" + front + "---\n")
    assert record is None
    assert problems == [
        "content/actions/a.md:2: front matter: the front matter must be a mapping of 'field: value' lines",
    ]


def test_yaml_syntax_error_in_front_matter_has_its_file_line(tmp_path):
    record, problems = load_one(tmp_path, "---\nid: A\ntitle: t\n  owner: x\n---\n")
    assert record is None
    assert problems == [
        "content/actions/a.md:4: front matter: invalid YAML: mapping values are not allowed in this context; "
        "move 'owner' to the start of the line, in line with 'title' on line 3",
    ]


def test_duplicate_key_in_front_matter_has_its_file_line(tmp_path):
    record, problems = load_one(tmp_path, "---\nid: A\ntitle: t\nid: B\n---\n")
    assert record is None
    assert problems == ["content/actions/a.md:4: id: 'id' is given twice in the same mapping"]


def test_closing_with_three_dots_and_trailing_spaces(tmp_path):
    record, problems = load_one(tmp_path, "---  \nid: Y\ntitle: t\n...\nbody\n")
    assert problems == []
    assert record.data == {"id": "Y", "title": "t"}
    assert record.body == "body"


def test_body_keeps_inner_blank_lines_and_loses_outer_ones(tmp_path):
    record, _ = load_one(tmp_path, "---\nid: A\ntitle: t\n---\n\n\nFirst.\n\nSecond.\n\n\n")
    assert record.body == "First.\n\nSecond."


def test_a_dash_line_in_the_body_is_not_front_matter(tmp_path):
    record, _ = load_one(tmp_path, "---\nid: A\ntitle: t\n---\nAbove\n\n---\n\nBelow\n")
    assert record.data == {"id": "A", "title": "t"}
    assert record.body == "Above\n\n---\n\nBelow"


def test_split_front_matter_returns_offset_one():
    problems = Problems()
    front, offset, body = split_front_matter("---\na: 1\n---\nbody", "x.md", problems)
    assert (front, offset, body) == ("a: 1", 1, "body")
    assert problems.items == []


# -- finding files -------------------------------------------------------------------------

def test_record_files_finds_every_kind_and_nested_folders(tmp_path):
    for rel in (
        "content/actions/act-1.md",
        "content/actions/2026/q1/act-2.md",
        "content/sources/audits/aud-1.md",
        "content/evidence/ev-1.md",
        "content/meetings/mtg-1.md",
        "content/services/home.md",
    ):
        write(tmp_path, rel, "---\nid: x\n---\n")
    problems = Problems()
    found = record_files(tmp_path / "content", tmp_path, problems)
    assert [(rel, kind) for _, rel, kind in found] == [
        ("content/actions/2026/q1/act-2.md", "action"),
        ("content/actions/act-1.md", "action"),
        ("content/evidence/ev-1.md", "evidence"),
        ("content/meetings/mtg-1.md", "meeting"),
        ("content/services/home.md", "service"),
        ("content/sources/audits/aud-1.md", "source"),
    ]
    assert found[0][0] == tmp_path / "content/actions/2026/q1/act-2.md"
    assert problems.items == []


def test_record_files_skips_other_files_and_hidden_ones(tmp_path):
    write(tmp_path, "content/evidence/ev-1.md", "---\nid: x\n---\n")
    write(tmp_path, "content/evidence/attachments/log.csv", "a,b\n")
    write(tmp_path, "content/evidence/notes.txt", "x")
    write(tmp_path, "content/evidence/.draft.md", "---\nid: y\n---\n")
    write(tmp_path, "content/evidence/.hidden/ev-2.md", "---\nid: z\n---\n")
    write(tmp_path, "content/.git/x.md", "x")
    problems = Problems()
    found = record_files(tmp_path / "content", tmp_path, problems)
    assert [rel for _, rel, _ in found] == ["content/evidence/ev-1.md"]
    assert problems.items == []


def test_markdown_directly_under_content_is_warned(tmp_path):
    write(tmp_path, "content/readme.md", "# Notes\n")
    write(tmp_path, "content/actions/a.md", "---\nid: A\ntitle: t\n---\n")
    problems = Problems()
    found = record_files(tmp_path / "content", tmp_path, problems)
    assert [rel for _, rel, _ in found] == ["content/actions/a.md"]
    assert [str(p) for p in problems.items] == [
        "content/readme.md:1: file: warning: is not inside a record folder (actions/, sources/, evidence/, meetings/, services/) and is not published",
    ]
    assert problems.errors == []


def test_markdown_in_a_misspelt_kind_folder_is_warned(tmp_path):
    # ``content/action/`` (not ``actions/``): the record would silently vanish from the site.
    # ``portfolio check`` prints every problem (spec section 4), so this must at least be warned.
    write(tmp_path, "content/action/act-1.md", "---\nid: ACT-1\ntitle: t\n---\n")
    problems = Problems()
    found = record_files(tmp_path / "content", tmp_path, problems)
    assert found == []
    warned = [p for p in problems.warnings if p.path == "content/action/act-1.md"]
    assert len(warned) == 1
    assert warned[0].line == 1


def test_missing_content_folder(tmp_path):
    problems = Problems()
    assert record_files(tmp_path / "content", tmp_path, problems) == []
    assert [str(p) for p in problems.items] == ["content:1: content: the content folder does not exist"]


def test_load_content_reads_good_files_and_reports_bad_ones(tmp_path):
    write(tmp_path, "content/actions/a.md", "---\nid: A\ntitle: t\n---\nBody A\n")
    write(tmp_path, "content/actions/b.md", "no front matter\n")
    write(tmp_path, "content/sources/deep/s.md", "---\nid: S\ntitle: s\n---\n")
    write(tmp_path, "content/meetings/m.md", "---\nid: M\n")
    problems = Problems()
    records = load_content(tmp_path, problems)
    assert [(r.path, r.kind, r.data["id"]) for r in records] == [
        ("content/actions/a.md", "action", "A"),
        ("content/sources/deep/s.md", "source", "S"),
    ]
    assert [str(p) for p in problems.sorted()] == [
        "content/actions/b.md:1: front matter: the file must start with YAML front matter between '---' lines",
        "content/meetings/m.md:1: front matter: the front matter opened on line 1 is never closed with a '---' line",
    ]


def test_load_content_on_the_minimal_project(minimal_project):
    problems = Problems()
    records = load_content(minimal_project.root, problems)
    assert problems.items == []
    assert [(r.path, r.kind) for r in records] == [
        ("content/actions/act-1.md", "action"),
        ("content/evidence/ev-1.md", "evidence"),
        ("content/meetings/mtg-1.md", "meeting"),
        ("content/services/home.md", "service"),
        ("content/sources/aud-1.md", "source"),
    ]
    action = records[0]
    assert action.lines.line("id") == 2
    assert action.lines.line("completion") == 12
    assert action.lines.line("closure") == 13
    assert action.body == "Narrative."


# -- symbolic links: nothing outside content/ is read ---------------------------------------

RECORD = "---\nid: {id}\ntitle: Memo\ndate: 2026-01-01\ncategory: processes\n---\n{body}\n"
OUTSIDE_TEXT = "OUTSIDE-ONLY-3b9e memo body"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project (never inside content/) with a record and a plain file."""
    folder = tmp_path / "outside"
    write(folder, "memo.md", RECORD.format(id="EV-OUT", body=OUTSIDE_TEXT))
    write(folder, "actions/act-out.md", RECORD.format(id="ACT-OUT", body=OUTSIDE_TEXT))
    write(folder, "secret.txt", OUTSIDE_TEXT)
    return folder


def found_and_lines(project: Path) -> tuple[list[str], list[str]]:
    problems = Problems()
    found = record_files(project / "content", project, problems)
    return [rel for _, rel, _ in found], [str(p) for p in problems.sorted()]


def links_out(rel: str, target: Path) -> str:
    return (
        f"{rel}:1: file: links outside content/ (to {target}); nothing outside content/ is read or published: "
        "copy what it names into content/ instead"
    )


def test_a_record_file_linked_from_outside_content_is_an_error_and_never_read(tmp_path, outside):
    project = tmp_path / "project"
    write(project, "content/evidence/ev-1.md", RECORD.format(id="EV-1", body="Inside."))
    (project / "content/evidence/x.md").symlink_to(outside / "memo.md")
    found, lines = found_and_lines(project)
    assert found == ["content/evidence/ev-1.md"]
    assert lines == [links_out("content/evidence/x.md", outside / "memo.md")]
    problems = Problems()
    records = load_content(project, problems)
    assert [r.data["id"] for r in records] == ["EV-1"]
    assert [p.severity for p in problems.items] == ["error"]
    assert not any(OUTSIDE_TEXT in r.body for r in records)


def test_a_folder_linked_from_outside_content_is_an_error_and_never_walked(tmp_path, outside):
    project = tmp_path / "project"
    write(project, "content/actions/act-1.md", RECORD.format(id="ACT-1", body="Inside."))
    (project / "content/actions/more").symlink_to(outside / "actions", target_is_directory=True)
    found, lines = found_and_lines(project)
    assert found == ["content/actions/act-1.md"]
    assert lines == [links_out("content/actions/more", outside / "actions")]


def test_a_record_folder_that_is_itself_a_link_out_is_an_error(tmp_path, outside):
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "content/actions").symlink_to(outside / "actions", target_is_directory=True)
    found, lines = found_and_lines(project)
    assert found == []
    assert lines == [links_out("content/actions", outside / "actions")]


def test_an_attachment_linked_from_outside_content_is_an_error_even_when_no_record_names_it(tmp_path, outside):
    # ln -s /etc/passwd content/evidence/attachments/passwd.txt: MkDocs would publish it as it is.
    project = tmp_path / "project"
    write(project, "content/evidence/ev-1.md", RECORD.format(id="EV-1", body="Inside."))
    (project / "content/evidence/attachments").mkdir()
    (project / "content/evidence/attachments/passwd.txt").symlink_to(outside / "secret.txt")
    _, lines = found_and_lines(project)
    assert lines == [links_out("content/evidence/attachments/passwd.txt", outside / "secret.txt")]


def test_links_out_in_hidden_folders_are_errors_too(tmp_path, outside):
    # MkDocs walks hidden folders (following links) before it leaves their files out.
    project = tmp_path / "project"
    write(project, "content/actions/.drafts/notes.txt", "x")
    (project / "content/actions/.drafts/all").symlink_to(outside, target_is_directory=True)
    (project / "content/.cache").symlink_to(outside / "secret.txt")
    found, lines = found_and_lines(project)
    assert found == []
    assert lines == [
        links_out("content/.cache", outside / "secret.txt"),
        links_out("content/actions/.drafts/all", outside),
    ]


def test_a_link_leaving_content_through_another_link_inside_it_is_an_error(tmp_path, outside):
    project = tmp_path / "project"
    write(project, "content/evidence/ev-1.md", RECORD.format(id="EV-1", body="Inside."))
    (project / "content/evidence/hop.md").symlink_to(outside / "memo.md")
    (project / "content/evidence/x.md").symlink_to("hop.md")
    _, lines = found_and_lines(project)
    assert lines == [links_out("content/evidence/hop.md", outside / "memo.md"), links_out("content/evidence/x.md", outside / "memo.md")]


def test_a_dangling_record_link_is_a_clean_problem_line(tmp_path):
    project = tmp_path / "project"
    write(project, "content/actions/act-1.md", RECORD.format(id="ACT-1", body="Inside."))
    (project / "content/actions/gone.md").symlink_to("missing.md")
    (project / "content/actions/loop.md").symlink_to("loop.md")
    (project / "content/actions/.#act-1.md").symlink_to("user@host.1234:1700000000")  # an editor's lock: ignored
    (project / "content/evidence").mkdir()
    (project / "content/evidence/report.pdf").symlink_to("missing.pdf")  # not a record: ignored here
    found, lines = found_and_lines(project)
    assert found == ["content/actions/act-1.md"]
    assert lines == [
        "content/actions/gone.md:1: file: is a link to content/actions/missing.md, which does not exist; restore the file or remove the link",
        "content/actions/loop.md:1: file: is a link to content/actions/loop.md, which does not exist; restore the file or remove the link",
    ]


def test_a_dangling_link_is_a_problem_line_for_the_reader_cache_too(tmp_path):
    # ``portfolio serve`` reads through a cache that stats each file first.
    project = tmp_path / "project"
    write(project, "content/actions/act-1.md", RECORD.format(id="ACT-1", body="Inside."))
    (project / "content/actions/gone.md").symlink_to("missing.md")
    cache: dict = {}
    for _ in range(2):
        problems = Problems()
        records = load_content(project, problems, cache)
        assert [r.data["id"] for r in records] == ["ACT-1"]
        assert [p.path for p in problems.errors] == ["content/actions/gone.md"]


def test_a_link_to_a_file_inside_content_is_read_as_that_file(tmp_path):
    project = tmp_path / "project"
    write(project, "content/shared/memo.md", RECORD.format(id="EV-SHARED", body="Kept in one place."))
    (project / "content/evidence").mkdir()
    (project / "content/evidence/memo.md").symlink_to("../shared/memo.md")
    problems = Problems()
    records = load_content(project, problems)
    assert [(r.path, r.data["id"], r.body) for r in records] == [("content/evidence/memo.md", "EV-SHARED", "Kept in one place.")]
    assert problems.errors == []  # content/shared/memo.md itself is only warned: not in a record folder


def test_a_link_to_a_folder_inside_content_is_not_followed(tmp_path):
    # Its records would be read twice, and a link to a folder above it would make MkDocs walk for ever.
    project = tmp_path / "project"
    write(project, "content/actions/2026/act-1.md", RECORD.format(id="ACT-1", body="Inside."))
    (project / "content/actions/current").symlink_to("2026", target_is_directory=True)
    (project / "content/actions/2026/up").symlink_to("..", target_is_directory=True)
    found, lines = found_and_lines(project)
    assert found == ["content/actions/2026/act-1.md"]
    assert lines == [
        "content/actions/2026/up:1: file: is a link to the folder content/actions; links to folders are not followed: move the records into a real folder instead",
        "content/actions/current:1: file: is a link to the folder content/actions/2026; links to folders are not followed: move the records into a real folder instead",
    ]


def test_a_content_folder_reached_through_a_link_is_the_content_folder(tmp_path):
    # The project's own content/ may live elsewhere (a synced drive); links inside it are judged against where it is.
    real = tmp_path / "synced" / "content"
    write(real, "actions/act-1.md", RECORD.format(id="ACT-1", body="Inside."))
    (real / "actions/again.md").symlink_to("act-1.md")
    project = tmp_path / "project"
    project.mkdir()
    (project / "content").symlink_to(real, target_is_directory=True)
    found, lines = found_and_lines(project)
    assert found == ["content/actions/act-1.md", "content/actions/again.md"]
    assert lines == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_is_not_read(tmp_path):
    # Opening a pipe waits for a writer: reading one would hang ``portfolio check``.
    project = tmp_path / "project"
    write(project, "content/actions/act-1.md", RECORD.format(id="ACT-1", body="Inside."))
    os.mkfifo(project / "content/actions/pipe.md")
    (project / "content/actions/via.md").symlink_to("pipe.md")
    found, lines = found_and_lines(project)
    assert found == ["content/actions/act-1.md"]
    assert lines == [
        "content/actions/pipe.md:1: file: is not a regular file, so it is not read",
        "content/actions/via.md:1: file: is a link to content/actions/pipe.md, which is not a regular file, so it is not read",
    ]
