"""``portfolio new KIND``: a new record from a template, with the next free id, asked for what is
missing when standard input is a terminal.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

import click

from ..pipeline import resolve_as_of
from .boundary import project_folder, reports_problems
from .commands import main

F = TypeVar("F", bound=Callable[..., object])


@main.group("new")
def new_record() -> None:
    """Write a new record from a template, with the next free id (never overwriting a file).

    Missing required values are asked for when standard input is a terminal; otherwise the
    command stops (exit 2) and names the missing options.
    """


def _new_options(kind: str) -> Callable[[F], F]:
    from ..format.values import EVIDENCE_CATEGORIES, RISKS, SOURCE_KINDS

    helps: dict[str, tuple[str, dict[str, Any]]] = {
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
    from ..newrecord import FIELDS, option_name

    def decorate(func: F) -> F:
        for name in reversed(FIELDS[kind]):
            text, extra = helps[name]
            func = click.option(option_name(name), name, metavar="TEXT" if name not in ("raised", "due", "date") else "DATE", help=text, **extra)(func)
        return func

    return decorate


def _run_new(ctx: click.Context, kind: str, given: dict[str, object]) -> None:
    from .. import newrecord as nr

    project = project_folder(ctx)
    record_ctx = nr.open_project(project)
    values: dict[str, object] = {}
    for name, value in given.items():
        if value is None or value == ():
            continue
        values[name] = nr.check_value(record_ctx, kind, name, list(value) if isinstance(value, tuple) else value)
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
                except nr.NewRecordError as exc:  # asked again, not an exit
                    raise click.UsageError(exc.message) from None

            default = today.isoformat() if name == today_field else None
            values[name] = click.prompt(nr.LABELS[name], default=default, value_proc=convert)
    owner = values.get("owner")
    if isinstance(owner, str) and (warning := nr.owner_warning(record_ctx, owner)):
        click.echo(f"warning: {warning}", err=True)
    planned = nr.plan_record(record_ctx, kind, values)
    nr.write_record(planned)
    click.echo(f"Created {planned.rel} ({planned.id}). Write the narrative below its front matter.")


@new_record.command("action")
@_new_options("action")
@click.pass_context
@reports_problems
def new_action(ctx: click.Context, **given: object) -> None:
    """A new improvement action (open unless --status in-progress)."""
    _run_new(ctx, "action", given)


@new_record.command("source")
@_new_options("source")
@click.pass_context
@reports_problems
def new_source(ctx: click.Context, **given: object) -> None:
    """A new source: an audit, incident, complaint, feedback theme, ..."""
    _run_new(ctx, "source", given)


@new_record.command("evidence")
@_new_options("evidence")
@click.pass_context
@reports_problems
def new_evidence(ctx: click.Context, **given: object) -> None:
    """A new evidence item."""
    _run_new(ctx, "evidence", given)


@new_record.command("meeting")
@_new_options("meeting")
@click.pass_context
@reports_problems
def new_meeting(ctx: click.Context, **given: object) -> None:
    """A new governance meeting (the body is the minutes)."""
    _run_new(ctx, "meeting", given)

