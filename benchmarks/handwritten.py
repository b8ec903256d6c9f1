"""Baseline A's pages: what a quality lead would write by hand, one page for each page we build.

The user's alternative to the generator is a folder of Markdown pages written by hand and built
by plain MkDocs + Material. Each page here is written the way a person keeps a record page: a
heading, a short summary table, a few paragraphs, a bullet list of links to the related pages,
and notes under a second heading. It takes from the generator's own page only what a person
would know about the same record (its title, which pages it links to) and its size: the page is
written until its article is about as many bytes of HTML as ours. Every choice is drawn from a
random generator seeded by the page's path, so the same site always gets the same pages.
"""

from __future__ import annotations

import random
import re

from markdown.extensions.toc import slugify

STATUSES = ["Open", "In progress", "Completed", "Closed", "Cancelled", "Under review"]
PEOPLE = ["Grace Whitfield", "Imran Qureshi", "Nadia Kowalski", "Martin Cole", "Ruth Adeyemi", "Sarah Lund",
          "Priya Patel", "Ben Carter", "Tara Evans", "Femi Mensah"]
SERVICES = ["Oakwood House", "Meadowbank Homecare", "Linden Court Supported Living"]
WORDS = ("care staff team record audit shift night handover medicines plan review family manager "
         "training supervision falls risk checks agreed meeting governance person resident visit").split()
SENTENCES = [
    "We looked at this again at the {month} governance meeting and agreed what happens next.",
    "The team leader checked a sample of {k} records and found {m} that needed more detail.",
    "Staff on nights said the new form takes less time, and the deputy manager has seen it used.",
    "Relatives told us they now hear about changes sooner, which was the point of this work.",
    "The registered manager will look at this again in {month} and report to the board.",
    "This is linked to the other pages below, which say where the concern first came from.",
    "Agency staff are shown the process at induction, and the checklist now includes it.",
    "A re-audit of {k} records is planned, with at least {m} of them expected to meet the standard.",
]
MONTHS = ["January", "March", "May", "June", "September", "October", "November"]

# The HTML that each piece of Markdown becomes (Python-Markdown's output for these shapes), so a
# page is written to a size without converting it here.
PARAGRAPH_HTML = len("<p></p>\n")
ROW_HTML = len("<tr>\n<td></td>\n<td></td>\n</tr>\n")
TABLE_HTML = len("<table>\n<thead>\n<tr>\n<th></th>\n<th></th>\n</tr>\n</thead>\n<tbody>\n</tbody>\n</table>\n")
LIST_HTML = len("<ul>\n</ul>\n")
ITEM_HTML = len('<li><a href=""></a></li>\n')
HEADING_HTML = len('<h2 id=""></h2>\n')


def _paragraph(rng: random.Random) -> str:
    return " ".join(s.format(month=rng.choice(MONTHS), k=rng.randint(10, 30), m=rng.randint(2, 9))
                    for s in rng.sample(SENTENCES, rng.randint(2, 4)))


def _heading(level: int, text: str) -> tuple[str, int]:
    return f"{'#' * level} {text}", HEADING_HTML + len(text) + len(slugify(text, "-"))


def _html_href(href: str) -> str:
    path, hash_, anchor = href.partition("#")
    return (path[:-3] + ".html" if path.endswith(".md") else path) + hash_ + anchor


def write_page(uri: str, title: str, links: list[tuple[str, str]], target_bytes: int, seed: int) -> str:
    """One hand-written page of about ``target_bytes`` of article HTML.

    ``links`` are the (text, href) of the pages ours links to, hrefs as in Markdown (``x.md``).
    """
    rng = random.Random(f"{seed}:{uri}")
    blocks: list[str] = []
    size = 0

    def add(markdown: str, html_bytes: int) -> None:
        nonlocal size
        blocks.append(markdown)
        size += html_bytes

    add(*_heading(1, title))
    rows = [
        ("Status", rng.choice(STATUSES)),
        ("Lead", f"{rng.choice(PEOPLE)}"),
        ("Service", rng.choice(SERVICES)),
        ("Last reviewed", f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"),
    ][: rng.randint(3, 4)]
    table = ["| Item | Detail |", "|---|---|", *(f"| {name} | {value} |" for name, value in rows)]
    add("\n".join(table), TABLE_HTML + len("ItemDetail") + sum(ROW_HTML + len(n) + len(v) for n, v in rows))
    for _ in range(rng.randint(2, 3)):
        if size >= target_bytes:
            break
        text = _paragraph(rng)
        add(text, PARAGRAPH_HTML + len(text))
    if links and size < target_bytes:
        add(*_heading(2, "Related pages"))
        items, item_bytes = [], LIST_HTML
        for text, href in links:
            line_bytes = ITEM_HTML + len(text) + len(_html_href(href))
            if size + item_bytes + line_bytes > target_bytes and items:
                break
            items.append(f"- [{text}]({href})")
            item_bytes += line_bytes
        add("\n".join(items), item_bytes)
    if size < target_bytes:
        add(*_heading(2, "Notes"))
    while size < target_bytes:
        text = _paragraph(rng)
        if rng.random() < 0.15:
            text = f"**{rng.choice(WORDS).capitalize()}.** " + text
        add(text, PARAGRAPH_HTML + len(text))
    return "\n\n".join(blocks) + "\n"


LINK = re.compile(r'<a href="([^"#:]*\.html(?:#[^"]*)?)"[^>]*>(.*?)</a>', re.S)
TAG = re.compile(r"<[^>]+>")


def page_facts(article: str) -> tuple[str, list[tuple[str, str]]]:
    """The title of one of our built articles and the pages it links to, each once, in order."""
    found = re.search(r"<h1[^>]*>(.*?)</h1>", article, re.S)
    title = TAG.sub("", found.group(1)).strip() if found else "Untitled"
    links: dict[str, str] = {}
    for href, text in LINK.findall(article):
        path, _, anchor = href.partition("#")
        target = path[: -len(".html")] + ".md" + (f"#{anchor}" if anchor else "")
        links.setdefault(target, TAG.sub("", text).strip() or target)
    return title, [(text.replace("[", "(").replace("]", ")"), href) for href, text in links.items()]
