"""The ``portfolio`` command: the one boundary where problems become messages and exit codes.

Exit status (spec section 4): 0 success; 1 the portfolio has errors (nothing written); 2 the
command was used wrongly or the configuration is broken.
"""

from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path
from typing import Callable, NoReturn, TypeVar

import click

from . import __version__
from .pipeline import check as check_portfolio
from .pipeline import prepare, resolve_as_of
from .problems import PortfolioError, Problem

F = TypeVar("F", bound=Callable[..., object])

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _report(problems: list[Problem], *, to_stdout: bool = False) -> None:
    for problem in problems:
        click.echo(str(problem), err=not to_stdout)


def _summary(problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


def _fail(exc: PortfolioError) -> NoReturn:
    _report(exc.problems)
    if not exc.usage:
        click.echo(f"portfolio: {_summary(exc.problems)}; nothing was written", err=True)
    sys.exit(EXIT_USAGE if exc.usage else EXIT_ERRORS)


def _as_of(value: str | None) -> date:
    try:
        return resolve_as_of(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--as-of'") from None


def _project(ctx: click.Context) -> Path:
    project = Path(ctx.obj["project"]).resolve()
    if not project.is_dir():
        raise click.UsageError(f"project folder '{ctx.obj['project']}' does not exist")
    return project


def _logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    for name in ("mkdocs", "portfolio"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.propagate = False
        logger.setLevel(logging.INFO if verbose else logging.WARNING)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--project", "-p", default=".", metavar="DIR", help="The portfolio project (default: this folder).")
@click.option("--verbose", "-v", is_flag=True, help="Show what the engine is doing.")
@click.version_option(__version__, prog_name="portfolio")
@click.pass_context
def main(ctx: click.Context, project: str, verbose: bool) -> None:
    """Governance evidence portfolios for UK adult social care.

    Validates the records in content/, cross-links every action to its source, milestones and
    closure evidence, judges them on a date and publishes an inspector-ready MkDocs site.
    """
    ctx.ensure_object(dict)
    ctx.obj["project"] = project
    _logging(verbose)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
def init(directory: str) -> None:
    """Create a new portfolio project in DIRECTORY, with one example record of each kind."""
    from .starter import create_project

    try:
        created = create_project(Path(directory))
    except PortfolioError as exc:
        _fail(exc)
    click.echo(f"Created a portfolio project in {directory} ({len(created)} files).")
    click.echo(f"Next: cd {directory} && portfolio build")


@main.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Validate every record and print every problem, not only the first."""
    from .profiles import profile_names

    project = _project(ctx)

    def check_site_settings() -> None:
        """The site's settings must load too; nothing is built. Done while the records are read,
        so MkDocs and Material are imported then too."""
        from .engine import mkdocs_config

        mkdocs_config(project, project / "site")

    try:
        today = resolve_as_of(None)  # a record dated after it is not in a build made now: a warning
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        # Share profiles are checked against the records themselves; without one, the problems
        # alone are kept, which is quicker on a large portfolio.
        checked = check_portfolio(project, keep_records=bool(profile_names(project)), alongside=check_site_settings,
                                  as_of=today, as_of_is_today=True)
    except PortfolioError as exc:
        _fail(exc)
    from .share import check_shares

    # Every share profile's own problems, and (as warnings) what would stop `portfolio share`.
    checked.problems.extend(check_shares(checked))
    problems = checked.problems.sorted()
    _report(problems, to_stdout=True)
    records = checked.record_count
    if checked.problems.errors:
        click.echo(f"portfolio: {_summary(problems)} in {records} records", err=True)
        sys.exit(EXIT_ERRORS)
    click.echo(f"portfolio: {records} records, no errors" + (f", {_summary(problems).split(', ')[1]}" if problems else ""))


@main.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Judge overdue, due soon and stale on this date (YYYY-MM-DD).")
@click.option("--site-dir", metavar="DIR", help="Where to write the site (default: site/ in the project).")
@click.pass_context
def build(ctx: click.Context, as_of: str | None, site_dir: str | None) -> None:
    """Validate, then build the inspector-ready site."""
    from .engine import build_site

    project = _project(ctx)
    day = _as_of(as_of)
    target = Path(site_dir).resolve() if site_dir else project / "site"
    try:
        portfolio, problems = prepare(project, day)
        _report(problems.sorted())
        pages = build_site(project, target, portfolio)
    except PortfolioError as exc:
        _fail(exc)
    from .lastlook import site_warnings

    # Spec 5 (no request to another host) on the site as built: warnings, since the provider's
    # own site may be allowed what a share never is (a share stops on the same findings).
    _report(site_warnings(project, target, portfolio))
    click.echo(f"Built {target} as of {day.isoformat()}: {len(portfolio.records)} records, {pages} pages.")


@main.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Judge the portfolio on this date (YYYY-MM-DD).")
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT", help="Address to serve on.")
@click.pass_context
def serve(ctx: click.Context, as_of: str | None, dev_addr: str) -> None:
    """Build and serve the site, rebuilding and reloading when content/ or site_config/ changes."""
    from .serve import serve_project

    project = _project(ctx)
    day = _as_of(as_of) if as_of else None
    try:
        serve_project(project, dev_addr, day)
    except PortfolioError as exc:
        _fail(exc)


@main.command()
@click.option("--month", metavar="YYYY-MM", help="The month to archive (default: the last complete month).")
@click.pass_context
def snapshot(ctx: click.Context, month: str | None) -> None:
    """Archive the month's governance snapshot into archive/YYYY-MM/, as of its last day.

    In a git repository it is built from the last commit on or before that day (23:59:59 UK
    time), never from uncommitted edits. A month already archived is never rebuilt.
    """
    from .snapshot import Month, changes_summary, check_month_complete, default_month, human_size, make_snapshot

    project = _project(ctx)
    try:
        today = resolve_as_of(None)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        chosen = Month.parse(month) if month else default_month(today)
        check_month_complete(chosen, today)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--month'") from None
    try:
        made = make_snapshot(project, chosen, say=lambda text: click.echo(text, err=True))
    except PortfolioError as exc:
        _fail(exc)
    _report(made.warnings)
    where = made.folder.relative_to(project) if made.folder.is_relative_to(project) else made.folder
    source = f"commit {made.commit.sha[:12]} of {made.commit.date}" if made.commit else "the files as they are now (no git)"
    click.echo(f"Archived {made.month.title} into {where}/ as of {made.month.last_day.isoformat()}, from {source}: "
               f"{made.files} files, {human_size(made.size)}.")
    click.echo(changes_summary(made.changes))
    click.echo(f"manifest.json SHA-256 {made.manifest_sha256}: keep it (in the minutes, say) and it fixes this month and every month before it.")


@main.command()
@click.argument("directory", required=False, metavar="[DIR]")
@click.pass_context
def verify(ctx: click.Context, directory: str | None) -> None:
    """Check snapshots against their manifests and the chain of months.

    DIR is the archive folder (default: archive/ in the project) or one month's folder. Every
    changed, missing or extra file and every broken link in the chain is named, one per line.
    """
    import os

    from .verify import VerifyUsageError, month_title, verify_path

    target = Path(directory) if directory else Path(ctx.obj["project"]) / "archive"

    def shown(path: Path) -> str:
        rel = os.path.relpath(path.absolute(), Path.cwd())
        return rel if not rel.startswith("..") else str(path.absolute())

    try:
        results, general = verify_path(target)
    except VerifyUsageError as exc:
        raise click.BadParameter(f"{shown(target)} {exc}", param_hint="'DIR'") from None
    findings = sorted(general) + [f for r in results for f in r.findings]
    for finding in findings:
        click.echo(f"{shown(finding.path)}: {finding.message}")
    for result in results:
        if result.ok:
            chain = f"follows {result.previous}" if result.previous else "first in the chain"
            click.echo(f"{shown(result.folder)}: OK ({month_title(result.month)}): {result.files} files match manifest.json, "
                       f"{chain}; manifest SHA-256 {result.manifest_sha256}")
    if findings:
        broken = sum(1 for r in results if not r.ok)
        click.echo(f"portfolio: {len(findings)} problem{'s' if len(findings) != 1 else ''}"
                   f" in {broken} of {len(results)} snapshot{'s' if len(results) != 1 else ''}", err=True)
        sys.exit(EXIT_ERRORS)


@main.command()
@click.argument("profile")
@click.option("--as-of", "as_of", metavar="DATE", help="Judge the portfolio on this date (YYYY-MM-DD).")
@click.pass_context
def share(ctx: click.Context, profile: str, as_of: str | None) -> None:
    """Build the read-only portfolio for PROFILE into share/PROFILE/ and share/PROFILE.zip.

    PROFILE is site_config/profiles/PROFILE.yml. Sensitive records, redaction terms and (with
    owners: roles) staff names are left out of every page, the search index and portfolio.json;
    an NHS number, email address, phone number or date of birth in what it would publish stops
    the share unless the profile allows that exact text.
    """
    from .share import prepare_share, publish_share

    project = _project(ctx)
    day = _as_of(as_of)
    try:
        prepared = prepare_share(project, profile, day)
        _report(prepared.warnings)
        folder, archive = publish_share(prepared)
    except PortfolioError as exc:
        _fail(exc)
    withheld = prepared.withheld_count
    click.echo(
        f"Shared '{prepared.profile.name}' as of {day.isoformat()}: {folder.relative_to(project)}/ and "
        f"{archive.relative_to(project)} ({len(prepared.portfolio.records)} records; "
        f"{withheld} sensitive record{'s' if withheld != 1 else ''} withheld)."
    )


# -- import, export, new (issue 6) ------------------------------------------------------------

@main.command("import")
@click.argument("tracker", metavar="FILE.xlsx|FILE.csv")
@click.option("--sheet", metavar="NAME", help="The workbook's sheet to read (default: the first with a header row).")
@click.option("--map", "map_file", metavar="MAP.yml", help="A map file: which column is which field, defaults, extra status words.")
@click.option("--dry-run", is_flag=True, help="Report what would be written, and every problem; write nothing.")
@click.option("--allow-errors", is_flag=True, help="Write the valid rows even when other rows have errors.")
@click.pass_context
def import_tracker(ctx: click.Context, tracker: str, sheet: str | None, map_file: str | None, dry_run: bool, allow_errors: bool) -> None:
    """Turn an action tracker (xlsx or CSV) into action records, with the sources and services it names.

    Common headings are recognised (Action, Owner, Responsible person, Date raised, Due date,
    Deadline, RAG, Status, Source, Evidence, Date closed, Service, Quality statement, Risk, Ref...).
    Each row becomes a valid record or a problem FILE:SHEET:ROW:COLUMN: MESSAGE. With any error
    nothing is written, unless --allow-errors. Existing records are never overwritten, and
    importing the same tracker again changes nothing.
    """
    from .importer import ImportUsageError, run_import

    project = _project(ctx)
    try:
        result = run_import(
            project, Path(tracker), tracker, sheet=sheet, map_path=Path(map_file) if map_file else None,
            map_shown=map_file, dry_run=dry_run, allow_errors=allow_errors,
        )
    except ImportUsageError as exc:
        for line in str(exc).splitlines():
            click.echo(line, err=True)
        click.echo("portfolio: nothing was imported", err=True)
        sys.exit(EXIT_USAGE)
    except PortfolioError as exc:
        _fail(exc)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    verb = "would write" if not result.written else "wrote"
    for record in result.records if (result.written or dry_run) else []:
        rows = ", ".join(str(r) for r in record.rows)
        click.echo(f"{verb} {record.rel} ({record.id}; row{'s' if len(record.rows) > 1 else ''} {rows})")
    counts = {kind: sum(1 for r in result.records if r.kind == kind) for kind in ("action", "source", "service")}
    made = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items() if n or kind == "action")
    error_rows = len({p.row for p in result.errors})
    summary = (f"{tracker} (sheet {result.sheet}): {result.rows_read} row{'s' if result.rows_read != 1 else ''} read; "
               f"{len(result.already)} already in the portfolio; {error_rows} with errors")
    if result.written:
        click.echo(f"{summary}. Wrote {made}.")
    elif dry_run:
        click.echo(f"{summary}. Dry run: would write {made}; nothing was written.")
    elif result.errors:
        click.echo(f"{summary}.")
    else:
        click.echo(f"{summary}. Nothing new to write.")
    if result.errors and not allow_errors:
        click.echo(f"portfolio: {len(result.errors)} error{'s' if len(result.errors) != 1 else ''}; nothing was written "
                   f"(fix the tracker or the map file, or use --allow-errors to write only the valid rows)", err=True)
        sys.exit(EXIT_ERRORS)


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), help="csv or xlsx (default: from --output's extension, else xlsx).")
@click.option("--as-of", "as_of", metavar="DATE", help="Judge the actions on this date (YYYY-MM-DD).")
@click.option("--output", "-o", metavar="FILE", help="Where to write (default: exports/actions-DATE.xlsx or .csv in the project).")
@click.pass_context
def export_actions(ctx: click.Context, fmt: str | None, as_of: str | None, output: str | None) -> None:
    """Write the actions, with their status, deadline in force and flags on the as-of date, as a spreadsheet."""
    from .exporter import default_name, export
    from .outputs import EXPORTS

    project = _project(ctx)
    day = _as_of(as_of)
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    if fmt is None:
        fmt = suffix if suffix in ("csv", "xlsx") else "xlsx"
    elif suffix in ("csv", "xlsx") and suffix != fmt:
        raise click.BadParameter(f"'{output}' ends .{suffix} but --format is {fmt}", param_hint="'--output'")
    target = _output_target(output, project, "an export") or project / EXPORTS / default_name(day, fmt)
    try:
        portfolio, problems = prepare(project, day)
    except PortfolioError as exc:
        _fail(exc)
    _report(problems.sorted())
    data = export(portfolio, fmt)
    shown = _write_output(target, data, output, project)
    click.echo(f"Wrote {shown}: {len(portfolio.actions)} actions as of {day.isoformat()}.")


def _output_target(output: str | None, project: Path, what: str) -> Path | None:
    """``--output`` as a file to write: never inside content/ (the generator does not write
    there) and not a folder. None when it was not given."""
    if not output:
        return None
    target = Path(output).resolve()
    if target.is_relative_to((project / "content").resolve()):
        raise click.BadParameter(f"{what} is not a record; write it outside content/", param_hint="'--output'")
    if target.is_dir():
        raise click.BadParameter(f"'{output}' is a folder; give a file name", param_hint="'--output'")
    return target


def _write_output(target: Path, data: bytes, output: str | None, project: Path) -> Path:
    """Write a file whole or not at all (a partial file, then renamed); the path to show."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(data)
        partial.replace(target)
    except OSError as exc:
        raise click.BadParameter(f"cannot write '{output or target}': {exc.strerror or exc}", param_hint="'--output'") from None
    return target.relative_to(project) if target.is_relative_to(project) else target


# -- inspection pack (issue 8) ------------------------------------------------------------------

@main.command("pack")
@click.option("--key-question", "key_question", metavar="ID", help="One key question of the framework, e.g. safe (default: the whole portfolio).")
@click.option("--profile", "profile", metavar="NAME", help="Print what the share for this profile publishes (site_config/profiles/NAME.yml), and nothing else.")
@click.option("--as-of", "as_of", metavar="DATE", help="Judge the portfolio on this date (YYYY-MM-DD).")
@click.option("--output", "-o", metavar="FILE", help="Where to write the PDF (default: packs/inspection-pack-[PROFILE-]SCOPE-DATE.pdf in the project).")
@click.pass_context
def pack_command(ctx: click.Context, key_question: str | None, profile: str | None, as_of: str | None, output: str | None) -> None:
    """Print an inspection pack: one PDF with a contents page, each quality statement's actions,
    sources, evidence and measure charts, and the as-of date and "Page N of M" on every page.

    With --profile, the pack is printed from what `portfolio share PROFILE` would publish:
    sensitive records withheld, redaction terms and (with owners: roles) staff names replaced,
    the share's banner on the cover and every page; the personal-data guard stops it as it
    stops the share.

    Prints with Debian's Chromium (apt-get install chromium) through the playwright package
    (pip install playwright); a browser is never downloaded.
    """
    from .outputs import PACKS
    from .pack import PackUnavailable, UnknownKeyQuestion, check_browser, default_name, leaks, page_count, plan_pack, print_pack

    project = _project(ctx)
    day = _as_of(as_of)
    target = _output_target(output, project, "a pack")
    prepared = None
    try:
        if profile is not None:
            from .share import prepare_share

            prepared = prepare_share(project, profile, day)
            portfolio, warnings = prepared.portfolio, prepared.warnings
        else:
            portfolio, problems = prepare(project, day)
            warnings = problems.sorted()
    except PortfolioError as exc:
        _fail(exc)
    _report(warnings)
    try:
        planned = plan_pack(portfolio, key_question, share=prepared)
    except UnknownKeyQuestion as exc:
        raise click.BadParameter(str(exc), param_hint="'--key-question'") from None
    target = target or project / PACKS / default_name(planned)
    found = leaks(planned, target.relative_to(project).as_posix() if target.is_relative_to(project) else str(target))
    if found:
        _fail(PortfolioError(found))
    try:  # after the portfolio and --key-question, so their problems are told first
        check_browser()
    except PackUnavailable as exc:
        click.echo(f"portfolio: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    try:
        data = print_pack(planned)
    except PackUnavailable as exc:
        click.echo(f"portfolio: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    shown = _write_output(target, data, output, project)
    share_note = ""
    if prepared is not None:
        withheld = prepared.withheld_count
        share_note = f"; for profile '{prepared.profile.name}', {withheld} sensitive record{'s' if withheld != 1 else ''} withheld"
    click.echo(f"Wrote {shown}: {planned.title[0].lower() + planned.title[1:]} as of {day.isoformat()}, "
               f"{page_count(data)} pages, {len(planned.actions)} actions{share_note}.")


@main.group("new")
def new_record() -> None:
    """Write a new record from a template, with the next free id (never overwriting a file).

    Missing required values are asked for when standard input is a terminal; otherwise the
    command stops (exit 2) and names the missing options.
    """


def _new_options(kind: str) -> Callable[[F], F]:
    from .records import EVIDENCE_CATEGORIES, RISKS, SOURCE_KINDS

    helps: dict[str, tuple[str, dict[str, object]]] = {
        "id": ("The id (default: the next free one, e.g. ACT-016 after ACT-015).", {}),
        "title": ("One line.", {}),
        "service": ("Id of the service (required once the portfolio has two or more).", {}),
        "source": ("Id of a source this action answers (repeat, or separate with commas).", {"multiple": True}),
        "owner": ('The named person accountable: "Name (Role)".', {}),
        "assigned_by": ('Who assigned it: "Name (Role)".', {}),
        "raised": ("Date agreed, YYYY-MM-DD (default: today).", {}),
        "agreed_in": ("Id of the meeting where it was agreed.", {}),
        "due": ("Deadline, YYYY-MM-DD.", {}),
        "risk": (f"One of: {', '.join(RISKS)}.", {}),
        "status": ("open (default) or in-progress.", {}),
        "quality_statements": ("A statement id of the framework (repeat, or separate with commas).", {"multiple": True}),
        "kind": ((f"One of: {', '.join(SOURCE_KINDS)}." if kind == "source" else "Free text: audit report, survey, minutes, ..."), {}),
        "date": ("Date, YYYY-MM-DD (default: today).", {}),
        "identified_by": ('Who identified it: "Name (Role)".', {}),
        "category": (f"One of: {', '.join(EVIDENCE_CATEGORIES)}.", {}),
        "collected_by": ('Who collected it: "Name (Role)".', {}),
        "forum": ("The forum, e.g. 'Monthly governance meeting'.", {}),
        "chair": ('Who chaired it: "Name (Role)".', {}),
    }
    from .newrecord import FIELDS, option_name

    def decorate(func: F) -> F:
        for name in reversed(FIELDS[kind]):
            text, extra = helps[name]
            func = click.option(option_name(name), name, metavar="TEXT" if name not in ("raised", "due", "date") else "DATE", help=text, **extra)(func)  # type: ignore[call-overload]
        return func

    return decorate


def _run_new(ctx: click.Context, kind: str, given: dict[str, object]) -> None:
    from . import newrecord as nr

    project = _project(ctx)
    try:
        record_ctx = nr.open_project(project)
    except PortfolioError as exc:
        _fail(exc)
    values: dict[str, object] = {}
    for name, value in given.items():
        if value is None or value == ():
            continue
        try:
            values[name] = nr.check_value(record_ctx, kind, name, list(value) if isinstance(value, tuple) else value)
        except nr.NewRecordError as exc:
            raise click.BadParameter(str(exc), param_hint=f"'{nr.option_name(exc.field_name)}'") from None
    interactive = nr.stdin_is_terminal()
    today_field = nr.TODAY_DEFAULTS[kind]
    try:
        today = resolve_as_of(None)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    missing = [name for name in nr.required_fields(record_ctx, kind) if name not in values]
    if not interactive:
        if missing and missing != [today_field]:
            names = ", ".join(nr.option_name(name) for name in missing if name != today_field)
            raise click.UsageError(f"missing {names} (standard input is not a terminal, so nothing was asked)")
        values.setdefault(today_field, today)
    else:
        for name in missing:
            def convert(text: str, name: str = name) -> object:
                try:
                    return nr.check_value(record_ctx, kind, name, text)
                except nr.NewRecordError as exc:
                    raise click.UsageError(str(exc)) from None

            default = today.isoformat() if name == today_field else None
            values[name] = click.prompt(nr.LABELS[name], default=default, value_proc=convert)
    owner = values.get("owner")
    if isinstance(owner, str) and (warning := nr.owner_warning(record_ctx, owner)):
        click.echo(f"warning: {warning}", err=True)
    try:
        planned = nr.plan_record(record_ctx, kind, values)
        nr.write_record(planned)
    except nr.NewRecordError as exc:
        raise click.UsageError(f"{nr.option_name(exc.field_name)}: {exc}") from None
    except FileExistsError:
        raise click.UsageError(f"{planned.rel} appeared meanwhile; nothing was overwritten") from None
    click.echo(f"Created {planned.rel} ({planned.id}). Write the narrative below its front matter.")


@new_record.command("action")
@_new_options("action")
@click.pass_context
def new_action(ctx: click.Context, **given: object) -> None:
    """A new improvement action (open unless --status in-progress)."""
    _run_new(ctx, "action", given)


@new_record.command("source")
@_new_options("source")
@click.pass_context
def new_source(ctx: click.Context, **given: object) -> None:
    """A new source: an audit, incident, complaint, feedback theme, ..."""
    _run_new(ctx, "source", given)


@new_record.command("evidence")
@_new_options("evidence")
@click.pass_context
def new_evidence(ctx: click.Context, **given: object) -> None:
    """A new evidence item."""
    _run_new(ctx, "evidence", given)


@new_record.command("meeting")
@_new_options("meeting")
@click.pass_context
def new_meeting(ctx: click.Context, **given: object) -> None:
    """A new governance meeting (the body is the minutes)."""
    _run_new(ctx, "meeting", given)


if __name__ == "__main__":  # pragma: no cover
    main()
