"""The ``portfolio`` command and its subcommands (``portfolio new`` is in :mod:`.new`). Each is wrapped
in :func:`.boundary.reports_problems`, where problems become messages and exit codes.

Exit status (spec section 4): 0 success; 1 the portfolio has errors (nothing written); 2 the
command was used wrongly or the configuration is broken.
"""

from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path

import click

from .. import __version__
from ..pipeline import check as check_portfolio
from ..pipeline import prepare, resolve_as_of
from ..problems import PortfolioError
from .boundary import EXIT_ERRORS, as_of_option, project_folder, report, reports_problems, summary


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
@reports_problems
def init(directory: str) -> None:
    """Create a new portfolio project in DIRECTORY, with one example record of each kind."""
    from ..starter import create_project

    created = create_project(Path(directory))
    click.echo(f"Created a portfolio project in {directory} ({len(created)} files).")
    click.echo(f"Next: cd {directory} && portfolio build")


@main.command()
@click.pass_context
@reports_problems
def check(ctx: click.Context) -> None:
    """Validate every record and print every problem, not only the first."""
    from ..config.profiles import profile_names

    project = project_folder(ctx)

    def check_site_settings() -> None:
        """The site's settings must load too; nothing is built. Done while the records are read,
        so MkDocs and Material are imported then too."""
        from ..mkdocs.engine import mkdocs_config

        mkdocs_config(project, project / "site")

    try:
        today = resolve_as_of(None)  # a record dated after it is not in a build made now: a warning
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    # Share profiles are checked against the records themselves; without one, the problems
    # alone are kept, which is quicker on a large portfolio.
    checked = check_portfolio(project, keep_records=bool(profile_names(project)), alongside=check_site_settings,
                              as_of=today, as_of_is_today=True)
    from ..share.publish import check_shares

    # Every share profile's own problems, and (as warnings) what would stop `portfolio share`.
    checked.problems.extend(check_shares(checked))
    problems = checked.problems.sorted()
    report(problems, to_stdout=True)
    records = checked.record_count
    if checked.problems.errors:
        click.echo(f"portfolio: {summary(problems)} in {records} records", err=True)
        sys.exit(EXIT_ERRORS)
    click.echo(f"portfolio: {records} records, no errors" + (f", {summary(problems).split(', ')[1]}" if problems else ""))


@main.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Judge overdue, due soon and stale on this date (YYYY-MM-DD).")
@click.option("--site-dir", metavar="DIR", help="Where to write the site (default: site/ in the project).")
@click.pass_context
@reports_problems
def build(ctx: click.Context, as_of: str | None, site_dir: str | None) -> None:
    """Validate, then build the inspector-ready site."""
    from ..mkdocs.engine import build_site

    project = project_folder(ctx)
    day = as_of_option(as_of)
    target = Path(site_dir).resolve() if site_dir else project / "site"
    portfolio, problems = prepare(project, day)
    report(problems.sorted())
    pages = build_site(project, target, portfolio)
    from ..share.lastlook import site_warnings

    # Spec 5 (no request to another host) on the site as built: warnings, since the provider's
    # own site may be allowed what a share never is (a share stops on the same findings).
    report(site_warnings(project, target, portfolio))
    click.echo(f"Built {target} as of {day.isoformat()}: {len(portfolio.records)} records, {pages} pages.")


@main.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Judge the portfolio on this date (YYYY-MM-DD).")
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT", help="Address to serve on.")
@click.pass_context
@reports_problems
def serve(ctx: click.Context, as_of: str | None, dev_addr: str) -> None:
    """Build and serve the site, rebuilding and reloading when content/ or site_config/ changes."""
    from ..mkdocs.serve import serve_project

    project = project_folder(ctx)
    day = as_of_option(as_of) if as_of else None
    host, _, port_text = dev_addr.rpartition(":")
    if not host or not port_text.isdigit():
        raise click.BadParameter(f"'{dev_addr}' is not IP:PORT", param_hint="'--dev-addr'")
    serve_project(project, host, int(port_text), day, say=lambda text: click.echo(text, err=True))


@main.command()
@click.option("--month", metavar="YYYY-MM", help="The month to archive (default: the last complete month).")
@click.pass_context
@reports_problems
def snapshot(ctx: click.Context, month: str | None) -> None:
    """Archive the month's governance snapshot into archive/YYYY-MM/, as of its last day.

    In a git repository it is built from the last commit on or before that day (23:59:59 UK
    time), never from uncommitted edits. A month already archived is never rebuilt.
    """
    from ..archive.manifest import Month
    from ..archive.changes import changes_summary
    from ..archive.snapshot import check_month_complete, default_month, human_size, make_snapshot

    project = project_folder(ctx)
    try:
        today = resolve_as_of(None)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        chosen = Month.parse(month) if month else default_month(today)
        check_month_complete(chosen, today)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--month'") from None
    made = make_snapshot(project, chosen, say=lambda text: click.echo(text, err=True))
    report(made.warnings)
    where = made.folder.relative_to(project) if made.folder.is_relative_to(project) else made.folder
    source = f"commit {made.commit.sha[:12]} of {made.commit.date}" if made.commit else "the files as they are now (no git)"
    click.echo(f"Archived {made.month.title} into {where}/ as of {made.month.last_day.isoformat()}, from {source}: "
               f"{made.files} files, {human_size(made.size)}.")
    click.echo(changes_summary(made.changes))
    click.echo(f"manifest.json SHA-256 {made.manifest_sha256}: keep it (in the minutes, say) and it fixes this month and every month before it.")


