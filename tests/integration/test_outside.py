"""Nothing outside content/ is ever read or published; outputs get the umask's modes; killed runs
leave nothing behind for ever. Real sites, shares and snapshots of the shipped example.

A file outside the project holds a marker that must never appear in any byte of any output
(every file of site/, share/PROFILE/, archive/YYYY-MM/, every member of the zip, gzip opened).
It is reached the ways an attacker would: a record file linked to it, a folder linked to its
folder, an attachment linked to it that no record names (``ln -s /etc/passwd``). Those links
stop ``check``, ``build`` and ``share`` (exit 1) before anything is built; and MkDocs' own file
list, which follows links, never publishes them either (a portfolio read before the links were
made, then built).
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from .conftest import clean_env, copy_example, epoch, run_portfolio

AS_OF = "2026-11-22"
PROFILE = "northshire-county-council"
MARKER = "Qv7-OUTSIDE-CONTENT-MARKER-4d1e"
TODAY = epoch("2026-06-15T12:00:00")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project with the marker in a record, a record folder and a plain file."""
    folder = tmp_path / "outside"
    (folder / "actions").mkdir(parents=True)
    memo = (
        "---\nid: EV-MEMO\ntitle: Private memo\ndate: 2026-01-05\ncategory: processes\nsensitive: true\n---\n"
        f"{MARKER} in the body of a record outside the project.\n"
    )
    (folder / "memo.md").write_text(memo, encoding="utf-8")
    (folder / "actions" / "act-out.md").write_text(memo.replace("EV-MEMO", "ACT-OUT"), encoding="utf-8")
    (folder / "passwd").write_text(f"root:x:0:0:{MARKER}:/root:/bin/bash\n", encoding="utf-8")
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project")


def plant_links(project: Path, outside: Path) -> list[str]:
    """Every way out of content/; the problem-line prefixes each must give."""
    content = project / "content"
    (content / "evidence" / "x.md").symlink_to(outside / "memo.md")
    (content / "actions" / "more").symlink_to(outside / "actions", target_is_directory=True)
    (content / "evidence" / "attachments" / "passwd.txt").symlink_to(outside / "passwd")
    return [
        "content/actions/more:1: file: links outside content/",
        "content/evidence/attachments/passwd.txt:1: file: links outside content/",
        "content/evidence/x.md:1: file: links outside content/",
    ]


def files_under(root: Path) -> list[Path]:
    """Every file under ``root`` (hidden ones too), never through a link: what was written there."""
    if root.is_file():
        return [root]
    found = []
    for folder, _, names in os.walk(root):  # does not follow links to folders
        found += [Path(folder, name) for name in names if not Path(folder, name).is_symlink()]
    return sorted(found)


def every_byte(*roots: Path) -> bytes:
    """All the bytes under ``roots``, zips and gzip files opened, and every file's name."""
    chunks: list[bytes] = []
    for root in roots:
        for path in files_under(root):
            data = path.read_bytes()
            chunks.append(data)
            if path.suffix == ".gz":
                chunks.append(gzip.decompress(data))
            if path.suffix == ".zip":
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    chunks += [archive.read(name) for name in archive.namelist()]
                    chunks.append("\n".join(archive.namelist()).encode("utf-8"))
            chunks.append(path.relative_to(root if root.is_dir() else root.parent).as_posix().encode("utf-8"))
    return b"\n".join(chunks)


def assert_clean_failure(result: subprocess.CompletedProcess[str], expected: list[str], *, exit: int = 1) -> None:
    text = result.stdout + result.stderr
    assert result.returncode == exit, text
    assert "Traceback" not in text
    lines = text.splitlines()
    for prefix in expected:
        assert sum(line.startswith(prefix) for line in lines) == 1, (prefix, lines)


# -- links out of content/ ------------------------------------------------------------------------

