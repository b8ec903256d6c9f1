"""Hostile YAML kept small: no anchors or aliases where none is needed, a cap where one is.

Nine lines of ``b: &b [*a, *a, ...]`` stand for 9**9 values. Composing them is cheap (PyYAML's
composer gives an alias the anchored node itself) but building, walking or dumping the value is
not, and a node may even hold its own alias. Records and the files in site_config/ never need
either, so both are refused from the parser's events, before any node is built. mkdocs.yml is
read by MkDocs, and its users share palette settings with anchors: there the expanded size is
capped instead (:func:`cap_expansion`).

Nesting is bounded here too: PyYAML's C composer recurses in C and overflows the stack past some
tens of thousands of open ``[`` (a crash, not an exception), and the walk that builds values
recurses in Python; the event parser does neither.
"""

from __future__ import annotations

from typing import Any

import yaml

from .yamlbase import BaseLoader, PathKey, YamlProblem, field_label

#: Lists or mappings open inside one another, at most: records and settings nest a few deep, and
#: this leaves Python's recursion limit (1,000 frames) room for the walk and its callers.
MAX_DEPTH = 500
TOO_DEEP = f"invalid YAML: lists or mappings nested more than {MAX_DEPTH:,} deep"

_NODE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)
_END_EVENTS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def suspicious(text: str) -> bool:
    """Whether the text may hold an anchor, an alias or deep nesting (a few ``str.count``: the
    event scan then costs about one more parse, and most texts never need it)."""
    if "&" in text or "*" in text:  # the only ways to write an anchor or an alias
        return True
    # Each list or mapping opens with one of these, so fewer cannot nest too deep.
    return sum(text.count(opener) for opener in "[{-?:") > MAX_DEPTH


def refuse_anchors_and_depth(text: str, line_offset: int, where: str) -> None:
    """Raise :class:`YamlProblem` at the first alias (or, without one, the first anchor), or
    where lists or mappings open more than :data:`MAX_DEPTH` deep.

    ``where`` names the kind of file for the message ("records", "site_config files"). An alias
    to an anchor never defined is left to the composer, which says so; a syntax error too."""
    _scan(text, line_offset, where, anchors_allowed=False)


def _scan(text: str, line_offset: int, where: str, *, anchors_allowed: bool) -> None:
    loader = BaseLoader(text)
    # Where the parser is: for each open mapping or list, whether a mapping, its key or index so
    # far, and (in a mapping) whether the next node is a key.
    frames: list[list[Any]] = []
    anchors: dict[str, tuple[int, PathKey]] = {}
    try:
        while loader.check_event():
            event = loader.get_event()
            kind = type(event)
            if kind in _END_EVENTS:
                frames.pop()
                continue
            if kind not in _NODE_EVENTS:
                continue
            frame = frames[-1] if frames else None
            is_key = False
            if frame is not None:
                if not frame[0]:
                    frame[1] += 1
                elif frame[2]:
                    is_key = True
                    frame[1] = event.value if kind is yaml.ScalarEvent else "?"
                frame[2] = frame[0] and not frame[2]
            line = line_offset + event.start_mark.line + 1
            if kind is yaml.AliasEvent:
                if event.anchor in anchors and not anchors_allowed:
                    raise YamlProblem(
                        line, f"YAML aliases (*{event.anchor}) are not allowed in {where}; write the value out",
                        field_name=field_label(_path(frames, is_key)),
                    )
                continue
            if event.anchor is not None:
                anchors.setdefault(event.anchor, (line, _path(frames, is_key)))
            if kind is yaml.MappingStartEvent:
                frames.append([True, None, True])
            elif kind is yaml.SequenceStartEvent:
                frames.append([False, -1, False])
            if len(frames) > MAX_DEPTH:
                raise YamlProblem(line, TOO_DEEP, field_name=field_label(_path(frames, False)[:1]))
    finally:
        loader.dispose()
    if anchors and not anchors_allowed:
        name, (line, path) = next(iter(anchors.items()))
        raise YamlProblem(line, f"YAML anchors (&{name}) are not allowed in {where}; write the value without one", field_name=field_label(path))


def _path(frames: list[list[Any]], is_key: bool) -> PathKey:
    """The field the current node is the value of (for a key: the mapping holding it)."""
    path = tuple(frame[1] for frame in frames if frame[1] is not None)
    return path[:-1] if is_key else path


def cap_expansion(text: str, limit: int, *, where: str) -> yaml.Node | None:
    """The composed document, after raising :class:`YamlProblem` when aliases would make it more
    than ``limit`` values larger than its text writes, when a value holds its own alias, or when
    it nests too deep. None for an empty document, and for a syntax error: the reader that
    follows reports it.

    Each distinct node's expanded size is counted once, O(nodes + edges); the problem is
    reported at the top-level key that grows most."""
    try:
        _scan(text, 0, where, anchors_allowed=True)
        root = yaml.compose(text, Loader=BaseLoader)
    except yaml.YAMLError:
        return None
    if root is None:
        return None
    sizes = _expanded_sizes(root)
    if sizes is None:
        line, key = _biggest_key(root, None)
        raise YamlProblem(line, f"a YAML alias here is inside the value it names, so {where} would never end; write the value out", field_name=key)
    written = len(sizes)
    if sizes[id(root)] - written <= limit:
        return root
    line, key = _biggest_key(root, sizes)
    raise YamlProblem(
        line,
        f"YAML aliases expand {where} to {sizes[id(root)]:,} values (its text writes {written:,}); "
        f"at most {limit:,} more are allowed: write the values out or use fewer aliases",
        field_name=key,
    )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _expanded_sizes(root: yaml.Node) -> dict[int, int] | None:
    """Each distinct node's size with every alias written out, by ``id``; None when a node holds
    itself. Depth-first without recursion; the nodes still open are the path from the root."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            continue
        if key in sizes:
            continue
        open_nodes.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_nodes:
                return None
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes


def _biggest_key(root: yaml.Node, sizes: dict[int, int] | None) -> tuple[int, str]:
    """The line and name of the top-level key whose value is largest once expanded (without
    sizes: the first whose value holds itself)."""
    if not isinstance(root, yaml.MappingNode) or not root.value:
        return root.start_mark.line + 1, "front matter"
    if sizes is not None:
        key, _value = max(root.value, key=lambda pair: sizes.get(id(pair[1]), 0))
    else:
        key = next((k for k, v in root.value if _expanded_sizes(v) is None), root.value[0][0])
    return key.start_mark.line + 1, str(key.value)
