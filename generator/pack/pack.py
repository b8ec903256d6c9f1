"""The inspection pack: the portfolio (or one key question) as one printable PDF.

One self-contained HTML document is rendered from the assessed portfolio with Jinja
(``theme/pack/pack.html.j2``, its own print CSS, charts as inline SVG, no script, nothing
fetched), then printed by Debian's Chromium through Playwright, with the as-of date in the header
and "Page N of M" in the footer of every page. Never a downloaded browser: without
``/usr/bin/chromium`` or the ``playwright`` package the command stops (exit 2) and says what to
install.

The contents page gives the page each section starts on. Chromium cannot lay out
``target-counter()``, so the document is printed, the page of each section is read back from
the PDF's named destinations (every contents entry links to its section, and Chromium writes a
destination for each linked anchor), and printed again with those numbers, until they agree.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import jinja2
import markdown as markdown_lib
from markupsafe import Markup

from .. import __version__, resources
from ..config.frameworks import KeyQuestion, Statement
from ..format.people import Person
from ..format.records import Action, Record
from ..format.values import CATEGORY_TITLES, EVIDENCE_CATEGORIES
from ..judge.assess import FLAG_TITLES, STATUS_TITLES, flag_reasons
from ..judge.assurance import checks_by_id, enabled_checks
from ..judge.model import Portfolio, natural_key
from ..problems import PortfolioError, Problem, nearest
from ..share.privacy import TextRules, scan_text
from ..site import plan
from ..site.charts import measure_svg
from ..site.trends_plan import GLOBALS as TREND_GLOBALS, pack_trend
from ..site.usertext import shift_headings
from ..site.sanitise import clean_html

if TYPE_CHECKING:
    from ..share.publish import PreparedShare

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = (
    "apt-get install chromium (Debian's Chromium, at /usr/bin/chromium) and "
    "pip install playwright (or pip install 'care-portfolio[pack]'); "
    "portfolio never downloads a browser, so do not run `playwright install`"
)
#: A4, as UK inspection rooms print; margins leave room for the header and footer lines.
PAPER: dict[str, Any] = {"format": "A4", "margin": {"top": "18mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}}
PLACEHOLDER_PAGE = 888  # as wide as a real page number, so the contents page lays out the same


class PackUnavailable(PortfolioError):
    """Chromium or Playwright is missing (or would not start): the command exits 2 with this."""

    def __init__(self, message: str):
        super().__init__([Problem("portfolio", 0, "", message)], usage=True)


class UnknownKeyQuestion(PortfolioError):
    """``--key-question`` names no key question of the framework (exit 2)."""

    def __init__(self, given: str, known: list[str]):
        suggestion = nearest(given, known)
        hint = f"; did you mean '{suggestion}'?" if suggestion else f"; the framework's are: {', '.join(known)}"
        super().__init__([Problem("", 0, "", f"no key question '{given}' in the framework{hint}")], option="'--key-question'")


# -- what the pack holds ---------------------------------------------------------------------


@dataclass
class StatementPart:
    statement: Statement
    anchor: str
    open_actions: list[Action]
    closed_actions: list[Action]
    sources: list[Record]
    evidence_by_category: dict[str, list[Record]]
    #: Actions whose detail is printed in this part: the first statement of the pack naming them.
    detailed: list[Action] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.open_actions or self.closed_actions or self.sources or any(self.evidence_by_category.values()))

    @property
    def evidence_count(self) -> int:
        return sum(len(items) for items in self.evidence_by_category.values())


@dataclass
class QuestionPart:
    question: KeyQuestion
    anchor: str
    statements: list[StatementPart]


@dataclass
class Pack:
    """The planned pack: its scope, sections and anchors (page numbers come from printing)."""

    portfolio: Portfolio
    key_question: KeyQuestion | None
    questions: list[QuestionPart]
    actions: list[Action]  # every action of the scope, once, in id order
    detail_anchor: dict[str, str]  # action key -> anchor of its detail
    index_anchor: str = "index-of-actions"
    assurance_anchor: str = "assurance-checks"
    trends_anchor: str = "trends"  # an extension (issue 18): the month-end trends' section
    _titles: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)
    #: Printed for a share profile (``--profile``): its name, its banner on the cover and every
    #: page, names as roles with ``owners: roles``, the attachments as the share publishes them,
    #: and the share's rules for the last look at the document before it is printed.
    profile: str | None = None
    banner: str | None = None
    owners: str = "names"
    attachments: dict[str, plan.Attachment] | None = None
    rules: TextRules | None = None

    @property
    def title(self) -> str:
        scope = f"{self.key_question.title} key question" if self.key_question else "whole portfolio"
        return f"Inspection pack: {scope}"

    @property
    def scope_slug(self) -> str:
        return self.key_question.id.lower() if self.key_question else "portfolio"

    def anchors(self) -> list[str]:
        found = [self.assurance_anchor, self.trends_anchor]
        for q in self.questions:
            found.append(q.anchor)
            found += [s.anchor for s in q.statements]
        found += list(self.detail_anchor.values())
        found.append(self.index_anchor)
        return found

    def statement_titles(self, action: Action) -> list[str]:
        """The statements of this pack that list ``action``, in the framework's order."""
        if self._titles is None:  # worked out once: the index asks for every action, on every print
            titles: dict[str, list[str]] = {}
            for q in self.questions:
                for s in q.statements:
                    for listed in dict.fromkeys(a.key for a in (*s.open_actions, *s.closed_actions)):
                        titles.setdefault(listed, []).append(s.statement.title)
            self._titles = titles
        return self._titles.get(action.key, [])


