"""``portfolio share PROFILE``: a read-only portfolio for one audience, with nothing sensitive in it.

1. read and validate the portfolio and the profile (a broken profile is exit 2);
2. filter (:mod:`generator.share.filter`): only what the profile may publish, rewritten;
3. the personal-data guard: NHS numbers, email addresses, phone numbers and dates of birth in
   what would be published (record strings, front matter keys and ids, attachments and their
   file names, the profile's title, the provider's name; as written and as a reader sees them)
   stop the share (exit 1) unless the profile allows that exact text;
4. model, assess, plan, render and build into a temporary folder inside ``share/``, with
   Material's ``offline`` plugin so the share (search included) works from the file system;
5. read every byte of the built share for anything that must not be there (a redaction term,
   a withheld record, a staff name with ``owners: roles``, personal data the profile does not
   allow, a request to another host), as written and normalised (:mod:`generator.share.normalise`);
6. write ``PROFILE.zip`` (sorted entries, the as-of date as every timestamp, fixed permissions),
   then swap ``share/PROFILE/`` and ``share/PROFILE.zip`` in. A share that fails at any step
   leaves the previous one exactly as it was.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Callable

from .. import resources
from ..config.profiles import Profile, profile_names, read_profile
from ..format.records import Service
from ..judge.model import Portfolio, build_portfolio, in_portfolio
from ..mkdocs.offline import SHIM_URI
from ..mkdocs.staging import staging_folder
from ..pipeline import Checked, check
from ..problems import PortfolioError, Problem, Problems
from ..read.reader import label
from ..site.plan import SiteOptions
from ..zips import write_folder_zip
from .filter import Filtered, filter_for_share, line_of
from .lastlook import Origin, explain, record_origins, site_findings
from .normalise import normalise_for_guard
from .offsite import KINDS
from .personal import PERSONAL_KINDS, Allowed, personal_data_seen
from .privacy import Leak, scan_output, shown

SHARE_DIR = "share"
SHIM = resources.iframe_worker_shim()
ROBOTS_TXT = b"User-agent: *\nDisallow: /\n"
CONFIG_PATH = "site_config/portfolio.yml"


@dataclass(frozen=True)
class Hit:
    """Personal data the guard found in what a share would publish."""

    path: str
    line: int
    field: str
    kind: str
    text: str
    offset: int = 0  # where in the field's text, to list hits in reading order
    seen: str = ""  # the text as the guard read it, where a disguise made it differ


@dataclass
class PreparedShare:
    """Everything checked and filtered; nothing written yet."""

    project_dir: Path
    profile: Profile
    as_of: date
    filtered: Filtered
    portfolio: Portfolio
    warnings: list[Problem]

    @property
    def withheld_count(self) -> int:
        return sum(1 for key in self.filtered.withheld if in_portfolio(self.filtered.original[key], self.as_of))


# -- the personal-data guard -----------------------------------------------------------------------

def personal_data_hits(filtered: Filtered, as_of: date | None = None) -> list[Hit]:
    """Personal data in what ``filtered`` publishes (on ``as_of``, or at any date), less the allowed text.

    Every string a record publishes (front matter values and keys, ids included, and the body),
    each published attachment's file name and text, the provider's name: as written and as a
    reader sees it (``943&nbsp;476&nbsp;5919``, ``943**4765919**``: see :mod:`generator.share.normalise`).
    """
    allowed = Allowed(filtered.profile.allow)
    hits: set[Hit] = set()

    def look(path: str, text: str, where: str, line: Callable[[int], int]) -> None:
        for finding in personal_data_seen(text):
            if finding.text not in allowed:
                hits.add(Hit(path, line(finding.start), where, finding.kind, _one_line(finding.text), finding.start, _seen(finding.text)))

    for key, record in filtered.validated.records.items():
        if as_of is not None and not in_portfolio(record, as_of):
            continue
        original = filtered.original[key]
        for path, text in filtered.published_strings(record):
            where = "body" if path == ("body",) else label(path)
            look(original.path, text, where, partial(line_of, original, path, text))
    for key, attachment in filtered.attachments.items():
        if as_of is not None and not in_portfolio(filtered.validated.records[key], as_of):
            continue
        record = filtered.original[key]
        named = {h.text for h in hits if h.path == record.path and h.field == "file"}
        for finding in personal_data_seen(attachment.name):
            if finding.text not in allowed and _one_line(finding.text) not in named:
                hits.add(Hit(record.path, line_of(record, ("file",), "", 0), "file", finding.kind, _one_line(finding.text), finding.start, _seen(finding.text)))
        if attachment.text is not None:
            look(attachment.rel, attachment.text, "attachment", partial(_line_in, attachment.text))
    look(CONFIG_PATH, filtered.config.provider, "provider", lambda start: 1)
    return sorted(hits, key=lambda h: (h.path, h.line, h.field, h.offset, h.text))


def _line_in(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _seen(text: str) -> str:
    """How the guard read a disguised hit (empty when it reads as written)."""
    read = _one_line(normalise_for_guard(text))
    return "" if read == _one_line(text) else read


_NOT_NAMES = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


def name_part_hits(filtered: Filtered, as_of: date | None = None) -> list[Problem]:
    """Warnings (``owners: roles``): a staff member's first name or surname alone left in the text.

    Whole names are replaced by the role; a part of a name alone ("owned by Tom") cannot be told
    from an ordinary word in general, so it is pointed out, not changed.
    """
    if filtered.profile.owners != "roles":
        return []
    parts: dict[str, str] = {}
    for name in filtered.rules.names:
        words = name.split()
        if len(words) > 1:
            for word in words:
                if len(word) >= 3 and word[0].isupper() and word.lower() not in _NOT_NAMES:
                    parts.setdefault(word, name)
    if not parts:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True)) + r")(?!\w)")
    found: dict[tuple[str, str], Problem] = {}
    for key, record in filtered.validated.records.items():
        if as_of is not None and not in_portfolio(record, as_of):
            continue
        original = filtered.original[key]
        for path, text in filtered.published_strings(record):
            for match in pattern.finditer(text):
                word = match.group(0)
                if (original.path, word) in found:
                    continue
                where = "body" if path == ("body",) else label(path)
                found[(original.path, word)] = Problem(
                    original.path, line_of(original, path, text, match.start()), where,
                    f"'{word}' may name {parts[word]}: owners: roles replaces whole names only; write the role here instead",
                    severity="warning",
                )
    return sorted(found.values())


def _one_line(text: str) -> str:
    """Text as one line (a problem is one line); runs of white space count as one space."""
    return " ".join(text.split())


def _guard_message(hit: Hit, profile: Profile) -> str:
    return (
        f"{hit.kind} {_quoted(hit)} would be published in this share; remove it, or, if it may be shared, "
        f"add the exact text to 'allow' in {profile.path}"
    )


def _quoted(hit: Hit) -> str:
    """The hit as written (invisible characters as escapes), and as read where a disguise made that differ."""
    return f"'{shown(hit.text)}'" + (f" (read as '{shown(hit.seen)}')" if hit.seen else "")


# -- share PROFILE -------------------------------------------------------------------------------------

def service_ids(checked: Checked) -> list[str]:
    return sorted(r.id for r in checked.validation.records.values() if r.kind == "service")


def prepare_share(project_dir: Path, name: str, as_of: date) -> PreparedShare:
    """Check, filter and guard; raise PortfolioError (usage for the profile, else content) if it cannot be shared."""
    checked = check(project_dir, as_of=as_of)
    profile_problems = Problems()
    profile = read_profile(project_dir, name, service_ids(checked), profile_problems)
    if profile is None:
        raise PortfolioError(profile_problems.sorted(), usage=True)
    everything = Problems(checked.problems.items + profile_problems.items)
    if everything.errors:
        raise PortfolioError(everything.sorted())

    filtered = filter_for_share(checked.validation, checked.config, profile)
    everything.extend(filtered.problems.items)
    for hit in personal_data_hits(filtered, as_of) + _title_hits(project_dir, profile):
        everything.add(hit.path, hit.line, hit.field, _guard_message(hit, profile))
    everything.extend(name_part_hits(filtered, as_of))
    for key, why in sorted(filtered.attachments_left_out.items()):
        record = filtered.original[key]
        if in_portfolio(record, as_of):
            everything.warn(record.path, line_of(record, ("file",), "", 0), "file", f"the attachment is left out of this share: {why}")
    for key, attachment in sorted(filtered.attachments.items()):
        if attachment.text is None and in_portfolio(filtered.original[key], as_of):
            everything.warn(
                attachment.rel, 1, "attachment",
                "published as it is (attachments: all): it is not plain text, so neither redaction nor the personal-data guard can read it; check it yourself",
            )
    if everything.errors:
        raise PortfolioError(everything.sorted())

    portfolio = build_portfolio(filtered.validated, filtered.config, as_of, withheld=filtered.withheld_counts(as_of))
    return PreparedShare(project_dir, profile, as_of, filtered, portfolio, everything.sorted())


def _title_hits(project_dir: Path, profile: Profile) -> list[Hit]:
    """Personal data in the profile's title: the banner of every page of the share shows it."""
    allowed = Allowed(profile.allow)
    found = [f for f in personal_data_seen(profile.title) if f.text not in allowed]
    if not found:
        return []
    try:
        lines = (project_dir / profile.path).read_text(encoding="utf-8-sig").splitlines()
        line = next((i for i, text in enumerate(lines, 1) if re.match(r"title\s*:", text)), 1)
    except (OSError, UnicodeDecodeError):
        line = 1
    return [Hit(profile.path, line, "title", f.kind, _one_line(f.text), f.start, _seen(f.text)) for f in found]


