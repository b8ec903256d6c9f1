"""The `portfolio` command as a user meets it: help, init, --project, mkdocs build, serve."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

from .conftest import EXAMPLE_AS_OF, EXAMPLE_EPOCH, Build, clean_env, run_portfolio, start_portfolio, tree_bytes

KINDS = ("actions", "sources", "evidence", "meetings", "services")


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made by `portfolio init`, as a new user would start."""
    parent = tmp_path_factory.mktemp("init")
    result = run_portfolio("init", "my-portfolio", cwd=parent)
    assert result.returncode == 0, result.stdout + result.stderr
    return parent / "my-portfolio"


# -- help -------------------------------------------------------------------------------------

def test_every_command_has_help():
    assert {"init", "check", "build", "serve"} <= set(main.commands)
    runner = CliRunner()
    for args in ([], *([name] for name in sorted(main.commands))):
        result = runner.invoke(main, [*args, "--help"])
        assert result.exit_code == 0, (args, result.output)
        assert "Usage:" in result.output
        assert "Traceback" not in result.output


def test_help_as_a_real_process():
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--help"],
                            capture_output=True, text=True, timeout=60, env=clean_env())
    assert result.returncode == 0
    assert "--as-of" in result.stdout and "--site-dir" in result.stdout


# -- init -------------------------------------------------------------------------------------

def test_init_creates_a_project_with_one_record_of_each_kind(starter: Path):
    assert (starter / "mkdocs.yml").is_file()
    assert (starter / "site_config" / "portfolio.yml").is_file()
    for kind in KINDS:
        assert len(list((starter / "content" / kind).rglob("*.md"))) >= 1, kind


def test_init_then_check_exits_0(starter: Path):
    result = run_portfolio("check", cwd=starter)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_init_then_build_exits_0_into_site(tmp_path: Path, starter: Path):
    project = tmp_path / "copy"
    shutil.copytree(starter, project)
    before = date.today().isoformat()
    result = run_portfolio("build", cwd=project)  # no --as-of, no SOURCE_DATE_EPOCH: today
    after = date.today().isoformat()
    assert result.returncode == 0, result.stdout + result.stderr
    as_of = json.loads((project / "site" / "portfolio.json").read_text(encoding="utf-8"))["as_of"]
    assert as_of in {before, after}
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "portfolio.json").is_file()
    records = sum(1 for kind in KINDS for _ in (project / "content" / kind).rglob("*.md"))
    built = [p for kind in KINDS for p in (project / "site" / kind).glob("*.html") if p.name != "index.html"]
    assert len(built) == records  # today is after every starter record's date


def test_init_writes_a_gitignore_that_keeps_outputs_out_and_snapshots_in(tmp_path: Path, starter: Path):
    """What the commands make is ignored by git; archive/ (the monthly snapshots) and the records are not."""
    project = tmp_path / "copy"
    shutil.copytree(starter, project)
    assert (project / ".gitignore").is_file()
    made = [
        "site/index.html", "share/commissioner.zip", "share/.commissioner.sharing-41-0a1b2c3d/index.html",
        "exports/actions-2026-11-22.xlsx", "packs/inspection-pack-portfolio-2026-11-22.pdf",
        ".site.building-12-89abcdef/index.html", ".site.old-12/index.html", "archive/.2026-10.snapshot-7-01234567/x.html",
        ".report.xlsx.partial", "content/__pycache__/x.pyc",
    ]
    kept = ["archive/2026-10/manifest.json", "archive/index.html", "content/actions/act-001.md", "mkdocs.yml", ".gitignore"]
    for name in made + kept:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).touch()
    subprocess.run(["git", "init", "-q"], cwd=project, check=True, timeout=60)
    listed = subprocess.run(["git", "ls-files", "--others", "--exclude-standard"], cwd=project, capture_output=True, text=True, check=True, timeout=60)
    untracked = set(listed.stdout.splitlines())
    assert not untracked & set(made), untracked & set(made)
    assert set(kept) <= untracked


def test_init_into_a_non_empty_folder_is_wrong_usage(tmp_path: Path):
    target = tmp_path / "existing"
    target.mkdir()
    (target / "notes.txt").write_text("keep me\n", encoding="utf-8")
    result = run_portfolio("init", str(target), cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    assert (target / "notes.txt").read_text(encoding="utf-8") == "keep me\n"


def test_init_over_a_file_is_wrong_usage(tmp_path: Path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "afile")])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)


# -- --project and --site-dir -----------------------------------------------------------------

def test_project_option_works_from_another_folder(tmp_path: Path, starter: Path):
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    check = run_portfolio("--project", str(starter), "check", cwd=elsewhere)
    assert check.returncode == 0, check.stdout + check.stderr
    # a relative --site-dir is taken from where the command runs, as MkDocs' own -d is
    build = run_portfolio("--project", str(starter), "build", "--as-of", "2026-06-30", "--site-dir", "published/site", cwd=elsewhere)
    assert build.returncode == 0, build.stdout + build.stderr
    assert (elsewhere / "published" / "site" / "index.html").is_file()
    assert [p.name for p in elsewhere.iterdir()] == ["published"]
    assert [p.name for p in (elsewhere / "published").iterdir()] == ["site"]  # no staging folder left behind
    assert not (starter / "site").exists()  # nothing in the project's default site/


