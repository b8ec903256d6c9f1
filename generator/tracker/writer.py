"""Imported records written as files: front matter in the order and style a person would write it,
into ``content/``, never over a file already there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..problems import Problems
from ..read.load import RawRecord, split_front_matter
from ..read.yamlread import parse


class _Dumper(yaml.SafeDumper):
    """Block style, with lists of plain values in flow style ([a, b]) as people write them."""

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style  # double quotes read better than doubled single quotes

    def ignore_aliases(self, data: Any) -> bool:
        """A value used twice is written out twice: records refuse anchors and aliases."""
        return True


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(not isinstance(item, (dict, list)) for item in data) and len(data) < 8
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


#: Required fields written even when empty (an owner left blank in the tracker is written ``owner:``,
#: which ``portfolio check`` accepts and flags no-named-owner).
KEEP_EMPTY = ("owner",)


def _represent_none(dumper: yaml.SafeDumper, data: None) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "")


_Dumper.add_representer(type(None), _represent_none)


def record_text(fields: dict[str, Any], body: str) -> str:
    """A record file: YAML front matter between '---' lines, then the body."""
    front = yaml.dump(
        {k: v for k, v in fields.items() if v is not None or k in KEEP_EMPTY}, Dumper=_Dumper, sort_keys=False,
        default_flow_style=False, allow_unicode=True, width=100,
    )
    return "---\n" + front + "---\n" + (body.strip() + "\n" if body.strip() else "")


def raw_record(kind: str, rel: str, abs_path: Path, text: str) -> RawRecord:
    """A record as :func:`generator.read.load.load_record` would read it, from text not yet written."""
    problems = Problems()
    split = split_front_matter(text, rel, problems)
    assert split is not None, problems.items
    front, offset, body = split
    data, lines = parse(front, line_offset=offset)
    return RawRecord(kind=kind, path=rel, abs_path=abs_path, data=data, lines=lines, body=body.strip("\n"))