def banner(prepared: PreparedShare) -> str:
    """Who the share is for, whose it is, its date, and what it covers."""
    profile, portfolio = prepared.profile, prepared.portfolio
    rules = prepared.filtered.rules
    services = [r for r in portfolio.by_kind["service"] if isinstance(r, Service)]
    if profile.services is None:
        covers = "every service"
    else:
        covers = ", ".join(s.name for s in services) or ", ".join(profile.services)
    since = f" from {profile.since.isoformat()}" if profile.since else ""
    text = (
        f"{profile.title}, shared by {portfolio.config.provider} as of {portfolio.as_of.isoformat()}. "
        f"Covers {covers}{since}; sensitive records are withheld."
    )
    return rules.text(text)


def publish_share(prepared: PreparedShare) -> tuple[Path, Path]:
    """Build, check every byte, zip, then swap in ``share/PROFILE/`` and ``share/PROFILE.zip``."""
    from ..mkdocs.engine import build_site, swap_in
    from ..mkdocs.offline import for_file_system

    project_dir, name = prepared.project_dir, prepared.profile.name
    share_root = project_dir / SHARE_DIR
    target, zip_target = share_root / name, share_root / f"{name}.zip"
    for existing, folder in ((share_root, True), (target, True), (zip_target, False)):
        if existing.exists() and existing.is_dir() != folder:
            where = existing.relative_to(project_dir).as_posix()
            raise PortfolioError.single(where, 1, "share", f"is in the way: it should be a {'folder' if folder else 'file'}; move it and share again", usage=True)
    try:
        work = staging_folder(share_root, name, "sharing")
    except OSError as exc:
        raise PortfolioError.single(SHARE_DIR, 1, "share", f"cannot be written: {exc.strerror or exc}") from None
    try:
        _stage_attachments(prepared, work / "attachments")
        options = SiteOptions(
            banner=banner(prepared),
            owners=prepared.profile.owners,
            noindex=True,
            clean_html=True,  # a share never keeps raw HTML, whatever portfolio.yml says
            search="material",  # opened from disk: Material's offline search, never Pagefind
            extra_files={SHIM_URI: SHIM.read_bytes(), "robots.txt": ROBOTS_TXT},
        )
        site = work / "site"
        build_site(project_dir, site, prepared.portfolio, options, configure=for_file_system, use_directory_urls=False)
        leaks = scan_output(site, prepared.filtered.rules, prepared.profile.allow)
        leaks += [Leak(*found) for found in site_findings(site, {SHIM_URI: SHIM}, theme_only=True)]
        if leaks:
            origins = _origins(prepared, site)
            raise PortfolioError([
                Problem(
                    f"{SHARE_DIR}/{name}/{leak.path}", leak.line, "share",
                    _leak_message(leak.what, shown(leak.text), prepared.profile, leak, origins.get(leak.path)),
                )
                for leak in sorted(leaks, key=lambda leak: (leak.path, leak.line, leak.what, leak.text))
            ])
        archive = work / f"{name}.zip"
        write_zip(site, archive, name, prepared.as_of)
        swap_in(site, target)
        os.replace(archive, zip_target)
    except OSError as exc:
        raise PortfolioError.single(f"{SHARE_DIR}/{name}", 1, "share", f"cannot be written: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target, zip_target


def _origins(prepared: PreparedShare, site: Path) -> dict[str, Origin]:
    """Each published page and attachment of a record, with the file it was written in."""
    filtered = prepared.filtered
    return record_origins(
        site, (filtered.original[key] for key in filtered.validated.records),
        ((filtered.original[key], a.name, a.rel, a.source) for key, a in filtered.attachments.items()),
    )


def _leak_message(what: str, text: str, profile: Profile, leak: Leak | None = None, origin: Origin | None = None) -> str:
    if what in KINDS:  # a request to another host, or a script: with where it was written, if known
        written = origin.where(leak.line, what, leak.text) if origin is not None and leak is not None else None
        return explain(what, text) + (f" (written in {written})" if written else "")
    if what in PERSONAL_KINDS:
        return (
            f"{what} '{text}' is in the built share (as a reader sees the page, its search index or portfolio.json); "
            "it comes from a record written in a way the guard could not place, from mkdocs.yml or from the theme: "
            f"remove it, or, if it may be shared, add the exact text to 'allow' in {profile.path}. Nothing was written"
        )
    return (
        f"{what} '{text}' is still in the built share; records are rewritten before any page is made, so it comes from "
        "mkdocs.yml, the theme or the generator's own words: change that setting, or choose a more specific redaction term. "
        "Nothing was written"
    )


def _stage_attachments(prepared: PreparedShare, folder: Path) -> None:
    """Rewritten or renamed attachments are published from a copy; the original is never touched."""
    records = prepared.filtered.validated.records
    for key, attachment in sorted(prepared.filtered.attachments.items()):
        record = records[key]
        if attachment.data is None and attachment.name == attachment.source.name:
            continue
        destination = folder / key / attachment.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if attachment.data is not None:
            destination.write_bytes(attachment.data)
        else:
            shutil.copyfile(attachment.source, destination)
        record.file_path = destination  # type: ignore[attr-defined]


def write_zip(site_dir: Path, zip_path: Path, folder: str, day: date) -> None:
    """A byte-identical zip for the same site: sorted entries, one timestamp, fixed permissions."""
    write_folder_zip(site_dir, zip_path, folder, day)


# -- portfolio check -------------------------------------------------------------------------------------

def check_shares(checked: Checked) -> list[Problem]:
    """What ``portfolio check`` adds: every profile's own problems, and, as warnings, what would
    stop ``portfolio share`` for it (personal data, an id holding a redaction term), each once
    with the profiles it concerns."""
    project_dir = checked.project_dir
    out = Problems()
    concerns: dict[tuple[str, int, str, str], list[str]] = {}
    for name in profile_names(project_dir):
        problems = Problems()
        try:
            profile = read_profile(project_dir, name, service_ids(checked), problems)
        except PortfolioError as exc:
            out.extend(exc.problems)
            continue
        out.extend(problems.items)
        if profile is None or checked.problems.errors:
            continue
        filtered = filter_for_share(checked.validation, checked.config, profile)
        for problem in filtered.problems.items:
            concerns.setdefault((problem.path, problem.line, problem.field, problem.message), []).append(name)
        for hit in personal_data_hits(filtered):
            message = f"{hit.kind} {_quoted(hit)} would be published; remove it, or allow the exact text in the profile"
            concerns.setdefault((hit.path, hit.line, hit.field, message), []).append(name)
    for (path, line, field_name, message), names in sorted(concerns.items()):
        which = ", ".join(f"'{n}'" for n in names)
        out.warn(path, line, field_name, f"{message} (portfolio share stops on this for profile{'s' if len(names) > 1 else ''} {which})")
    return out.items
