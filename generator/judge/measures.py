"""Measures across services: the family "measures" of assurance checks (an extension, issue 18).

A measure is known by its ``name``, compared without regard to case or spacing, so "Falls per
1,000 bed days" in two services' actions is one measure with a line per service. A service's
value in a month is its latest reading dated in that month (the mean, if several actions of the
service read it on that day); baselines are not readings. Which way is better comes from the
target: below the baseline (or, without one, below the first reading) means lower is better.

Two checks, on the portfolio as a whole:

* ``measure-off-target-3-months``: a service's readings worse than their target in each of its
  last three or more calendar months with a reading, running without a gap;
* ``measure-outlier``: in the latest month at least two services read a measure, a service worse
  than the group's median by more than a quarter of the median (any worse value, if the median
  is 0). With two services the median is halfway between them.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..archive.manifest import Month
from ..format.records import Action
from .checks import Check, CheckInfo, Family, Finding

if TYPE_CHECKING:
    from .model import Portfolio

#: How far worse than the group's median a service must be to be named an outlier.
OUTLIER_GAP = 0.25
#: Worse than target in this many calendar months running.
OFF_TARGET_MONTHS = 3


@dataclass(frozen=True)
class MonthValue:
    """A service's value of a measure in one month, with the target and actions it came from."""

    month: str  # YYYY-MM
    value: float
    target: float | None
    actions: tuple[str, ...]  # ids of the actions whose readings these are


@dataclass(frozen=True)
class ServiceLine:
    """One service's readings of a measure, month by month."""

    service: str | None  # the service's key; None: no service given
    label: str
    unit: str
    lower_is_better: bool | None  # None: no target, or no way to tell
    values: tuple[MonthValue, ...]  # in month order

    @property
    def action_ids(self) -> tuple[str, ...]:
        """The actions whose readings the line shows, in the order they first read."""
        return tuple(dict.fromkeys(a for v in self.values for a in v.actions))

    @property
    def targets(self) -> tuple[float, ...]:
        return tuple(sorted({v.target for v in self.values if v.target is not None}))

    @property
    def better(self) -> str:
        return "not known" if self.lower_is_better is None else "lower" if self.lower_is_better else "higher"

    def value_in(self, month: str) -> MonthValue | None:
        return next((v for v in self.values if v.month == month), None)

    def worse(self, value: float, than: float) -> bool:
        if self.lower_is_better is None:
            return False
        return value > than if self.lower_is_better else value < than


@dataclass(frozen=True)
class MeasureGroup:
    """One measure (by name) as every service reads it."""

    key: str  # the name folded: lower case, single spaces
    name: str  # as first written (the first action, in id order)
    unit: str
    lines: tuple[ServiceLine, ...]  # services in the portfolio's order, then no service
    months: tuple[str, ...]  # every month from the first reading to the last, gaps included
    median: dict[str, float]  # month -> median of the services' values (months two or more read)

    @property
    def shared(self) -> bool:
        return len(self.lines) > 1

    @property
    def target(self) -> float | None:
        """The target, when every value has the same one (so a chart can draw it)."""
        targets = {v.target for line in self.lines for v in line.values}
        return targets.pop() if len(targets) == 1 else None


def measure_key(name: str) -> str:
    return " ".join(name.split()).lower()


def _month_after(month: str) -> str:
    return Month.parse(month).following().key


def _span(first: str, last: str) -> tuple[str, ...]:
    months = [first]
    while months[-1] < last:
        months.append(_month_after(months[-1]))
    return tuple(months)


def _fmt(value: float) -> str:
    return f"{value:g}"


