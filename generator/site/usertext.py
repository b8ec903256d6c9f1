"""What users wrote in Markdown (narratives, minutes, notes, providers' accounts), as HTML.

Only these pieces of a page go through Python-Markdown now; the rest is our templates' HTML.
Each distinct text is converted once per build, with the site's own ``markdown_extensions`` and
their options from ``mkdocs.yml`` (admonitions and the like work as the user set them up), and
the result is kept by its text. What depends on the page it lands on is left as slots, filled per
page in a fraction of the conversion's cost:

- a heading's id: unique on the page, so a body's "Actions" heading beside our own becomes
  ``actions_1``, as Python-Markdown made it when the body was part of the page's Markdown (links
  in the body to its own headings follow the rename);
- a relative link to another file of the site: resolved against the page's uri and written as
  the target's url relative to the page, as MkDocs' ``_RelativePathTreeprocessor`` did.
"""

from __future__ import annotations

import logging
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup
from mkdocs.utils import get_relative_url

from .headings import PageOutline, attribute

log = logging.getLogger("mkdocs.structure.pages")

_HEADING = re.compile(r"^(#{1,6})(\s)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING_TAG = re.compile(r"[Hh][1-6]")


def shift_headings(text: str, shift: int = 1) -> str:
    """A record's own Markdown, with headings moved down so the page keeps one title."""
    out, fenced = [], False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced:
            match = _HEADING.match(line)
            if match:
                level = min(6, len(match.group(1)) + shift)
                line = "#" * level + line[len(match.group(1)):]
        out.append(line)
    return "\n".join(out).strip()


@dataclass(frozen=True)
class Converted:
    """A text converted once: literal HTML between slots, the headings, the links to resolve."""

    parts: tuple[str | tuple[str, int], ...]  # HTML, or ("h", n) a heading id, or ("l", n) a link
    headings: tuple[tuple[str, dict[str, Any] | None], ...]  # (its own id, its toc token or None)
    links: tuple[str, ...]  # each relative link as written (after Markdown's unescaping)


class _Slots(Treeprocessor):
    """After ``toc`` has named the headings: puts a marker where a page-dependent value goes."""

    def __init__(self, md: markdown.Markdown, mark: str) -> None:
        super().__init__(md)
        self.mark = mark
        self.headings: list[str] = []
        self.links: list[str] = []

    def run(self, root: etree.Element) -> None:
        self.headings, self.links = [], []
        slot_of: dict[str, int] = {}
        for element in root.iter():
            if isinstance(element.tag, str) and _HEADING_TAG.fullmatch(element.tag) and element.get("id"):
                own = element.attrib["id"]
                slot_of.setdefault(own, len(self.headings))
                if slot_of[own] == len(self.headings):
                    self.headings.append(own)
                element.set("id", f"{self.mark}h{slot_of[own]}{self.mark}")
        for element in root.iter():
            key = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            url = element.get(key) if key else None
            if not url or key is None:
                continue
            if url.startswith("#") and url[1:] in slot_of:
                element.set(key, f"#{self.mark}h{slot_of[url[1:]]}{self.mark}")
            elif _needs_page(url):
                element.set(key, f"{self.mark}l{len(self.links)}{self.mark}")
                self.links.append(url)


def _needs_page(url: str) -> bool:
    """Whether MkDocs would resolve ``url`` against the page (a relative link with a path)."""
    scheme, netloc, path, _, _ = urlsplit(url)
    return not (scheme or netloc or url.startswith(("/", "\\")) or AMP_SUBSTITUTE in url or not path)


class UserText:
    """Converts users' Markdown for one build; ``urls`` maps every published file's uri to its url."""

    def __init__(
        self, extensions: list[Any] | None = None, configs: dict[str, Any] | None = None,
        not_found: int = logging.WARNING, unrecognized: int = logging.INFO,
    ) -> None:
        # Without a site's list: MkDocs' own (toc, tables, fenced_code) and the plugin's attr_list.
        self.extensions = list(extensions) if extensions is not None else ["toc", "tables", "fenced_code", "attr_list"]
        self.configs = dict(configs or {})
        self.not_found = not_found
        self.unrecognized = unrecognized
        self.cache: dict[tuple[str, int], Converted] = {}
        self._md: markdown.Markdown | None = None
        self._slots: _Slots | None = None
        self.conversions = 0  # for tests: each distinct text is converted once

    def convert(self, text: str, shift: int) -> Converted:
        key = (text, shift)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._convert(shift_headings(text, shift))
        return found

    def _convert(self, source: str) -> Converted:
        if self._md is None:  # one parser for the build, made when a page first needs it
            self._md = markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)
            self._slots = _Slots(self._md, "")
            self._md.treeprocessors.register(self._slots, "portfolio_slots", 0)  # after toc and unescape
        assert self._slots is not None
        self._md.reset()
        # A marker the text cannot hold, so a slot is never confused with what the user wrote.
        mark = next(chr(c) for c in range(0xE000, 0xF8FF) if chr(c) not in source)
        self._slots.mark = mark
        self.conversions += 1
        output = self._md.convert(source)
        tokens = {token["id"]: token for token in _flat(getattr(self._md, "toc_tokens", []))}
        pieces = re.split(f"{mark}([hl])([0-9]+){mark}", output)
        parts: list[str | tuple[str, int]] = []
        for index in range(0, len(pieces), 3):
            if pieces[index]:
                parts.append(pieces[index])
            if index + 2 < len(pieces):
                parts.append((pieces[index + 1], int(pieces[index + 2])))
        return Converted(
            tuple(parts), tuple((own, tokens.get(own)) for own in self._slots.headings), tuple(self._slots.links),
        )

    def place(self, converted: Converted, outline: PageOutline, page_uri: str, page_url: str, urls: dict[str, str]) -> Markup:
        """The text's HTML on one page: its headings given ids unique there, its links resolved."""
        ids = []
        for own, token in converted.headings:
            id = outline.unique(own)
            ids.append(attribute(id))
            if token is not None:
                outline.add_token({**token, "id": id, "children": []})
        out = []
        for part in converted.parts:
            if isinstance(part, str):
                out.append(part)
            elif part[0] == "h":
                out.append(ids[part[1]])
            else:
                out.append(attribute(self.resolve(converted.links[part[1]], page_uri, page_url, urls)))
        return Markup("".join(out))

    def resolve(self, url: str, page_uri: str, page_url: str, urls: dict[str, str]) -> str:
        """MkDocs' ``_RelativePathTreeprocessor.path_to_url`` for a page we write ourselves."""
        _, _, path, query, anchor = urlsplit(url)
        path = unquote(path)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path).lstrip("/"))
        found = urls.get(target)
        if found is None:
            if not posixpath.splitext(path)[-1]:
                log.log(self.unrecognized, f"Doc file '{page_uri}' contains an unrecognized relative link '{url}', it was left as is.")
            else:
                shown = f" '{target}'" if target != url.lstrip("/") else ""
                log.log(self.not_found, f"Doc file '{page_uri}' contains a link '{url}', but the target{shown} is not found among documentation files.")
            return url
        return urlunsplit(("", "", get_relative_url(found, page_url), query, anchor))


def _flat(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for token in tokens:
        found.append({k: v for k, v in token.items() if k != "children"})
        found.extend(_flat(token.get("children") or []))
    return found
