"""Where the commands write in a project by default, and the ``.gitignore`` that keeps it out of git.

A portfolio project is meant to live in version control (``portfolio snapshot`` builds a month
from its last commit), so what the commands make must not be committed by accident: the site,
shares (which may be sent outside), exports and packs (copies of the records, made again at
will), and the hidden folders a run builds in before it moves its output into place
(generator/mkdocs/staging.py). ``archive/`` is the exception: each month's snapshot and its manifest
are the record of what the portfolio said then, and are meant to be committed.
"""

from __future__ import annotations

from pathlib import Path

#: ``portfolio export`` writes here unless ``--output`` says otherwise.
EXPORTS = "exports"
#: ``portfolio pack`` writes here unless ``--output`` says otherwise.
PACKS = "packs"

GITIGNORE = f"""\
# Made by the portfolio command: built again from content/ and site_config/ whenever needed.
/site/
/share/
/{EXPORTS}/
/{PACKS}/
# A run builds in a hidden folder and renames it into place when it is complete; a run that was
# killed can leave one behind (the next run of the same kind removes it).
.*.building-*
.*.sharing-*
.*.snapshot-*
.*.old-*
.*.partial
__pycache__/
# archive/ is NOT ignored: commit each month's snapshot (portfolio snapshot), so the chain of
# manifests can be checked later (portfolio verify).
"""


def write_gitignore(project: Path) -> Path | None:
    """Write ``project/.gitignore``; None (and nothing written) when the project has one already."""
    path = project / ".gitignore"
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(GITIGNORE)
    except FileExistsError:
        return None
    return path