def test_links_out_of_content_stop_check_build_and_share(project: Path, outside: Path):
    built = run_portfolio("build", "--as-of", AS_OF, cwd=project)
    assert built.returncode == 0, built.stderr
    before = every_byte(project / "site")
    expected = plant_links(project, outside)

    assert_clean_failure(run_portfolio("check", cwd=project), expected)
    assert_clean_failure(run_portfolio("build", "--as-of", AS_OF, cwd=project), expected)
    assert every_byte(project / "site") == before  # the site that was there is left as it was
    assert_clean_failure(run_portfolio("share", PROFILE, "--as-of", AS_OF, cwd=project), expected)
    assert not (project / "share" / PROFILE).exists() and not (project / "share" / f"{PROFILE}.zip").exists()
    mkdocs = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "mkdocs-site")],
        cwd=project, env=clean_env(NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True, timeout=300,
    )
    assert mkdocs.returncode != 0 and "links outside content/" in mkdocs.stdout + mkdocs.stderr
    assert MARKER.encode() not in every_byte(project)
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == []  # nothing left behind


def test_a_dangling_link_is_a_clean_problem_line_everywhere(project: Path):
    (project / "content" / "actions" / "gone.md").symlink_to("act-999.md")
    expected = ["content/actions/gone.md:1: file: is a link to content/actions/act-999.md, which does not exist"]
    assert_clean_failure(run_portfolio("check", cwd=project), expected)
    assert_clean_failure(run_portfolio("build", "--as-of", AS_OF, cwd=project), expected)
    assert_clean_failure(run_portfolio("share", PROFILE, "--as-of", AS_OF, cwd=project), expected)
    env = clean_env(SOURCE_DATE_EPOCH=TODAY, GIT_CEILING_DIRECTORIES=str(project.parent))
    assert_clean_failure(run_portfolio("snapshot", "--month", "2026-05", cwd=project, env=env), expected)


def test_a_dangling_attachment_that_no_record_names_builds(project: Path):
    # MkDocs lists it and used to fail copying it (FileNotFoundError); it is not published.
    (project / "content" / "evidence" / "attachments" / "old-scan.pdf").symlink_to("scan-2025.pdf")
    result = run_portfolio("build", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert not list((project / "site").rglob("old-scan.pdf"))


def test_mkdocs_own_file_list_never_publishes_a_link_out(project: Path, outside: Path, tmp_path: Path):
    """The portfolio is read before the links appear (as if made between reading and building):
    MkDocs, which walks content/ following links, must still publish none of them."""
    from generator.mkdocs.engine import build_site
    from generator.pipeline import prepare
    from generator.share.publish import prepare_share, publish_share

    day = date.fromisoformat(AS_OF)
    portfolio, _ = prepare(project, day)
    prepared = prepare_share(project, PROFILE, day)
    plant_links(project, outside)
    (project / "content" / "evidence" / "attachments" / "dangling.txt").symlink_to("nothing.txt")
    (project / "content" / "evidence" / "attachments" / "gone.txt").symlink_to(outside / "nothing.txt")  # MkDocs: FileNotFoundError

    site = tmp_path / "site"
    build_site(project, site, portfolio)
    publish_share(prepared)

    published = every_byte(site, project / "share" / PROFILE, project / "share" / f"{PROFILE}.zip")
    assert MARKER.encode() not in published
    for name in ("passwd.txt", "x.html", "x.md", "act-out.html", "more", "dangling.txt", "gone.txt"):
        assert not list(site.rglob(name)) and not list((project / "share" / PROFILE).rglob(name)), name
    with zipfile.ZipFile(project / "share" / f"{PROFILE}.zip") as archive:
        assert not [n for n in archive.namelist() if n.endswith(("passwd.txt", "/x.html", "act-out.html"))]


# -- docs_dir ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("docs_dir, says", [
    ("/etc", "must be 'content'"),
    ("site_config", "must be 'content'"),
    ("../elsewhere", "must be 'content'"),
    ("/etc/passwd", "isn't an existing directory"),  # MkDocs' own check: not a folder
])
def test_docs_dir_other_than_content_is_a_configuration_problem(project: Path, docs_dir: str, says: str):
    (project.parent / "elsewhere").mkdir(exist_ok=True)
    mkdocs_yml = project / "mkdocs.yml"
    text = mkdocs_yml.read_text(encoding="utf-8")
    assert "\ndocs_dir: content\n" in text
    mkdocs_yml.write_text(text.replace("\ndocs_dir: content\n", f"\ndocs_dir: {docs_dir}\n"), encoding="utf-8")
    line = text[: text.index("\ndocs_dir:")].count("\n") + 2
    for args in (["build", "--as-of", AS_OF], ["check"], ["share", PROFILE, "--as-of", AS_OF]):
        result = run_portfolio(*args, cwd=project)
        text_out = result.stdout + result.stderr
        assert result.returncode == 2, (args, text_out)
        assert "Traceback" not in text_out
        problems = [l for l in text_out.splitlines() if l.startswith("mkdocs.yml:")]
        assert len(problems) == 1, (args, text_out)
        assert problems[0].startswith(f"mkdocs.yml:{line}: docs_dir: ") and says in problems[0], problems
        assert docs_dir in problems[0]
    assert not (project / "site").exists() and not (project / "share" / PROFILE).exists()


