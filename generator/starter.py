"""``portfolio init``: a small, valid starter project a care provider can grow from."""

from __future__ import annotations

import shutil
from pathlib import Path

from . import resources
from .outputs import write_gitignore
from .problems import PortfolioError

STARTER = Path(__file__).resolve().parent / "starter"


def create_project(target: Path) -> list[Path]:
    """Copy the starter project into ``target`` (which must be new or empty)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise PortfolioError.single(str(target), 1, "init", "already exists and is not empty; choose a new folder", usage=True)
    created: list[Path] = []
    for source in sorted(STARTER.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            destination = target / source.relative_to(STARTER)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            created.append(destination)
    mkdocs_yml = target / "mkdocs.yml"
    text = resources.default_mkdocs_yml().read_text(encoding="utf-8")
    mkdocs_yml.write_text(text.replace("site_name: Brookfield Care Group governance portfolio", "site_name: Governance evidence portfolio"), encoding="utf-8")
    created.append(mkdocs_yml)
    frameworks = target / "site_config" / "frameworks"
    frameworks.mkdir(parents=True, exist_ok=True)
    for framework in sorted(resources.frameworks_dir().glob("*.yml")):
        shutil.copyfile(framework, frameworks / framework.name)
        created.append(frameworks / framework.name)
    gitignore = write_gitignore(target)  # site/, share/, exports and temporary folders stay out of git
    if gitignore is not None:
        created.append(gitignore)
    return created
