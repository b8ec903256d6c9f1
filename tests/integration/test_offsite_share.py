"""The last look before a share is written, end to end (issue 15): a real share of the example is
read page by page as a browser would, and nothing in it asks another host for anything or runs a
script the theme does not ship; whatever a record, mkdocs.yml or a theme override slips in stops
the share (exit 1, nothing written), named with the file it was written in. ``portfolio build``
reports the same findings as warnings.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from generator.share.lastlook import site_findings
from generator.share.offsite import OUTSIDE
from generator.share.privacy import TextRules, scan_output
from generator.share.publish import SHIM, SHIM_URI

from .conftest import copy_example, run_portfolio, tree_digest

PROFILE = "northshire-county-council"
AS_OF = "2026-11-22"
RECORD = "content/actions/act-001.md"


def last_look(folder: Path) -> list[tuple[str, int, str, str]]:
    """Everything the share's last look finds in a share folder (the same two calls as share.py)."""
    leaks = [(leak.path, leak.line, leak.what, leak.text) for leak in scan_output(folder, TextRules())]
    return sorted(leaks + site_findings(folder, {SHIM_URI: SHIM}, theme_only=True))


def share(project: Path):
    return run_portfolio("share", PROFILE, "--as-of", AS_OF, cwd=project)


def refused(project: Path, result) -> list[str]:
    """The problem lines of a share that was refused, having written nothing."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "nothing was written" in result.stderr
    assert not (project / "share" / PROFILE).exists() and not (project / "share" / f"{PROFILE}.zip").exists()
    if (project / "share").exists():
        assert list((project / "share").iterdir()) == []  # no work folder left behind either
    return [line for line in result.stderr.splitlines() if ": share: " in line]


def add_to_mkdocs_yml(project: Path, text: str, theme: str = "") -> None:
    path = project / "mkdocs.yml"
    config = path.read_text(encoding="utf-8")
    if theme:
        config = config.replace("theme:\n  name: material\n", "theme:\n  name: material\n" + theme, 1)
        assert theme in config
    path.write_text(config + textwrap.dedent(text), encoding="utf-8")


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, shared as it is shipped."""
    project = copy_example(tmp_path_factory.mktemp("outside") / "example")
    result = share(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def test_the_shipped_example_shares_with_nothing_found(shared: Path):
    """Material's own pages (inline scripts, palette, __config, icons, our SVG charts) pass."""
    folder = shared / "share" / PROFILE
    assert any(folder.rglob("*.html"))
    assert last_look(folder) == []
    assert site_findings(folder, {SHIM_URI: SHIM}) == []  # every file, the theme's own ones byte for byte


HOSTILE_PAGE = """\
<p>srcset <img src="a.png" srcset="a.png 1x, https&#58;//evil.example/b.png 2x"></p>
<svg><image href="https://evil.example/i.png"/></svg>
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<iframe srcdoc="&lt;img src=&quot;https&amp;#58;//evil.example/x.png&quot;&gt;"></iframe>
<img src="https:\\\\evil.example/x.png">
<a href="x.html" ping="https://evil.example/ping">x</a>
<p style="background:url(\\68 ttps://evil.example/bg.png)">x</p>
<script>fetch("https://" + "evil.example")</script>
<base href="https://evil.example/">
"""


def test_the_last_look_finds_hostile_pages_written_into_a_real_share(shared: Path, tmp_path: Path):
    """The last look itself, whatever a sanitiser upstream left: hostile markup written into the
    pages and attachments of a real share is found, at its line."""
    folder = tmp_path / PROFILE
    shutil.copytree(shared / "share" / PROFILE, folder)
    page = folder / "actions" / "act-001.html"
    text = page.read_text(encoding="utf-8")
    at = text.index("</article>")
    page.write_text(text[:at] + HOSTILE_PAGE + text[at:], encoding="utf-8")
    first = text.count("\n", 0, at) + 1
    (folder / "evidence" / "ev-012" / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><image href="//evil.example/i.png"/></svg>', encoding="utf-8")
    (folder / "assets" / "portfolio.css").write_text("body{background:url(//evil.example/b.png)}", encoding="utf-8")
    found = last_look(folder)
    on_page = sorted({line for path, line, _, _ in found if path == "actions/act-001.html"})
    assert on_page == list(range(first, first + HOSTILE_PAGE.count("\n")))  # each line of it, once at least
    assert ("evidence/ev-012/chart.svg", 1, OUTSIDE, "//evil.example/i.png") in found
    assert ("assets/portfolio.css", 1, OUTSIDE, "//evil.example/b.png") in found


def test_a_record_body_never_reaches_a_share_asking_another_host(tmp_path: Path):
    """Evasions in a record's body: either refused with the record's PATH:LINE, or (where raw
    HTML is sanitised before the last look) published with none of them left."""
    project = copy_example(tmp_path / "example")
    record = project / RECORD
    body = record.read_text(encoding="utf-8")
    record.write_text(body + "\n" + HOSTILE_PAGE.replace("<base", "<p>base</p><base"), encoding="utf-8")
    base_line = body.count("\n") + 2
    result = share(project)
    if result.returncode == 0:
        assert last_look(project / "share" / PROFILE) == []
        return
    lines = refused(project, result)
    assert lines and all(line.startswith(f"share/{PROFILE}/") for line in lines)
    written = [line for line in lines if line.startswith(f"share/{PROFILE}/actions/act-001.html:")]
    assert written and all(f"(written in {RECORD}:" in line for line in written)
    assert any(f"(written in {RECORD}:{base_line})" in line and "evil.example/b.png" in line for line in written)


def test_outside_scripts_and_styles_in_mkdocs_yml_stop_a_share(tmp_path: Path):
    project = copy_example(tmp_path / "example")
    add_to_mkdocs_yml(project, """
        extra_javascript:
          - https://evil.example/x.js
        extra_css:
          - //evil.example/x.css
    """)
    lines = refused(project, share(project))
    for page in ("index.html", "actions/act-001.html"):
        found = [line for line in lines if line.startswith(f"share/{PROFILE}/{page}:")]
        assert any("'https://evil.example/x.js'" in line for line in found)
        assert any("'//evil.example/x.css'" in line for line in found)
        assert not any("written in" in line for line in found)  # the theme's part of a page, not a record's


def test_a_theme_override_cannot_move_a_shares_addresses_elsewhere(shared: Path, tmp_path: Path):
    """``theme.custom_dir`` with a main.html adding <base href>, and a script of its own in the
    theme's folder: refused, and the share made before is left exactly as it was."""
    project = tmp_path / "example"
    shutil.copytree(shared, project)
    before = tree_digest(project / "share")
    overrides = project / "overrides"
    (overrides / "assets" / "javascripts").mkdir(parents=True)
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block extrahead %}<base href="https://evil.example/">{% endblock %}\n', encoding="utf-8"
    )
    (overrides / "assets" / "javascripts" / "extra.js").write_text("fetch('https://evil.example/')\n", encoding="utf-8")
    add_to_mkdocs_yml(project, "extra_javascript: [assets/javascripts/extra.js]\n", theme="  custom_dir: overrides\n")
    result = share(project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert tree_digest(project / "share") == before
    lines = [line for line in result.stderr.splitlines() if ": share: " in line]
    assert any(line.startswith(f"share/{PROFILE}/index.html:") and '<base href="https://evil.example/">' in line for line in lines)
    assert any(line.startswith(f"share/{PROFILE}/assets/javascripts/extra.js:1: share: this script is not the theme's file") for line in lines)


def test_the_built_site_warns_of_the_same_findings(tmp_path: Path):
    """portfolio build: the same look, as warnings (the provider's own site may allow raw HTML)."""
    project = copy_example(tmp_path / "example")
    add_to_mkdocs_yml(project, "extra_javascript: [https://evil.example/x.js]\n")
    result = run_portfolio("build", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": site: warning: " in line]
    pages = {p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*.html")}
    assert {line.split(":", 1)[0] for line in warnings} == {f"site/{page}" for page in pages}
    assert all("'https://evil.example/x.js'" in line and "spec 5" in line for line in warnings)