@pytest.mark.parametrize("docs_dir", ["./content", "content/"])
def test_docs_dir_written_another_way_is_still_content(project: Path, docs_dir: str):
    mkdocs_yml = project / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text(encoding="utf-8").replace("\ndocs_dir: content\n", f"\ndocs_dir: {docs_dir}\n"), encoding="utf-8")
    result = run_portfolio("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


# -- leftovers of killed runs, and modes -------------------------------------------------------------

@pytest.fixture
def umask_022():
    """Outputs are checked under the usual umask; the test's own is put back after."""
    saved = os.umask(0o022)
    yield
    os.umask(saved)


def ended_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def plant(parent: Path, *names: str) -> list[Path]:
    folders = []
    for name in names:
        folder = parent / name
        (folder / "assets").mkdir(parents=True)
        (folder / "index.html").write_text("half a site", encoding="utf-8")
        folders.append(folder)
    return folders


def assert_served_modes(root: Path) -> None:
    """0755 folders and 0644 files under umask 022: a web server can serve every one."""
    assert stat.S_IMODE(root.stat().st_mode) == 0o755, oct(root.stat().st_mode)
    wrong = [
        (p.relative_to(root).as_posix(), oct(stat.S_IMODE(p.stat().st_mode)))
        for p in root.rglob("*")
        if stat.S_IMODE(p.stat().st_mode) != (0o755 if p.is_dir() else 0o644)
    ]
    assert wrong == []


def test_build_clears_killed_builds_and_writes_servable_modes(project: Path, umask_022):
    dead = ended_pid()
    leftovers = plant(project, ".site.building-k3j2h1a0", f".site.building-{dead}-0123abcd", f".site.old-{dead}")
    running = plant(project, f".site.building-{os.getpid()}-0123abcd")  # a build still going: left alone
    result = run_portfolio("build", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stderr
    assert not any(folder.exists() for folder in leftovers)
    assert all(folder.is_dir() for folder in running)
    assert_served_modes(project / "site")
    result = run_portfolio("build", "--as-of", AS_OF, cwd=project)  # over a site already there
    assert result.returncode == 0, result.stderr
    assert_served_modes(project / "site")
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == [running[0].name]


def test_share_clears_killed_shares_and_writes_servable_modes(project: Path, umask_022):
    dead = ended_pid()
    share = project / "share"
    leftovers = plant(share, f".{PROFILE}.sharing-k3j2h1a0", f".{PROFILE}.sharing-{dead}-0123abcd", f".{PROFILE}.old-{dead}")
    result = run_portfolio("share", PROFILE, "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stderr
    assert not any(folder.exists() for folder in leftovers)
    assert sorted(p.name for p in share.iterdir()) == [PROFILE, f"{PROFILE}.zip"]
    assert_served_modes(share / PROFILE)
    assert stat.S_IMODE((share / f"{PROFILE}.zip").stat().st_mode) == 0o644


def test_snapshot_clears_killed_snapshots_and_writes_servable_modes(project: Path, umask_022):
    dead = ended_pid()
    archive = project / "archive"
    leftovers = plant(archive, ".2026-04.snapshot-k3j2h1a0", f".2026-05.snapshot-{dead}-0123abcd")
    env = clean_env(SOURCE_DATE_EPOCH=TODAY, GIT_CEILING_DIRECTORIES=str(project.parent))
    result = run_portfolio("snapshot", "--month", "2026-05", cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    assert not any(folder.exists() for folder in leftovers)
    assert sorted(p.name for p in archive.iterdir()) == ["2026-05", "index.html"]
    assert_served_modes(archive / "2026-05")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o755
