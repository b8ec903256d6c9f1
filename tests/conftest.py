"""Shared fixtures: real portfolio projects written into tmp_path, as users would have them."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from datetime import date
from typing import Any, Callable

import pytest

REPO = Path(__file__).resolve().parent.parent

PORTFOLIO_YML = """\
provider: Test Care Ltd
framework: cqc-saf-2023
thresholds:
  due_soon_days: 14
  stale_update_days: 30
  max_extensions: 2
  escalate_overdue_days: 14
roles: [Registered manager, Deputy manager, Team leader]
redact_terms: []
"""


@pytest.fixture(scope="session")
def scale_benchmark():
    """``benchmarks/scale.py`` as a module (the benchmarks are scripts, not a package)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("scale_benchmark", REPO / "benchmarks" / "scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """A copy of the shipped example portfolio (content/, site_config/, mkdocs.yml)."""
    project = tmp_path / "example"
    project.mkdir()
    for name in ("content", "site_config"):
        shutil.copytree(REPO / name, project / name)
    shutil.copyfile(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return project


class ProjectWriter:
    """Writes a minimal valid project, then whatever records a test needs."""

    def __init__(self, root: Path):
        self.root = root
        (root / "site_config").mkdir(parents=True, exist_ok=True)
        (root / "content").mkdir(exist_ok=True)
        self.config(PORTFOLIO_YML)
        shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")

    def config(self, text: str) -> Path:
        return self.file("site_config/portfolio.yml", text)

    def file(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def record(self, folder: str, name: str, front_matter: str, body: str = "Narrative.") -> Path:
        """``content/<folder>/<name>.md`` with the given front matter (dedented) and body."""
        return self.file(f"content/{folder}/{name}.md", "---\n" + textwrap.dedent(front_matter).strip("\n") + "\n---\n" + body + "\n")

    def followed_action(self, id: str, *, status: str = "in-progress", approach: str = "", outcome: str = "",
                        follow_up: str = "", raised: str = "2026-01-15", closed: str = "2026-04-01", service: str = "",
                        learning: str = "") -> Path:
        """A high-risk action on AUD-1 for the learning tests (tests/judge/test_learning.py,
        tests/site/test_learning_plan.py); ``outcome`` closes it on ``closed`` (with completion
        and EV-1), ``follow_up`` names the actions raised after it."""
        lines = [
            f"id: {id}", "title: An action", "source: AUD-1", "owner: Jo Evans (Deputy manager)", f"raised: {raised}",
            "due: 2026-12-31", "risk: high", f"status: {status}", "quality_statements: [medicines-optimisation, learning-culture]",
        ]
        if approach:
            lines.append(f"approach: {approach}")
        if service:
            lines.append(f"service: {service}")
        if status in ("completed", "closed"):
            lines.append(f"completion: {{date: {closed}, checked_by: Sam Patel (Registered manager)}}")
        if status == "closed":
            written = f", outcome: {outcome}" if outcome else ""
            note = f", learning: {learning}" if learning else ""
            lines.append(f"closure: {{date: {closed}, evidence: [EV-1]{written}{note}}}")
        if status == "cancelled":
            lines.append(f"cancellation: {{date: {closed}, reason: Replaced.}}")
        if follow_up:
            lines.append(f"follow_up: [{follow_up}]")
        return self.record("actions", id.lower(), "\n".join(lines) + "\n")

    def portfolio(self, as_of: str) -> Any:
        """The project checked (no errors allowed) and judged as of ``as_of``."""
        from generator.judge.model import build_portfolio
        from generator.pipeline import check

        checked = check(self.root)
        assert [str(p) for p in checked.problems.errors] == []
        return build_portfolio(checked.validated, checked.config, date.fromisoformat(as_of))


@pytest.fixture
def project(tmp_path: Path) -> ProjectWriter:
    """An empty but valid project to add records to."""
    return ProjectWriter(tmp_path / "project")


@pytest.fixture
def minimal_project(project: ProjectWriter) -> ProjectWriter:
    """One valid record of each kind: a source, an action closed with evidence, a meeting, a service."""
    project.record("services", "home", """
        id: home
        title: The Home
        kind: care home
    """)
    project.record("sources", "aud-1", """
        id: AUD-1
        title: Medicines audit
        kind: audit
        date: 2026-01-10
        quality_statements: [medicines-optimisation]
    """)
    project.record("meetings", "mtg-1", """
        id: MTG-1
        title: January governance meeting
        date: 2026-01-15
        forum: Monthly governance meeting
        chair: Sam Patel (Registered manager)
    """)
    project.record("evidence", "ev-1", """
        id: EV-1
        title: MAR chart re-audit
        date: 2026-02-20
        category: processes
        quality_statements: [medicines-optimisation]
    """)
    project.record("actions", "act-1", """
        id: ACT-1
        title: Weekly MAR chart checks
        source: AUD-1
        owner: Jo Evans (Deputy manager)
        raised: 2026-01-15
        agreed_in: MTG-1
        due: 2026-02-28
        risk: medium
        status: closed
        quality_statements: [medicines-optimisation]
        completion: {date: 2026-02-20, checked_by: Sam Patel (Registered manager), note: Checked.}
        closure: {date: 2026-03-01, approved_by: Sam Patel (Registered manager), evidence: [EV-1], outcome: effective, minutes: MTG-1}
    """)
    return project


ProjectFactory = Callable[[], ProjectWriter]
