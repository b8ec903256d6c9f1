"""YAML reading that keeps the line of every key and never guesses a type for a date.

PyYAML's implicit timestamp resolver turns ``2026-02-30`` into a crash and ``2026-3-5`` into a
string; both must be our error, so dates stay strings here and are parsed strictly later.
Values come back as plain Python objects plus a :class:`LineMap` from key path to line.
"""

from __future__ import annotations

from typing import Any

import yaml

from . import yamlguard, yamlhints, yamlplain
from .yamlbase import STR_TAG, BaseLoader, LineMap, PathKey, YamlProblem, field_label, plain_tag


#: The tag the parser gives every node it would ask a resolver about: the resolving is done in
#: ``_construct``, for the plain scalars that are values (never keys, lists or mappings).
_IMPLICIT = "tag:portfolio,2026:implicit"
_ScalarNode = yaml.ScalarNode


class _Loader(BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader without the timestamp resolver.

    The C parser calls ``resolve`` back for every node, keys and collections included: half a
    million Python calls for 10,000 actions. Here it is a built-in that returns one constant tag
    (``str.format`` of a string with no fields), and ``_construct`` resolves the plain values
    itself, with PyYAML's own implicit resolvers less the timestamp one.
    """

    resolve = _IMPLICIT.format
    # Called around every node too, and their results are not used: built-ins again, not methods.
    descend_resolver: Any = {}.get
    ascend_resolver = "".lower


def parse(text: str, *, line_offset: int = 0, where: str = "records") -> tuple[Any, LineMap]:
    """Parse one YAML document; raise :class:`YamlProblem` with a file line on bad input.

    Front matter in the plain shape most records take is read by :mod:`yamlplain`, which gives
    the same answer faster; PyYAML reads everything else, and says what is wrong. ``where`` names
    the kind of file in the message refusing anchors and aliases ("records", "site_config files")."""
    found = yamlplain.read(text, line_offset)
    return found if found is not None else parse_with_pyyaml(text, line_offset=line_offset, where=where)


def parse_with_pyyaml(text: str, *, line_offset: int = 0, where: str = "records") -> tuple[Any, LineMap]:
    """:func:`parse` by PyYAML's C parser, for any YAML but anchors and aliases."""
    lines = LineMap(base=line_offset)
    try:
        if yamlguard.suspicious(text):
            yamlguard.refuse_anchors_and_depth(text, line_offset, where)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            value = _construct(loader, node, (), lines, line_offset) if node is not None else None
            lines.root = value
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_offset + (mark.line + 1 if mark else 1)
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        hint = yamlhints.hint_for(exc, text, line_offset)  # what to do: "use spaces, not a tab, to indent"
        if hint is not None and hint.row is not None:
            line = line_offset + hint.row + 1
        advice = f"; {hint.advice}" if hint is not None else ""
        raise YamlProblem(line, f"invalid YAML: {problem}{context}{advice}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(line_offset + 1, f"invalid YAML: {exc}") from None
    except RecursionError:  # only when called from very deep: yamlguard refuses deep nesting
        raise YamlProblem(line_offset + 1, yamlguard.TOO_DEEP) from None
    return value, lines


def _construct(loader: Any, node: yaml.Node, path: PathKey, lines: LineMap, offset: int) -> Any:
    # Text values (nearly every value of a record) are taken in the loops, without a call each:
    # 500,000 nodes at 10,000 actions. A node's tag is resolved once, and left on the node.
    at, values = lines.lines, lines.values
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not _ScalarNode:
                raise YamlProblem(offset + key_node.start_mark.line + 1, "a key must be a plain word")
            key = str(key_node.value)
            if key in result:
                raise YamlProblem(
                    offset + key_node.start_mark.line + 1,
                    f"'{key}' is given twice in the same mapping",
                    field_name=field_label((*path, key)),
                )
            child = (*path, key)
            at[child] = offset + key_node.start_mark.line + 1
            if type(value_node) is _ScalarNode:
                if value_node.tag == _IMPLICIT:
                    value_node.tag = plain_tag(value_node.value) if not value_node.style else STR_TAG
                if value_node.tag == STR_TAG:
                    result[key] = values[child] = value_node.value
                    continue
            result[key] = values[child] = _construct(loader, value_node, child, lines, offset)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = (*path, index)
            at[child] = offset + item.start_mark.line + 1
            if type(item) is _ScalarNode:
                if item.tag == _IMPLICIT:
                    item.tag = plain_tag(item.value) if not item.style else STR_TAG
                if item.tag == STR_TAG:
                    items.append(value := item.value)
                    values[child] = value
                    continue
            items.append(value := _construct(loader, item, child, lines, offset))
            values[child] = value
        return items
    if node.tag == _IMPLICIT and isinstance(node, yaml.ScalarNode):  # (only scalars are left here)
        # Plain (unquoted) scalars are typed as PyYAML would; quoted ones are text. The C parser
        # gives a plain scalar the style '' and the Python one None.
        node.tag = plain_tag(node.value) if not node.style else STR_TAG
    if node.tag == STR_TAG and isinstance(node, yaml.ScalarNode):
        return node.value  # what PyYAML's str constructor returns, without its bookkeeping
    lines.raw[path] = node.value  # a number, true/false or null, as written
    try:
        return loader.construct_object(node, deep=True)
    except yaml.MarkedYAMLError as exc:
        raise YamlProblem(offset + node.start_mark.line + 1, f"invalid value: {exc.problem or exc.context}", field_name=field_label(path)) from None
    except (yaml.YAMLError, ValueError, TypeError) as exc:  # e.g. an unparseable binary or number
        first = str(exc).strip().split("\n")[0]
        raise YamlProblem(offset + node.start_mark.line + 1, f"invalid value: {first}", field_name=field_label(path)) from None
