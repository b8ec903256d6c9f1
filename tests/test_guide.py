"""The user guide in docs/ and the short README: they build, they cannot drift, their links hold.

The guide is built as a maintainer would build it (``mkdocs build --strict -f docs/mkdocs.yml``),
so a broken link or anchor, or a field table the hook cannot write, fails here. Its field tables
are compared with the JSON Schemas the generator publishes, and its example records are checked
by ``portfolio check`` inside a copy of the shipped example portfolio.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.site.schema import build_schemas

REPOSITORY = Path(__file__).resolve().parents[1]
GUIDE = REPOSITORY / "docs" / "guide"
README = REPOSITORY / "README.md"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPOSITORY), env.get("PYTHONPATH", "")]))
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


@pytest.fixture(scope="module")
def built_guide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("guide") / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "docs/mkdocs.yml", "-d", str(site)],
        cwd=REPOSITORY, env=_env(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_the_guide_builds_strictly_with_every_page(built_guide: Path) -> None:
    for page in sorted(GUIDE.glob("*.md")):
        assert (built_guide / page.with_suffix(".html").name).is_file(), page.name
    assert (built_guide / "benchmarks.html").is_file(), "benchmarks/README.md is a page of the guide"


# --- the field reference ------------------------------------------------------------------------


def _deref(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    return defs[ref.rsplit("/", 1)[1]] if ref.startswith("#/$defs/") else schema


def _inner_object(schema: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], bool] | None:
    for option in schema.get("anyOf", [schema]):
        target = _deref(option, defs)
        if target.get("type") == "object" and "properties" in target:
            return target, False
        if target.get("type") == "array":
            item = _deref(target.get("items", {}), defs)
            if item.get("type") == "object" and "properties" in item:
                return item, True
    return None


def _field_paths(properties: dict[str, Any], defs: dict[str, Any], prefix: str = "") -> list[str]:
    """Every field and sub-field as the guide names it: ``closure.evidence``, ``milestones[].due``."""
    paths = []
    for name, schema in properties.items():
        paths.append(prefix + name)
        inner = _inner_object(schema, defs)
        if inner:
            mapping, is_list = inner
            paths += _field_paths(mapping["properties"], defs, f"{prefix}{name}{'[].' if is_list else '.'}")
    return paths


def _table_rows(page: str, kind: str) -> dict[str, list[str]]:
    """The field table of one kind on the built page: field -> its cells, as text."""
    start = page.index(f'id="fields-{kind}"')
    end = page.index(f'id="fields-{kind}-end"', start)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page[start:end], re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if cells:
            rows[cells[0]] = cells
    return rows


@pytest.mark.parametrize("kind", sorted(build_schemas()))
def test_writing_records_lists_every_field_of_every_kind(built_guide: Path, kind: str) -> None:
    schema = build_schemas()[kind]
    page = (built_guide / "records.html").read_text(encoding="utf-8")
    rows = _table_rows(page, kind)
    assert list(rows) == _field_paths(schema["properties"], schema["$defs"])
    for name in schema["required"]:
        assert rows[name][2] == "yes", f"{kind}.{name} is required"
    for name in set(schema["properties"]) - set(schema["required"]):
        assert rows[name][2] != "yes", f"{kind}.{name} is optional"
    for name, field in schema["properties"].items():
        if field.get("description"):
            assert rows[name][4] == field["description"]


def test_what_a_status_needs_is_in_the_action_table(built_guide: Path) -> None:
    rows = _table_rows((built_guide / "records.html").read_text(encoding="utf-8"), "action")
    assert rows["closure"][2] == "if status is closed"
    assert rows["completion"][2] == "if status is closed or completed"
    assert rows["follow_up"][2] == "if status is closed and closure.outcome is not effective"
    assert rows["cancellation.reason"][2] == "if status is cancelled"
    assert rows["risk"][3] == "low, medium, high, critical"


def test_the_guides_example_records_pass_portfolio_check(tmp_path: Path) -> None:
    """Every code block titled with a record's path is a real record of a valid portfolio."""
    project = tmp_path / "project"
    for name in ("content", "site_config"):
        shutil.copytree(REPOSITORY / name, project / name)
    shutil.copy(REPOSITORY / "mkdocs.yml", project / "mkdocs.yml")
    examples = []
    for page in sorted(GUIDE.glob("*.md")):
        examples += re.findall(r'^```markdown title="(content/[^"]+\.md)"\n(.*?)^```$', page.read_text(encoding="utf-8"), re.S | re.M)
    kinds = {path.split("/")[1] for path, _ in examples}
    assert {"actions", "sources", "evidence", "meetings", "services", "statements"} <= kinds
    for path, text in examples:
        target = project / path
        assert not target.exists(), f"{path} would replace a record of the example"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        attachment = re.search(r"^file: (.+)$", text, re.M)
        if attachment:
            (target.parent / attachment.group(1)).write_text("date,checked,wrong\n", encoding="utf-8")
    closed = next(text for path, text in examples if "status: closed" in text)
    for part in ("milestones:", "extensions:", "escalations:", "completion:", "closure:", "measures:", "follow_up:", "updates:"):
        assert part in closed, f"the closed action's example has no {part}"

    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "--project", str(project), "check"],
        env=_env(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "unknown field" not in result.stdout


def test_no_page_of_the_guide_loads_anything_from_another_host(built_guide: Path) -> None:
    loads = re.compile(r"<(?:script|link|img|iframe|source|audio|video)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", re.I)
    for page in built_guide.glob("*.html"):
        assert not loads.search(page.read_text(encoding="utf-8")), page.name


# --- the README ----------------------------------------------------------------------------------


def test_readme_is_short() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 200


def test_every_relative_link_in_the_readme_resolves(built_guide: Path) -> None:
    links = re.findall(r"\]\(([^)\s]+)\)", README.read_text(encoding="utf-8"))
    relative = [link for link in links if not re.match(r"[a-z]+:", link) and not link.startswith("#")]
    assert relative, "the README links into the guide"
    for link in relative:
        path, _, anchor = link.partition("#")
        target = (REPOSITORY / path).resolve()
        assert target.is_file() and REPOSITORY in target.parents, link
        if anchor and target.parent == GUIDE:
            built = (built_guide / target.with_suffix(".html").name).read_text(encoding="utf-8")
            assert f'id="{anchor}"' in built, link


def test_readme_gives_the_test_command_ci_runs() -> None:
    command = (REPOSITORY / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert command in README.read_text(encoding="utf-8")


def test_the_vague_update_rules_are_the_generators(built_guide: Path) -> None:
    """The rule table on "Assurance checks" is written by docs/hooks/checks.py from judge/updates.py."""
    from generator.judge.updates import RULES, STOCK_PHRASES

    page = html.unescape((built_guide / "assurance.html").read_text(encoding="utf-8"))
    assert "vague-update-rules" not in page
    for number, rule in enumerate(RULES, start=1):
        assert f"{number}. {rule.name}" in page
    assert all(f"<code>{phrase}</code>" in page for phrase in STOCK_PHRASES)
