"""Staging folders: where a site, a share or a snapshot is built before it is moved into place.

``portfolio build``, ``share`` and ``snapshot`` each build into a hidden folder beside the output
(``.site.building-*``, ``share/.PROFILE.sharing-*``, ``archive/.YYYY-MM.snapshot-*``) and rename
it into place only when it is complete; ``engine.swap_in`` moves the output it replaces aside as
``.NAME.old-PID`` for that moment. One place makes these folders, for two reasons:

- Modes. ``tempfile.mkdtemp`` makes a folder only its owner can open (0700), and a renamed folder
  keeps its mode: ``site/`` was then one a web server could not serve. A staging folder here is
  made with ``os.mkdir(path, 0o777)``, which the umask trims exactly as it does every other
  folder the user makes (0755 under umask 022); what MkDocs writes in it gets the umask too.
- Leftovers. A run that is killed (``kill -9``, a power cut, a CI timeout) cannot tidy up, and
  its staging folder stayed for ever. The next run of the same kind removes them first: only
  folders of our own naming in that one parent folder, never a link, never anything else.
  A staging folder is named ``.NAME.ACTIVITY-PID-RANDOM``, so a folder whose process is still
  running (a run at the same time, in another terminal) is left alone; one whose process has
  ended is a leftover. A folder named as earlier versions named it (``mkdtemp``'s random suffix,
  no PID) cannot be a running run's of this version, so it is a leftover too. This needs no lock
  file (which would itself be left behind by a killed run); its one limit is two machines, or two
  containers with their own process numbers, building into one shared folder at the same moment.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from pathlib import Path

#: The ``.NAME.old-PID`` folder ``engine.swap_in`` moves a replaced output to.
RETIRED = "old"
#: A staging folder's tag after ``ACTIVITY-``: the process number, then (except ``old``) 8 hex digits.
_TAG = re.compile(r"(?P<pid>\d{1,10})(?:-[0-9a-f]{8})?")


def staging_folder(parent: Path, name: str, activity: str, *, leftovers_of: str | None = None) -> Path:
    """A new empty folder ``parent/.NAME.ACTIVITY-PID-RANDOM`` with the umask's modes.

    Leftovers of killed runs in ``parent`` go first: those for ``name``, or for every name
    matching the regular expression ``leftovers_of`` (every month of an archive). OSError (the
    parent cannot be written) is for the caller to report.
    """
    remove_leftovers(parent, leftovers_of or re.escape(name), activity)
    parent.mkdir(parents=True, exist_ok=True)
    while True:
        path = parent / f".{name}.{activity}-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            os.mkdir(path, 0o777)  # the umask decides, as for any folder the user makes
        except FileExistsError:  # pragma: no cover - 32 random bits, same process
            continue
        return path


def remove_leftovers(parent: Path, names: str, activity: str) -> list[Path]:
    """Remove ``parent/.NAME.ACTIVITY-*`` and ``.NAME.old-*`` folders (NAME matching the regular
    expression ``names``) whose run has ended; return what was removed, in name order."""
    pattern = re.compile(rf"\.(?:{names})\.(?:{re.escape(activity)}|{RETIRED})-(?P<tag>.+)")
    removed: list[Path] = []
    try:
        with os.scandir(parent) as entries:
            candidates = sorted(
                (entry for entry in entries if entry.is_dir(follow_symlinks=False) and not entry.is_symlink()),
                key=lambda entry: entry.name,
            )
    except OSError:  # no parent yet, or not readable: nothing of ours can be there
        return removed
    for entry in candidates:
        match = pattern.fullmatch(entry.name)
        if match is None or _running(match["tag"]):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


def _running(tag: str) -> bool:
    """Whether the run that named a staging folder with ``tag`` may still be using it."""
    match = _TAG.fullmatch(tag)
    if match is None:
        return False  # an earlier version's name: no run of this version made it
    pid = int(match["pid"])
    if pid == os.getpid():
        return True  # this process: another thread of it may be building there
    if pid <= 0:
        return False
    if os.name == "nt":
        return True  # signal 0 would end the process there, not ask about it: leave the folder
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, run by another user
    except (OverflowError, OSError):
        return False  # not a process number this system can have
    return True
