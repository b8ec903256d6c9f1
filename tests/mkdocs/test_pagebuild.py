"""Pages built over several processes are the pages one process builds, in every byte."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import processes
from generator.mkdocs import pagebuild
from tests.integration.conftest import clean_env, copy_example, run_portfolio

AS_OF = "2026-11-22"
PROFILE = "northshire-county-council"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _build(project: Path, site: str, count: int, *args: str) -> dict[str, bytes]:
    done = run_portfolio("build", "--as-of", AS_OF, "--site-dir", site, *args, cwd=project,
                         env=clean_env(PORTFOLIO_PROCESSES=str(count)))
    assert done.returncode == 0, done.stderr
    return _files(project / site)


def test_the_site_built_on_three_processes_is_the_one_built_on_one(tmp_path):
    project = copy_example(tmp_path / "project")
    one = _build(project, "one", 1)
    three = _build(project, "three", 3)
    assert len(one) > 100 and "search/search_index.json" in one
    assert three == one


def test_a_share_with_its_offline_search_is_the_same_on_several_processes(tmp_path):
    project = copy_example(tmp_path / "project")
    built = {}
    for count in (1, 2):
        done = run_portfolio("share", PROFILE, "--as-of", AS_OF, cwd=project, env=clean_env(PORTFOLIO_PROCESSES=str(count)))
        assert done.returncode == 0, done.stderr
        folder = project / "share" / PROFILE
        built[count] = _files(folder)
        os.rename(folder, project / "share" / f"built-{count}")
    assert any(name.endswith("search_index.js") or name.endswith("search_index.json") for name in built[1])
    assert built[2] == built[1]


def test_another_plugin_keeps_the_pages_in_one_process(tmp_path, monkeypatch):
    """A plugin we do not know may keep something from page to page: MkDocs builds them alone."""
    config = type("Config", (), {"strict": False, "plugins": {"portfolio": 1, "material/search": 1, "tags": 1}})()
    monkeypatch.setenv(processes.PROCESSES_ENV, "4")
    monkeypatch.setattr(processes.threading, "active_count", lambda: 1)
    monkeypatch.setattr(processes.sys, "platform", "linux")
    assert pagebuild.processes_for(config, 5_000) == 1  # type: ignore[arg-type]
    config.plugins = {"portfolio": 1, "material/search": 1, "material/offline": 1}
    assert pagebuild.processes_for(config, 5_000) == 4  # type: ignore[arg-type]
    config.strict = True  # a process's warnings would not be counted
    assert pagebuild.processes_for(config, 5_000) == 1  # type: ignore[arg-type]


def test_a_small_site_is_built_in_one_process(monkeypatch):
    config = type("Config", (), {"strict": False, "plugins": {"portfolio": 1}})()
    monkeypatch.delenv(processes.PROCESSES_ENV, raising=False)
    assert pagebuild.processes_for(config, pagebuild.PARALLEL_FROM - 1) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize("count", [2, 3])
def test_a_process_that_dies_leaves_the_build_to_this_one(tmp_path, count):
    """Killed or out of memory: MkDocs builds every page here, and the site is the same."""
    project = copy_example(tmp_path / "project")
    one = _build(project, "one", 1)
    hook = tmp_path / "sitecustomize.py"
    hook.write_text(
        "import os\n"
        "from generator import processes\n"
        "real = processes._take_hands\n"
        "parent = os.getpid()\n"
        "def dies(deck, hands, work):\n"
        "    if os.getpid() != parent:\n"
        "        os._exit(9)\n"
        "    return real(deck, hands, work)\n"
        "processes._take_hands = dies\n",
        encoding="utf-8",
    )
    env = clean_env(PORTFOLIO_PROCESSES=str(count), PYTHONPATH=os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    done = run_portfolio("build", "--as-of", AS_OF, "--site-dir", "again", cwd=project, env=env)
    assert done.returncode == 0, done.stderr
    assert _files(project / "again") == one


def test_with_a_site_url_the_sitemap_lists_every_page_built_elsewhere(tmp_path):
    """The sitemap is written after the pages are built in the other processes, and lists them."""
    project = copy_example(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "site_url: https://portfolio.example.org/\n", encoding="utf-8")
    one = _build(project, "one", 1)
    three = _build(project, "three", 3)
    assert three == one
    sitemap = one["sitemap.xml"].decode("utf-8")
    assert sitemap.count("<loc>") > 100 and "https://portfolio.example.org/actions/act-001.html" in sitemap


def test_mkdocs_loop_is_as_it_was_once_the_build_is_over():
    from mkdocs.commands import build as mkdocs_build

    real = mkdocs_build._build_page
    pagebuild._skip_in_mkdocs_loop({1, 2})
    assert mkdocs_build._build_page is not real
    pagebuild._skip_in_mkdocs_loop({3})  # a second build in the same process keeps MkDocs' own
    pagebuild.restore_mkdocs_loop()
    assert mkdocs_build._build_page is real
    pagebuild.restore_mkdocs_loop()  # nothing to undo
    assert mkdocs_build._build_page is real