def _anchor(prefix: str, ident: str) -> str:
    """An id that is also a plain PDF destination name."""
    return prefix + "-" + re.sub(r"[^a-z0-9._-]+", "-", ident.lower())


def plan_pack(portfolio: Portfolio, key_question: str | None = None, *, share: PreparedShare | None = None) -> Pack:
    """The pack for one key question (by id, any case) or, without one, for every key question.

    With ``share`` (from :func:`generator.share.publish.prepare_share`), ``portfolio`` must be its
    filtered portfolio: the pack then holds exactly what ``portfolio share`` would publish."""
    framework = portfolio.config.framework
    questions = list(framework.key_questions)
    chosen = None
    if key_question is not None:
        by_id = {q.id.lower(): q for q in questions}
        chosen = by_id.get(key_question.strip().lower())
        if chosen is None:
            raise UnknownKeyQuestion(key_question, [q.id for q in questions])
        questions = [chosen]
    parts: list[QuestionPart] = []
    detail_anchor: dict[str, str] = {}
    for question in questions:
        statements = []
        for statement in question.statements:
            view = plan.statement_view(portfolio, statement)
            part = StatementPart(
                statement=statement, anchor=_anchor("statement", statement.id),
                open_actions=list(view["open_actions"]), closed_actions=list(view["closed_actions"]),
                sources=list(view["sources"]), evidence_by_category={c: list(view["evidence_by_category"][c]) for c in EVIDENCE_CATEGORIES},
            )
            for action in part.open_actions + part.closed_actions:
                if action.key not in detail_anchor:
                    detail_anchor[action.key] = _anchor("action", action.key)
                    part.detailed.append(action)
            part.detailed.sort(key=lambda a: natural_key(a.id))
            statements.append(part)
        parts.append(QuestionPart(question, _anchor("question", question.id), statements))
    actions = sorted((a for a in portfolio.actions if a.key in detail_anchor), key=lambda a: natural_key(a.id))
    planned = Pack(portfolio, chosen, parts, actions, detail_anchor)
    if share is not None:
        from ..share.publish import banner

        planned.profile = share.profile.name
        planned.banner = banner(share)
        planned.owners = share.profile.owners
        planned.attachments = _published_attachments(share)
        planned.rules = share.filtered.rules
    return planned


