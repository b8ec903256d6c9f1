"""Where the files shipped with the generator are: templates, frameworks, the starter mkdocs.yml.

They live at the top of the repository (``theme/``, ``site_config/frameworks/``,
``site_config/mappings/``, ``mkdocs.yml``) and are copied into ``generator/_data/`` when a wheel is
built, so both a source checkout (or an editable install) and an installed wheel find them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _locate(installed: str, checkout: str) -> Path:
    packaged = _PACKAGE / "_data" / installed
    if packaged.exists():
        return packaged
    return _PACKAGE.parent / checkout


@cache
def theme_dir() -> Path:
    """The page templates (``pages/``) and Material overrides (``overrides/``)."""
    return _locate("theme", "theme")


@cache
def frameworks_dir() -> Path:
    """Frameworks shipped with the generator, used when a project does not carry its own copy."""
    return _locate("frameworks", "site_config/frameworks")


@cache
def mappings_dir() -> Path:
    """Mappings between shipped frameworks (``<from>--<to>.yml``), used when a project has none of its own."""
    return _locate("mappings", "site_config/mappings")


@cache
def default_mkdocs_yml() -> Path:
    """The example project's mkdocs.yml, which is also the starter for ``portfolio init``."""
    return _locate("mkdocs.yml", "mkdocs.yml")


def iframe_worker_shim() -> Path:
    """Material's iframe-worker shim, vendored in ``generator/vendor/``: search in a share opened from disk."""
    return _PACKAGE / "vendor" / "iframe-worker" / "shim.js"