@main.command()
@click.argument("directory", required=False, metavar="[DIR]")
@click.pass_context
@reports_problems
def verify(ctx: click.Context, directory: str | None) -> None:
    """Check snapshots against their manifests and the chain of months.

    DIR is the archive folder (default: archive/ in the project) or one month's folder. Every
    changed, missing or extra file and every broken link in the chain is named, one per line.
    """
    import os

    from ..archive.verify import month_title, verify_path

    target = Path(directory) if directory else Path(ctx.obj["project"]) / "archive"

    def shown(path: Path) -> str:
        rel = os.path.relpath(path.absolute(), Path.cwd())
        return rel if not rel.startswith("..") else str(path.absolute())

    results, general = verify_path(target, shown=shown(target))
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
@reports_problems
def share(ctx: click.Context, profile: str, as_of: str | None) -> None:
    """Build the read-only portfolio for PROFILE into share/PROFILE/ and share/PROFILE.zip.

    PROFILE is site_config/profiles/PROFILE.yml. Sensitive records, redaction terms and (with
    owners: roles) staff names are left out of every page, the search index and portfolio.json;
    an NHS number, email address, phone number or date of birth in what it would publish stops
    the share unless the profile allows that exact text.
    """
    from ..share.publish import prepare_share, publish_share

    project = project_folder(ctx)
    day = as_of_option(as_of)
    prepared = prepare_share(project, profile, day)
    report(prepared.warnings)
    folder, archive = publish_share(prepared)
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
@reports_problems
def import_tracker(ctx: click.Context, tracker: str, sheet: str | None, map_file: str | None, dry_run: bool, allow_errors: bool) -> None:
    """Turn an action tracker (xlsx or CSV) into action records, with the sources and services it names.

    Common headings are recognised (Action, Owner, Responsible person, Date raised, Due date,
    Deadline, RAG, Status, Source, Evidence, Date closed, Service, Quality statement, Risk, Ref...).
    Each row becomes a valid record or a problem FILE:SHEET:ROW:COLUMN: MESSAGE. With any error
    nothing is written, unless --allow-errors. Existing records are never overwritten, and
    importing the same tracker again changes nothing.
    """
    from ..tracker.importer import run_import

    project = project_folder(ctx)
    result = run_import(
        project, Path(tracker), tracker, sheet=sheet, map_path=Path(map_file) if map_file else None,
        map_shown=map_file, dry_run=dry_run, allow_errors=allow_errors,
    )
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
@reports_problems
def export_actions(ctx: click.Context, fmt: str | None, as_of: str | None, output: str | None) -> None:
    """Write the actions, with their status, deadline in force and flags on the as-of date, as a spreadsheet."""
    from ..outputs import EXPORTS
    from ..tracker.exporter import default_name, export

    project = project_folder(ctx)
    day = as_of_option(as_of)
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    if fmt is None:
        fmt = suffix if suffix in ("csv", "xlsx") else "xlsx"
    elif suffix in ("csv", "xlsx") and suffix != fmt:
        raise click.BadParameter(f"'{output}' ends .{suffix} but --format is {fmt}", param_hint="'--output'")
    target = _output_target(output, project, "an export") or project / EXPORTS / default_name(day, fmt)
    portfolio, problems = prepare(project, day)
    report(problems.sorted())
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
@reports_problems
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
    from ..outputs import PACKS
    from ..pack.pack import check_browser, default_name, leaks, page_count, plan_pack, print_pack

    project = project_folder(ctx)
    day = as_of_option(as_of)
    target = _output_target(output, project, "a pack")
    prepared = None
    if profile is not None:
        from ..share.publish import prepare_share

        prepared = prepare_share(project, profile, day)
        portfolio, warnings = prepared.portfolio, prepared.warnings
    else:
        portfolio, problems = prepare(project, day)
        warnings = problems.sorted()
    report(warnings)
    planned = plan_pack(portfolio, key_question, share=prepared)
    target = target or project / PACKS / default_name(planned)
    found = leaks(planned, target.relative_to(project).as_posix() if target.is_relative_to(project) else str(target))
    if found:
        raise PortfolioError(found)
    check_browser()  # after the portfolio and --key-question, so their problems are told first
    data = print_pack(planned)
    shown = _write_output(target, data, output, project)
    share_note = ""
    if prepared is not None:
        withheld = prepared.withheld_count
        share_note = f"; for profile '{prepared.profile.name}', {withheld} sensitive record{'s' if withheld != 1 else ''} withheld"
    click.echo(f"Wrote {shown}: {planned.title[0].lower() + planned.title[1:]} as of {day.isoformat()}, "
               f"{page_count(data)} pages, {len(planned.actions)} actions{share_note}.")
