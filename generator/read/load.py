"""Stage 1, load: find every record file and split its front matter from its body.

Nothing here judges the content; it only reads. A file that cannot be read as a record becomes
a problem with its line, and reading carries on with the next file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..format.values import FOLDER_KINDS
from ..problems import Problem, Problems, nearest
from .yamlread import LineMap, YamlProblem, parse

#: The folder under ``content/`` decides the kind (spec section 1; ``statements``, the provider's
#: own account of a statement, is an extension): from the format table.
KIND_FOLDERS: dict[str, str] = FOLDER_KINDS
FOLDER_OF_KIND: dict[str, str] = {kind: folder for folder, kind in KIND_FOLDERS.items()}


@dataclass
class RawRecord:
    """One record file as read: front matter values with their lines, and the body."""

    kind: str
    path: str  # relative to the project, with forward slashes
    abs_path: Path
    data: dict[str, Any]
    lines: LineMap
    body: str


def read_text(path: Path, rel: str, problems: Problems) -> str | None:
    """Read UTF-8 text, accepting a byte-order mark and Windows or old Mac line endings."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(rel, 1, "file", f"cannot be read: {exc.strerror or exc}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(rel, line, "file", f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save it as UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: The line that closes front matter: ``---`` or ``...``, with nothing after it but blanks.
_CLOSING = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


def split_front_matter(text: str, rel: str, problems: Problems) -> tuple[str, int, str] | None:
    """Return (yaml text, line offset of the yaml, body) or report why there is none."""
    first_end = text.find("\n")
    if (text if first_end < 0 else text[:first_end]).rstrip() != "---":
        problems.add(rel, 1, "front matter", "the file must start with YAML front matter between '---' lines")
        return None
    closing = _CLOSING.search(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        problems.add(rel, 1, "front matter", "the front matter opened on line 1 is never closed with a '---' line")
        return None
    front = text[first_end + 1 : max(closing.start() - 1, first_end + 1)]
    return front, 1, text[closing.end() + 1 :]


def load_record(abs_path: Path, rel: str, kind: str, problems: Problems) -> RawRecord | None:
    """Read one record file; None (with problems added) when it cannot be read as a record."""
    text = read_text(abs_path, rel, problems)
    if text is None:
        return None
    split = split_front_matter(text, rel, problems)
    if split is None:
        return None
    front, offset, body = split
    try:
        data, lines = parse(front, line_offset=offset)
    except YamlProblem as exc:
        problems.add(rel, exc.line, exc.field_name, exc.message)
        return None
    if data is None:
        problems.add(rel, 1, "front matter", "the front matter is empty; a record needs at least 'id' and 'title'")
        return None
    if not isinstance(data, dict):
        problems.add(rel, 2, "front matter", "the front matter must be a mapping of 'field: value' lines")
        return None
    return RawRecord(kind=kind, path=rel, abs_path=abs_path, data=data, lines=lines, body=body.strip("\n"))


def record_files(content_dir: Path, project_dir: Path, problems: Problems) -> list[tuple[Path, str, str]]:
    """Every record file as (absolute path, project-relative path, kind), sorted by path.

    Nothing outside ``content/`` is read: every symbolic link under it is checked first (see
    :func:`_link_readable`), hidden files and folders included, since MkDocs walks those too.
    """
    found: list[tuple[Path, str, str]] = []
    if not content_dir.is_dir():
        problems.add(_rel(content_dir, project_dir), 1, "content", "the content folder does not exist")
        return found
    root = os.path.realpath(content_dir)
    content_rel = _rel(content_dir, project_dir)
    for path, rel, hidden in _files_under(str(content_dir), content_rel, root, problems):
        if hidden or not rel.endswith(".md"):
            continue
        parts = rel[len(content_rel) + 1:].split("/")
        if len(parts) == 1:
            problems.warn(
                rel, 1, "file",
                "is not inside a record folder (actions/, sources/, evidence/, meetings/, services/) and is not published",
            )
        elif parts[0] in KIND_FOLDERS:
            found.append((Path(path), rel, KIND_FOLDERS[parts[0]]))
        else:
            # A misspelt record folder (content/action/) must not make its records vanish quietly.
            folder = nearest(parts[0], KIND_FOLDERS)
            problems.warn(
                rel, 1, "file", f"is in '{parts[0]}/', which is not a record folder, and is not published",
                suggestion=f"{folder}/" if folder else None,
            )
    found.sort(key=lambda item: item[1])
    return found


def _files_under(top: str, top_rel: str, root: str, problems: Problems) -> Iterator[tuple[str, str, bool]]:
    """Every file under ``top`` as (path, project-relative path, hidden), links checked.

    Relative paths are joined as text: a Path and relative_to() per file cost a second at 17,000
    records. ``hidden``: the file or a folder on its way starts with '.'; it is never a record.
    """
    folders = [(top, top_rel, False)]
    while folders:
        folder, folder_rel, folder_hidden = folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError as exc:
            if not folder_hidden:
                problems.add(folder_rel, 1, "file", f"the folder cannot be read: {exc.strerror or exc}")
            continue
        for entry in entries:
            rel, hidden = f"{folder_rel}/{entry.name}", folder_hidden or entry.name.startswith(".")
            if entry.is_symlink():
                if _link_readable(entry.path, rel, root, problems, record=not hidden and entry.name.endswith(".md")):
                    yield entry.path, rel, hidden
            elif entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, rel, hidden))
            elif entry.is_file(follow_symlinks=False):
                yield entry.path, rel, hidden
            elif not hidden and entry.name.endswith(".md"):  # a pipe or a device: reading it could wait for ever
                problems.add(rel, 1, "file", "is not a regular file, so it is not read")