def measure_groups(portfolio: "Portfolio") -> list[MeasureGroup]:
    """Every measure of the portfolio's actions, grouped by name, read up to the as-of date."""
    as_of = portfolio.as_of
    service_order = {s.key: i for i, s in enumerate(portfolio.by_kind["service"])}
    labels = {s.key: getattr(s, "name", "") or s.title for s in portfolio.by_kind["service"]}
    # measure key -> service key -> month -> (date, [(value, target, action id)])
    found: dict[str, dict[str | None, dict[str, tuple[object, list[tuple[float, float | None, str]]]]]] = {}
    names: dict[str, tuple[str, str]] = {}
    directions: dict[tuple[str, str | None], list[bool]] = {}
    for action in portfolio.actions:
        assert isinstance(action, Action)
        service = action.service.lower() if action.service else None
        for measure in action.measures:
            key = measure_key(measure.name)
            if not key:
                continue
            names.setdefault(key, (" ".join(measure.name.split()), measure.unit))
            readings = sorted((r for r in measure.readings if r.date <= as_of), key=lambda r: r.date)
            if measure.target is not None:
                start = measure.baseline.value if measure.baseline else (readings[0].value if readings else None)
                if start is not None and start != measure.target:
                    directions.setdefault((key, service), []).append(measure.target < start)
            months = found.setdefault(key, {}).setdefault(service, {})
            for reading in readings:
                month = reading.date.isoformat()[:7]
                latest = months.get(month)
                if latest is None or reading.date > latest[0]:  # type: ignore[operator]
                    months[month] = (reading.date, [(reading.value, measure.target, action.id)])
                elif reading.date == latest[0]:
                    latest[1].append((reading.value, measure.target, action.id))
    groups = []
    for key in sorted(found):
        group_directions = [d for (k, _), ds in directions.items() if k == key for d in ds]
        overall = _majority(group_directions)
        lines = []
        for service in sorted(found[key], key=lambda s: (s is None, service_order.get(s or "", len(service_order)), s or "")):
            months = found[key][service]
            if not months:
                continue
            values = []
            for month in sorted(months):
                taken = months[month][1]
                targets = {t for _, t, _ in taken}
                values.append(MonthValue(
                    month, statistics.fmean(v for v, _, _ in taken),
                    targets.pop() if len(targets) == 1 else None,
                    tuple(dict.fromkeys(a for _, _, a in taken)),
                ))
            own = _majority(directions.get((key, service), []))
            if service:
                label = labels.get(service, service)
            else:  # a provider without services' records is one service
                label = "No service given" if labels else portfolio.config.provider
            lines.append(ServiceLine(service, label or "", names[key][1], own if own is not None else overall, tuple(values)))
        if not lines:
            continue
        all_months = sorted({v.month for line in lines for v in line.values})
        median = {}
        for month in all_months:
            read = [v.value for line in lines if (v := line.value_in(month)) is not None]
            if len(read) > 1:
                median[month] = float(statistics.median(read))
        groups.append(MeasureGroup(key, names[key][0], names[key][1], tuple(lines), _span(all_months[0], all_months[-1]), median))
    return groups


def _majority(directions: list[bool]) -> bool | None:
    lower, higher = directions.count(True), directions.count(False)
    return None if lower == higher else lower > higher


def _with_unit(value: float, unit: str) -> str:
    if not unit:
        return _fmt(value)
    return f"{_fmt(value)}{unit}" if unit == "%" else f"{_fmt(value)} {unit}"


def _month_name(month: str) -> str:
    return Month.parse(month).title


def off_target_run(line: ServiceLine) -> list[MonthValue]:
    """The months, running without a gap up to the line's latest, whose value is worse than
    their target; empty when the latest is not."""
    run: list[MonthValue] = []
    for value in reversed(line.values):
        if value.target is None or not line.worse(value.value, value.target):
            break
        if run and _month_after(value.month) != run[-1].month:
            break
        run.append(value)
    return run[::-1]


def outliers(group: MeasureGroup) -> list[tuple[ServiceLine, MonthValue, float]]:
    """(service, its value, the median) for each service far worse than the group's median in the
    latest month two or more services read the measure."""
    if not group.median:
        return []
    month = max(group.median)
    middle = group.median[month]
    found = []
    for line in group.lines:
        value = line.value_in(month)
        if value is None or not line.worse(value.value, middle):
            continue
        if middle == 0 or abs(value.value - middle) > OUTLIER_GAP * abs(middle):
            found.append((line, value, middle))
    return found


def judge(portfolio: "Portfolio") -> Iterator[Finding]:
    """The family's findings, measure by measure (by name), service by service."""
    for group in measure_groups(portfolio):
        for line in group.lines:
            run = off_target_run(line)
            if len(run) >= OFF_TARGET_MONTHS:
                months = ", ".join(f"{_month_name(v.month)} ({_with_unit(v.value, group.unit)})" for v in run)
                actions = ", ".join(dict.fromkeys(a for v in run for a in v.actions))
                target = run[-1].target if run[-1].target is not None else 0.0
                yield None, Check("measure-off-target-3-months", (
                    f"{line.label}: '{group.name}' worse than its target of {_with_unit(target, group.unit)} "
                    f"{len(run)} months running: {months}; readings from {actions}"
                ))
        for line, value, middle in outliers(group):
            readers = sum(1 for other in group.lines if other.value_in(value.month) is not None)
            gap = f", {round(100 * abs(value.value - middle) / abs(middle))}% worse" if middle else ", worse"
            yield None, Check("measure-outlier", (
                f"{line.label}: '{group.name}' {_with_unit(value.value, group.unit)} in {_month_name(value.month)}{gap} "
                f"than the median of {readers} services ({_with_unit(middle, group.unit)}); readings from {', '.join(value.actions)}"
            ))


CHECKS = (
    CheckInfo(
        "measure-off-target-3-months", "Measure off target three months running",
        "a service's readings of a measure are worse than their target in each of its last three or more "
        "calendar months with a reading, running without a gap (a service's value in a month is its latest "
        "reading that month; lower is better when the target is below the baseline)",
        scope="portfolio",
    ),
    CheckInfo(
        "measure-outlier", "Service far from the group on a measure",
        "in the latest month that two or more services read a measure of the same name (compared "
        "without regard to case), a service's value is worse than the services' median by more than "
        f"{round(OUTLIER_GAP * 100)}% of the median (any worse value when the median is 0)",
        scope="portfolio",
    ),
)

FAMILY = Family("measures", CHECKS, judge)