def _published_attachments(share: PreparedShare) -> dict[str, plan.Attachment]:
    """The attachments a share publishes, under the names and with the bytes it publishes them
    (a redacted copy of a text file, a file renamed when its name holds a redaction term): a
    commissioner can check a copy from the share against the pack. Left-out files are not listed."""
    found: dict[str, plan.Attachment] = {}
    records = share.portfolio.records
    for key, published in sorted(share.filtered.attachments.items()):
        record = records.get(key)
        if record is None:
            continue
        data = published.data if published.data is not None else published.source.read_bytes()
        found[key] = plan.Attachment(
            name=published.name, uri=plan.attachment_uri(record, published.name), abs_path=published.source,
            size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        )
    return found


# -- the HTML document -----------------------------------------------------------------------


def _environment(owners: str = "names") -> jinja2.Environment:
    """The pack's templates; ``owners`` is a share profile's ``owners`` (``roles``: no names)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.theme_dir() / "pack")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["iso"] = lambda value: value.isoformat() if value else ""
    env.filters["person"] = lambda value: value.display_as(owners) if isinstance(value, Person) else ""
    return env


def _narrative(text: str) -> Markup:
    """A record's own Markdown as HTML, headings moved below the pack's (h4 and down)."""
    if not text.strip():
        return Markup("")
    # Raw HTML in a narrative is printed as text: a stray tag could close the pack's own
    # elements, or repeat an id the contents page reads its page numbers from. What Markdown
    # itself makes is cleaned as a site's pages are: no javascript: link, no image from elsewhere.
    converter = markdown_lib.Markdown(extensions=["tables", "admonition"])
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return Markup(clean_html(converter.convert(shift_headings(text, shift=3))))


def pack_html(pack: Pack, pages: dict[str, int] | None = None) -> str:
    """The self-contained HTML document; ``pages`` maps anchors to printed page numbers."""
    portfolio = pack.portfolio
    framework = portfolio.config.framework
    numbers = pages or {}

    def page_of(anchor: str) -> int:
        return numbers.get(anchor, PLACEHOLDER_PAGE)

    def state(action: Action) -> Any:
        return portfolio.state(action)

    def reasons(action: Action) -> dict[str, str]:
        return flag_reasons(action, state(action), portfolio.as_of, portfolio.config.thresholds)

    def chart(measure: Any) -> Markup:
        return Markup(measure_svg(measure, portfolio.as_of))  # escapes its own text

    def records(ids: Any) -> list[Record]:
        found = [portfolio.get(i) for i in ids]
        return [r for r in found if r is not None]

    statuses: dict[str, int] = {name: 0 for name in STATUS_TITLES}
    flagged: dict[str, int] = {name: 0 for name in FLAG_TITLES}
    for action in pack.actions:
        s = state(action)
        statuses[s.status] += 1
        for flag in s.flags:
            flagged[flag] += 1
    assurance_checks = enabled_checks(portfolio.config.checks_off)
    checked: dict[str, int] = {c.id: 0 for c in assurance_checks}
    for action in pack.actions:
        for found in {c.check for c in portfolio.checks(action)}:
            checked[found] = checked.get(found, 0) + 1
    template = _environment(pack.owners).get_template("pack.html.j2")
    attachments = pack.attachments if pack.attachments is not None else plan.attachments_of(portfolio)
    return template.render(
        pack=pack, portfolio=portfolio, framework=framework, as_of=portfolio.as_of, provider=portfolio.config.provider,
        version=__version__, page_of=page_of, state=state, reasons=reasons, chart=chart, records=records,
        narrative=_narrative, attachments=attachments, statuses=statuses, flagged=flagged,
        assurance_checks=assurance_checks, checked=checked, CHECKS=checks_by_id(),
        STATUS_TITLES=STATUS_TITLES, FLAG_TITLES=FLAG_TITLES, CATEGORY_TITLES=CATEGORY_TITLES,
        trend=pack_trend(portfolio, pack.key_question), **TREND_GLOBALS,
    )


def header_footer(pack: Pack) -> tuple[str, str]:
    """Chromium's header and footer templates: the as-of date on every page, and "Page N of M"."""
    from html import escape

    provider = escape(pack.portfolio.config.provider)
    as_of = pack.portfolio.as_of.isoformat()
    style = "font-family: sans-serif; font-size: 8pt; color: #222; width: 100%; margin: 0 14mm; display: flex; justify-content: space-between;"
    header = f'<div style="{style}"><span>{escape(pack.title)}; {provider}</span><span>As of {as_of}</span></div>'
    if pack.banner:  # a share's pack says on every page whom it is for, as the share's pages do
        block = "font-family: sans-serif; font-size: 8pt; color: #222; width: 100%; margin: 0 14mm;"
        header = (f'<div style="{block}"><div style="font-size: 7pt; margin-bottom: 1mm;">{escape(pack.banner)}</div>'
                  f'<div style="display: flex; justify-content: space-between;"><span>{escape(pack.title)}; {provider}</span>'
                  f'<span>As of {as_of}</span></div></div>')
    footer = (f'<div style="{style}"><span>As of {as_of}; made by portfolio {escape(__version__)}</span>'
              '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>')
    return header, footer


