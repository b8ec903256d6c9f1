"""Stage 1, load: find every record file and split its front matter from its body.

Nothing here judges the content; it only reads. A file that cannot be read as a record becomes
a problem with its line, and reading carries on with the next file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import Problem, Problems, nearest
from .yamlread import LineMap, YamlProblem, parse

#: The folder under ``content/`` decides the kind (spec section 1).
KIND_FOLDERS: dict[str, str] = {
    "actions": "action",
    "sources": "source",
    "evidence": "evidence",
    "meetings": "meeting",
    "services": "service",
    "statements": "statement",  # an extension: the provider's own account of a statement
}
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
    """Every record file as (absolute path, project-relative path, kind), sorted by path."""
    found: list[tuple[Path, str, str]] = []
    if not content_dir.is_dir():
        problems.add(_rel(content_dir, project_dir), 1, "content", "the content folder does not exist")
        return found
    for entry in sorted(content_dir.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and entry.name in KIND_FOLDERS:
            kind = KIND_FOLDERS[entry.name]
            # Relative paths are joined as text: a Path and relative_to() per file cost a second
            # at 17,000 records.
            top, top_rel = str(entry), _rel(entry, project_dir)
            for root, dirs, files in os.walk(entry):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                under = root[len(top):].replace(os.sep, "/")
                for name in sorted(files):
                    if name.endswith(".md") and not name.startswith("."):
                        found.append((Path(root, name), f"{top_rel}{under}/{name}", kind))
        elif entry.is_file() and entry.suffix == ".md":
            problems.warn(
                _rel(entry, project_dir), 1, "file",
                "is not inside a record folder (actions/, sources/, evidence/, meetings/, services/) and is not published",
            )
        elif entry.is_dir():
            # A misspelt record folder (content/action/) must not make its records vanish quietly.
            folder = nearest(entry.name, KIND_FOLDERS)
            for path in sorted(entry.rglob("*.md")):
                if not any(part.startswith(".") for part in path.relative_to(content_dir).parts):
                    problems.warn(
                        _rel(path, project_dir), 1, "file",
                        f"is in '{entry.name}/', which is not a record folder, and is not published",
                        suggestion=f"{folder}/" if folder else None,
                    )
    found.sort(key=lambda item: item[1])
    return found


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