def _link_readable(path: str, rel: str, root: str, problems: Problems, *, record: bool) -> bool:
    """Whether a symbolic link under ``content/`` may be read as the file it names.

    A link to a file that stays inside content/ is read like that file: it is content already
    (a record read twice this way is a duplicate id). Every other link is an error, found before
    MkDocs, which follows links, walks content/: a link out of content/ (its target is never
    read), and a link to a folder, even inside content/ (its records would be read twice, and a
    link to a folder above it would make MkDocs walk for ever). A link to nothing is an error
    where a record was expected, and ignored elsewhere (an editor's lock file).
    """
    real = os.path.realpath(path)
    if real != root and not real.startswith(os.path.join(root, "")):
        problems.add(
            rel, 1, "file",
            f"links outside content/ (to {real}); nothing outside content/ is read or published: copy what it names into content/ instead",
        )
        return False
    shown = "content/" + os.path.relpath(real, root).replace(os.sep, "/") if real != root else "content/"
    if os.path.isdir(real):
        problems.add(
            rel, 1, "file",
            f"is a link to the folder {shown}; links to folders are not followed: move the records into a real folder instead",
        )
        return False
    if not os.path.isfile(real):
        if record and os.path.exists(real):
            problems.add(rel, 1, "file", f"is a link to {shown}, which is not a regular file, so it is not read")
        elif record:
            problems.add(rel, 1, "file", f"is a link to {shown}, which does not exist; restore the file or remove the link")
        return False
    return True


#: A file as last read, by path: (inode, mtime, size) then the record (None if unreadable) and
#: the problems reading it found. ``portfolio serve`` keeps one across rebuilds.
ReadCache = dict[Path, tuple[tuple[int, int, int], "RawRecord | None", list[Problem]]]


def load_content(project_dir: Path, problems: Problems, cache: ReadCache | None = None) -> list[RawRecord]:
    """Stage entry point: every record under ``content/``, in path order.

    With ``cache``, a file whose inode, modification time and size are those of its last read is
    not read again (parsing YAML is most of reading: with 2,000 actions, about 1 s of each
    rebuild under ``portfolio serve``). Nothing downstream changes a RawRecord.
    """
    content_dir = project_dir / "content"
    records: list[RawRecord] = []
    files = record_files(content_dir, project_dir, problems)
    for abs_path, rel, kind in files:
        if cache is None:
            record = load_record(abs_path, rel, kind, problems)
        else:
            record = _load_cached(abs_path, rel, kind, problems, cache)
        if record is not None:
            records.append(record)
    if cache is not None:
        for gone in set(cache) - {abs_path for abs_path, _, _ in files}:
            del cache[gone]
    return records


def _load_cached(abs_path: Path, rel: str, kind: str, problems: Problems, cache: ReadCache) -> RawRecord | None:
    try:
        stat = abs_path.stat()
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    except OSError:
        return load_record(abs_path, rel, kind, problems)
    cached = cache.get(abs_path)
    if cached is not None and cached[0] == stamp and (cached[1] is None or (cached[1].path, cached[1].kind) == (rel, kind)):
        problems.extend(cached[2])
        return cached[1]
    found = Problems()
    record = load_record(abs_path, rel, kind, found)
    problems.extend(found.items)
    cache[abs_path] = (stamp, record, found.items)
    return record


def _rel(path: Path, project_dir: Path) -> str:
    try:
        return path.relative_to(project_dir).as_posix()
    except ValueError:
        return path.as_posix()