# -- printing ----------------------------------------------------------------------------------


_OBJECT = re.compile(rb"(?m)^(\d+) 0 obj\s*(.*?)\s*endobj", re.S)
_REF = re.compile(rb"(\d+) 0 R")


def destination_pages(pdf: bytes) -> dict[str, int]:
    """Named destination -> page number (from 1), read from a PDF as Chromium (Skia) writes it:
    a catalog with ``/Dests`` (a dictionary of name -> ``[page 0 R /XYZ ...]``) and a page tree
    of ``/Kids`` arrays, in plain (not compressed) objects."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}
    catalog = next((body for body in objects.values() if re.search(rb"/Type\s*/Catalog\b", body)), None)
    if catalog is None:
        raise ValueError("no catalog in the PDF")
    pages_ref = re.search(rb"/Pages\s+(\d+) 0 R", catalog)
    if pages_ref is None:
        raise ValueError("no page tree in the PDF")

    order: list[int] = []

    def walk(number: int) -> None:
        node = objects.get(number, b"")
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", node)
        if re.search(rb"/Type\s*/Pages\b", node) and kids:
            for ref in _REF.finditer(kids.group(1)):
                walk(int(ref.group(1)))
        else:
            order.append(number)

    walk(int(pages_ref.group(1)))
    page_number = {obj: i + 1 for i, obj in enumerate(order)}
    dests_ref = re.search(rb"/Dests\s+(\d+) 0 R", catalog)
    if dests_ref is None:
        inline = re.search(rb"/Dests\s*<<(.*?)>>", catalog, re.S)
        dests = inline.group(1) if inline else b""
    else:
        dests = objects.get(int(dests_ref.group(1)), b"")
    found: dict[str, int] = {}
    for name, ref in re.findall(rb"/([^\s/\[\]<>()]+)\s*\[\s*(\d+) 0 R", dests):
        text = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name).decode("utf-8", "replace")
        if int(ref) in page_number:
            found[text] = page_number[int(ref)]
    return found


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def check_browser(chromium: Path | None = None) -> None:
    """Raise PackUnavailable, saying what to install, unless Chromium and Playwright are there."""
    chromium = CHROMIUM if chromium is None else chromium
    if not chromium.exists():
        raise PackUnavailable(f"portfolio pack prints with Chromium, and {chromium} is missing: {INSTALL_HINT}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise PackUnavailable(f"portfolio pack drives Chromium through the Python playwright package, which cannot be imported ({exc}): {INSTALL_HINT}") from None


class _Printer:
    """One headless Chromium page, scripts off, every request refused: the document is whole."""

    def __init__(self, chromium: Path):
        check_browser(chromium)
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        self._error = PlaywrightError
        self._pw = sync_playwright().start()
        args = ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")  # Chromium will not start as root with its sandbox
        try:
            self._browser = self._pw.chromium.launch(executable_path=str(chromium), args=args, headless=True)
        except PlaywrightError as exc:
            self._pw.stop()
            raise PackUnavailable(f"Chromium at {chromium} would not start ({_first_line(exc)}): {INSTALL_HINT}") from None
        try:
            context = self._browser.new_context(java_script_enabled=False)
            self.page = context.new_page()
            self.page.route("**/*", lambda route: route.abort())
        except PlaywrightError as exc:
            self.close()
            raise PackUnavailable(f"Chromium at {chromium} would not open a page ({_first_line(exc)})") from None

    def pdf(self, html: str, header: str, footer: str) -> bytes:
        try:
            self.page.set_content(html, wait_until="load")
            return self.page.pdf(
                display_header_footer=True, header_template=header, footer_template=footer,
                print_background=True, prefer_css_page_size=False, outline=True, tagged=True, **PAPER,
            )
        except self._error as exc:
            raise PackUnavailable(f"Chromium could not print the pack ({_first_line(exc)})") from None

    def close(self) -> None:
        try:
            self._browser.close()
        finally:
            self._pw.stop()


def _first_line(exc: Exception) -> str:
    """What Playwright says went wrong, in one line (its messages run to a call log)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def print_pack(pack: Pack, chromium: Path | None = None) -> bytes:
    """The PDF, printed until the contents page's numbers are the pages the sections are on."""
    header, footer = header_footer(pack)
    printer = _Printer(CHROMIUM if chromium is None else chromium)
    try:
        pages: dict[str, int] = {}
        for _ in range(4):
            pdf = printer.pdf(pack_html(pack, pages), header, footer)
            try:
                found = destination_pages(pdf)
            except ValueError as exc:  # a PDF laid out in a way this reader does not follow
                raise PackUnavailable(f"the printed pack could not be read back for its page numbers ({exc})") from None
            missing = [a for a in pack.anchors() if a not in found]
            if missing:
                raise PackUnavailable(f"the printed pack has no page for {', '.join(missing[:5])}")
            found = {a: found[a] for a in pack.anchors()}
            if found == pages:
                return pdf
            pages = found
        return pdf
    finally:
        printer.close()