def test_site_dir_over_content_is_refused(tmp_path: Path, starter: Path):
    project = tmp_path / "copy"
    shutil.copytree(starter, project)
    before = tree_bytes(project / "content")
    result = run_portfolio("build", "--site-dir", "content", cwd=project)
    assert result.returncode == 2
    assert tree_bytes(project / "content") == before


# -- mkdocs build gives the same site ---------------------------------------------------------

def test_mkdocs_build_matches_portfolio_build(example_builds: dict[str, Build], tmp_path: Path):
    portfolio = example_builds["epoch"]  # `portfolio build` with SOURCE_DATE_EPOCH only
    assert portfolio.returncode == 0, portfolio.stderr
    out = tmp_path / "mkdocs-site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)],
        cwd=portfolio.project, env=clean_env(SOURCE_DATE_EPOCH=EXAMPLE_EPOCH, NO_MKDOCS_2_WARNING="1"),
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    ours = tree_bytes(portfolio.site)
    theirs = tree_bytes(out)
    assert sorted(theirs) == sorted(ours)
    for page in ("index.html", "actions/act-005.html", "portfolio.json"):
        assert theirs[page] == ours[page], page
    assert f'"as_of": "{EXAMPLE_AS_OF}"' in theirs["portfolio.json"].decode("utf-8")


# -- serve ------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, wanted: str, deadline: float, process: subprocess.Popen[str], log: Path) -> str:
    """Poll ``url`` until its body contains ``wanted``; fail if the server dies or time runs out."""
    last = ""
    while time.monotonic() < deadline:
        assert process.poll() is None, f"portfolio serve exited with {process.returncode}:\n{log.read_text(encoding='utf-8')}"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
            if wanted in last:
                return last
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.25)
    raise AssertionError(f"{url} never showed {wanted!r}; last body began {last[:300]!r}; log:\n{log.read_text(encoding='utf-8')}")


def test_serve_builds_serves_and_rebuilds_on_changes(minimal_project, tmp_path: Path):
    root = minimal_project.root
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    process = start_portfolio("serve", "--as-of", "2026-04-01", "--dev-addr", f"127.0.0.1:{port}", cwd=root, log=log)
    try:
        home = wait_for(f"{base}/", "Test Care Ltd", time.monotonic() + 120, process, log)
        assert "2026-04-01" in home
        wait_for(f"{base}/actions/act-1.html", "Weekly MAR chart checks", time.monotonic() + 30, process, log)
        # an edit to a record is picked up
        action = root / "content" / "actions" / "act-1.md"
        action.write_text(action.read_text(encoding="utf-8").replace("title: Weekly MAR chart checks", "title: Daily MAR chart checks at handover"), encoding="utf-8")
        page = wait_for(f"{base}/actions/act-1.html", "Daily MAR chart checks at handover", time.monotonic() + 90, process, log)
        assert "Weekly MAR chart checks" not in page
        # an edit with an error: every page shows the problems (not the old page) until it is fixed
        fixed = action.read_text(encoding="utf-8")
        action.write_text(fixed.replace("title: Daily MAR chart checks at handover", "title: Daily: MAR chart checks"), encoding="utf-8")
        problems = wait_for(f"{base}/actions/act-1.html", "This portfolio has errors; the site is not updated", time.monotonic() + 90, process, log)
        assert "content/actions/act-1.md:3: front matter: invalid YAML" in problems and "Daily MAR chart checks at handover" not in problems
        action.write_text(fixed, encoding="utf-8")
        wait_for(f"{base}/actions/act-1.html", "Daily MAR chart checks at handover", time.monotonic() + 90, process, log)
        # and so is an edit to site_config/
        config = root / "site_config" / "portfolio.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("provider: Test Care Ltd", "provider: Renamed Care Ltd"), encoding="utf-8")
        wait_for(f"{base}/", "Renamed Care Ltd", time.monotonic() + 90, process, log)
        assert not (root / "site").exists()  # serving never writes the project's site/
        assert "Traceback" not in log.read_text(encoding="utf-8")
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def test_rebuilding_replaces_the_whole_site(minimal_project):
    """A record removed since the last build loses its page: the new site replaces the old one."""
    root = minimal_project.root
    runner = CliRunner()
    first = runner.invoke(main, ["--project", str(root), "build", "--as-of", "2026-04-01"], env={"SOURCE_DATE_EPOCH": None})
    assert first.exit_code == 0, first.output
    assert (root / "site" / "services" / "home.html").is_file()
    (root / "site" / "left-by-hand.txt").write_text("not part of the portfolio\n", encoding="utf-8")
    (root / "content" / "services" / "home.md").unlink()
    second = runner.invoke(main, ["--project", str(root), "build", "--as-of", "2026-04-01"], env={"SOURCE_DATE_EPOCH": None})
    assert second.exit_code == 0, second.output
    assert not (root / "site" / "services" / "home.html").exists()
    assert not (root / "site" / "left-by-hand.txt").exists()
    assert (root / "site" / "actions" / "act-1.html").is_file()
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []  # no staging or retired copy left
