"""Hostile YAML through the real command, with the address space capped at 2 GiB.

A "billion laughs" (nine lines of ``&a``/``*a``) once grew the process past 12 GB wherever the
project reads YAML. Each case writes one into a different file, runs the command as a separate
process that cannot take more than 2 GiB, and expects a clean ``PATH:LINE: FIELD:`` problem, the
usual exit status and no traceback.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from .conftest import BUILD_TIMEOUT, PORTFOLIO, REPO, clean_env

AS_OF = "2026-04-01"
MEMORY = 2 << 30  # bytes: the bomb needs gigabytes, a build a few hundred megabytes


def alias_bomb(levels: int, indent: str = "") -> str:
    """'Billion laughs': each line a list of nine aliases of the line above (9**levels values)."""
    rows = [f"{indent}l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    rows += [f"{indent}l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(rows) + "\n"


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_capped(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PORTFOLIO, *args], cwd=cwd, env=clean_env(), capture_output=True, text=True,
        timeout=BUILD_TIMEOUT, preexec_fn=_cap_memory,
    )


def append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def in_record(root: Path) -> None:
    path = root / "content/evidence/ev-1.md"
    head, sep, body = path.read_text(encoding="utf-8").partition("\n---\n")
    path.write_text(head + "\nextra:\n" + alias_bomb(9, "  ").rstrip("\n") + sep + body, encoding="utf-8")


def in_portfolio_yml(root: Path) -> None:
    append(root, "site_config/portfolio.yml", "extra:\n" + alias_bomb(9, "  "))


def in_profile(root: Path) -> None:
    (root / "site_config/profiles").mkdir(parents=True, exist_ok=True)
    (root / "site_config/profiles/council.yml").write_text("title: For the council\n" + alias_bomb(9), encoding="utf-8")


def in_framework(root: Path) -> None:
    (root / "site_config/frameworks").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "site_config/frameworks/cqc-saf-2023.yml", root / "site_config/frameworks/cqc-saf-2023.yml")
    append(root, "site_config/frameworks/cqc-saf-2023.yml", "extra:\n" + alias_bomb(9, "  "))


def in_mapping(root: Path) -> None:
    (root / "site_config/mappings").mkdir(parents=True, exist_ok=True)
    (root / "site_config/mappings/old--cqc-saf-2023.yml").write_text("from: old\nto: cqc-saf-2023\n" + alias_bomb(9), encoding="utf-8")


def in_mkdocs_yml(root: Path) -> None:
    append(root, "mkdocs.yml", "\nextra:\n  laughs:\n" + alias_bomb(9, "    "))


def in_import_map(root: Path) -> None:
    (root / "tracker.csv").write_text("Ref,Action,Owner,Date raised,Due date,Status\n", encoding="utf-8")
    (root / "map.yml").write_text("columns: {}\n" + alias_bomb(9), encoding="utf-8")


Place = Callable[[Path], None]
CASES: list[tuple[str, Place, tuple[str, ...], str, int]] = [
    ("record", in_record, ("check",), "content/evidence/ev-1.md:9: extra.l1[1]: YAML aliases (*l0) are not allowed in records", 1),
    ("record-build", in_record, ("build", "--as-of", AS_OF), "content/evidence/ev-1.md:9: extra.l1[1]: YAML aliases (*l0) are not allowed in records", 1),
    ("portfolio-yml", in_portfolio_yml, ("check",), ": extra.l1[1]: YAML aliases (*l0) are not allowed in site_config files", 2),
    ("profile", in_profile, ("share", "council", "--as-of", AS_OF), "site_config/profiles/council.yml:3: l1[1]: YAML aliases (*l0) are not allowed in site_config files", 2),
    ("framework", in_framework, ("check",), ": extra.l1[1]: YAML aliases (*l0) are not allowed in site_config files", 2),
    ("mapping", in_mapping, ("check",), "site_config/mappings/old--cqc-saf-2023.yml:4: l1[1]: YAML aliases (*l0) are not allowed in site_config files", 2),
    ("mkdocs-yml", in_mkdocs_yml, ("build", "--as-of", AS_OF), ": extra: YAML aliases expand mkdocs.yml to ", 2),
    ("import-map", in_import_map, ("import", "tracker.csv", "--map", "map.yml", "--dry-run"), "map.yml:3: l1[1]: YAML aliases (*l0) are not allowed in import map files", 2),
]


@pytest.mark.parametrize(("place", "args", "expected", "status"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_an_alias_bomb_is_one_problem_line_in_bounded_memory(minimal_project, place: Place, args: tuple[str, ...], expected: str, status: int):
    root = minimal_project.root
    place(root)
    result = run_capped(*args, cwd=root)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "MemoryError" not in output, output
    assert expected in output, output
    assert result.returncode == status, output
    assert not (root / "site").exists()


def test_a_seven_level_bomb_no_longer_builds_a_huge_site(minimal_project):
    """Seven levels (4.8 million values) once built, and wrote a 173 MB portfolio.json."""
    root = minimal_project.root
    path = root / "content/evidence/ev-1.md"
    head, sep, body = path.read_text(encoding="utf-8").partition("\n---\n")
    path.write_text(head + "\nextra:\n" + alias_bomb(7, "  ").rstrip("\n") + sep + body, encoding="utf-8")
    result = run_capped("build", "--as-of", AS_OF, cwd=root)
    assert result.returncode == 1, result.stderr
    assert "content/evidence/ev-1.md:9: extra.l1[1]: YAML aliases (*l0) are not allowed in records" in result.stderr
    assert not (root / "site").exists()


def test_anchors_reused_in_mkdocs_yml_still_build(minimal_project):
    """mkdocs.yml users share settings with anchors; a few aliases are not a bomb."""
    root = minimal_project.root
    append(root, "mkdocs.yml", "\nextra:\n  contact: &contact {name: Office, phone: '01234 567890'}\n  footer_contact: *contact\n")
    result = run_capped("build", "--as-of", AS_OF, cwd=root)
    assert result.returncode == 0, result.stderr
    assert (root / "site/index.html").is_file()


def test_deep_nesting_in_a_record_is_a_problem_not_a_crash(minimal_project):
    root = minimal_project.root
    path = root / "content/evidence/ev-1.md"
    head, sep, body = path.read_text(encoding="utf-8").partition("\n---\n")
    path.write_text(head + "\nextra: " + "[" * 100_000 + "]" * 100_000 + sep + body, encoding="utf-8")
    result = run_capped("check", cwd=root)
    assert result.returncode == 1, result.stderr
    assert "content/evidence/ev-1.md:7: extra: invalid YAML: lists or mappings nested more than 500 deep" in result.stdout