def default_name(pack: Pack) -> str:
    profile = f"{pack.profile}-" if pack.profile else ""
    return f"inspection-pack-{profile}{pack.scope_slug}-{pack.portfolio.as_of.isoformat()}.pdf"


def leaks(pack: Pack, shown: str) -> list[Problem]:
    """A share's last look, at the pack printed for it: anything in the document, its header or
    footer that the share's rules say must not be published (a redaction term, a withheld
    record's id or title, a staff name with ``owners: roles``). Records are rewritten before the
    pack is made, so a hit comes from the framework, the provider's name or the generator's own
    words. Empty for a pack without a profile. (Requests to other hosts do not matter here: the
    pack is printed with every request refused, and a PDF loads nothing.)"""
    if pack.rules is None or not pack.rules.active:
        return []
    header, footer = header_footer(pack)
    found = scan_text("\n".join((pack_html(pack), header, footer)), pack.rules, shown)
    return [
        Problem(shown, 1, "pack", f"{what} '{' '.join(text.split())}' would be printed in this pack; "
                "change the setting it comes from, or choose a more specific redaction term")
        for _line, what, text in found if what != "a request to another host"
    ]


def iter_statements(pack: Pack) -> Iterator[StatementPart]:
    for question in pack.questions:
        yield from question.statements
