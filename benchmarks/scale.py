"""Scale benchmark: a large provider group's portfolio against plain MkDocs on the same pages.

Not a test (pytest never collects it). Run from the repository:

    python benchmarks/scale.py                       # N = 500, 2,000 and 10,000 actions
    python benchmarks/scale.py --sizes 500 2000      # chosen sizes
    python benchmarks/scale.py --sizes 2000 --serve-size 2000 --serve-edits 5
    python benchmarks/scale.py --check-only --sizes 10000 --repeat 5   # portfolio check alone

For each N it writes a synthetic portfolio in the spec's format (N actions, N/5 sources, N/2
evidence items, N/50 meetings (at least 12), three services; a realistic mix of statuses,
extension chains, milestones, updates, escalations, closures with evidence, follow-ups, measures,
repeat findings and flags), checks it with ``portfolio check``, builds it with
``portfolio build``, and builds the *same number of pages* with plain ``mkdocs build``: the
Markdown of every page the generator would make, written out as ordinary files in a docs folder,
with the same Material theme, features, CSS and navigation (record pages left out of the nav
with ``not_in_nav``). The plain build is what MkDocs alone costs for those pages, so the ratio is
the generator's own cost on top.

Each command runs as a child process; its wall-clock time and its peak resident memory (from
``os.wait4``'s rusage of that child alone) are recorded. The table is printed and written as
JSON to ``benchmarks/results/``.

``--serve-size N`` (default 2,000 when that size is run; 0 to skip) also starts
``portfolio serve`` on that portfolio and measures how long an edit to a content file takes to
show: from the file's save to the rebuilt page being served, and to the rebuild being finished
(when the browser is told to reload).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
AS_OF = date(2026, 11, 22)
START = date(2024, 10, 1)  # the portfolio's records span two years before the as-of date

# -- the synthetic portfolio --------------------------------------------------------------------

SERVICES = [
    ("oakwood-house", "Oakwood House", "care home", "Grace Whitfield (Registered manager)", "1-2345678901"),
    ("meadowbank-homecare", "Meadowbank Homecare", "home care", "Imran Qureshi (Registered manager)", "1-3456789012"),
    ("linden-court", "Linden Court Supported Living", "supported living", "Nadia Kowalski (Registered manager)", "1-4567890123"),
]
FIRST = ["Amira", "Ben", "Chloe", "Dev", "Ella", "Femi", "Gita", "Harry", "Isla", "Jack", "Kemi", "Liam", "Maya", "Noah",
         "Olu", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Vik", "Wendy", "Yusuf", "Zara"]
LAST = ["Adams", "Bhatt", "Carter", "Doyle", "Evans", "Fraser", "Gill", "Hughes", "Iqbal", "Jones", "Khan", "Lewis",
        "Mensah", "Nolan", "Owens", "Patel", "Reid", "Singh", "Taylor", "Walsh"]
ROLES = ["Deputy manager", "Team leader", "Senior carer", "Care coordinator", "Field care supervisor", "Quality lead",
         "Training lead", "Dementia lead"]
LEADERS = ["Martin Cole (Nominated individual)", "Ruth Adeyemi (Managing director)", "Sarah Lund (Quality lead)"]
SOURCE_KINDS = ["audit", "incident", "complaint", "feedback-theme", "safeguarding", "oversight-review", "inspection",
                "risk", "training-need", "care-plan-review", "other"]
CATEGORIES = ["peoples-experience", "staff-feedback", "partner-feedback", "observation", "processes", "outcomes"]
EVIDENCE_KINDS = ["audit report", "care record sample", "observation", "minutes", "training log", "survey",
                  "supervision record", "spot check"]
TOPICS = [
    ("medicines", "MAR charts completed at the time of each round", "medicines-optimisation"),
    ("falls", "falls risk reviewed within 24 hours of every fall", "involving-people-to-manage-risks"),
    ("care-records", "daily notes written against each person's care plan", "assessing-needs"),
    ("staffing", "night shifts covered by permanent staff", "safe-and-effective-staffing"),
    ("infection", "hand hygiene audits passed on every floor", "infection-prevention-and-control"),
    ("safeguarding", "safeguarding concerns raised the same day", "safeguarding"),
    ("training", "mandatory training above 95% for every team", "learning-culture"),
    ("consent", "mental capacity assessments recorded for every restrictive decision", "consent-to-care-and-treatment"),
    ("nutrition", "fluid charts totalled and acted on each evening", "supporting-people-to-live-healthier-lives"),
    ("dignity", "personal care delivered behind closed doors every time", "kindness-compassion-and-dignity"),
    ("complaints", "complaints answered within 20 working days", "listening-to-and-involving-people"),
    ("governance", "audit actions tracked to closure at governance meetings", "governance-management-and-sustainability"),
    ("environment", "call bells answered within five minutes", "safe-environments"),
    ("handover", "care plan changes carried through handover for 72 hours", "safe-systems-pathways-and-transitions"),
    ("wellbeing", "supervision every eight weeks for every care worker", "workforce-wellbeing-and-enablement"),
]
SENTENCES = [
    "The audit sampled {k} care records across the service and found {m} that fell short of the standard.",
    "Staff said the current form is hard to complete on a busy shift, especially on nights.",
    "The registered manager discussed the finding with the team at the {month} staff meeting.",
    "Agency staff had not been shown the process, and the induction checklist did not mention it.",
    "Relatives raised the same concern in the annual survey, and two complaints named it.",
    "Team leaders will check a sample of records at the end of every shift and note what they find.",
    "The deputy manager will report progress to the monthly governance meeting until the re-audit.",
    "The change is small, but the people it affects most are those living with dementia.",
    "A re-audit in three months will test whether the change has embedded in everyday practice.",
    "Supervision notes show the expectation was understood, but the rota left too little time for it.",
]
STATUS_WEIGHTS = [("closed", 40), ("in-progress", 26), ("open", 12), ("completed", 14), ("cancelled", 8)]


STAFF: list[str] = []  # the provider group's staff, set by write_portfolio: one per 25 actions


def _staff(count: int) -> list[str]:
    people = [f"{first} {last} ({ROLES[(i + j) % len(ROLES)]})" for j, last in enumerate(LAST) for i, first in enumerate(FIRST)]
    random.Random(count).shuffle(people)
    return people[:count]


def _person(rng: random.Random) -> str:
    return rng.choice(STAFF)


def _body(rng: random.Random, sentences: int) -> str:
    text = " ".join(
        rng.choice(SENTENCES).format(k=rng.randint(10, 30), m=rng.randint(2, 9), month=rng.choice(["March", "June", "October"]))
        for _ in range(sentences)
    )
    return textwrap.fill(text, 96)


def _q(text: str) -> str:
    return json.dumps(text)  # a YAML-safe double-quoted scalar


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


@dataclass
class Generated:
    actions: int
    sources: int
    evidence: int
    meetings: int
    services: int
    attachments: int
    statuses: dict[str, int] = field(default_factory=dict)


def write_portfolio(root: Path, n: int, seed: int = 20261122) -> Generated:
    """A valid synthetic portfolio of ``n`` actions under ``root`` (content/, site_config/, mkdocs.yml)."""
    rng = random.Random(seed + n)
    if root.exists():
        shutil.rmtree(root)
    content = root / "content"
    for folder in ("actions", "sources", "evidence", "meetings", "services"):
        (content / folder).mkdir(parents=True)
    (root / "site_config").mkdir()
    shutil.copyfile(REPO / "site_config" / "portfolio.yml", root / "site_config" / "portfolio.yml")
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(re.sub(r"(?m)^site_name: .*$", "site_name: Northgate Care Group governance portfolio", text), encoding="utf-8")

    STAFF[:] = _staff(max(40, n // 25))
    width = max(4, len(str(n)))
    n_sources, n_evidence, n_meetings = max(1, n // 5), max(1, n // 2), max(12, n // 50)
    span = (AS_OF - START).days - 10

    # services
    for sid, name, kind, manager, location in SERVICES:
        (content / "services" / f"{sid}.md").write_text(
            f"---\nid: {sid}\ntitle: {name}\nname: {name}\nkind: {kind}\nregistered_manager: {manager}\n"
            f"cqc_location_id: {location}\ntags: [{kind.replace(' ', '-')}]\n---\n{_body(rng, 3)}\n",
            encoding="utf-8",
        )

    # meetings, spread evenly over the two years; three forums
    forums = ["Monthly governance meeting", "Quality and safety committee", "Service governance meeting"]
    meetings = []
    for i in range(n_meetings):
        day = START + timedelta(days=5 + i * span // n_meetings)
        mid = f"MTG-{i + 1:0{width}d}"
        meetings.append((mid, day))
        attendees = "\n".join(f"  - {_person(rng)}" for _ in range(rng.randint(3, 7)))
        (content / "meetings" / f"{mid.lower()}.md").write_text(
            f"---\nid: {mid}\ntitle: {_q(f'{forums[i % 3]}, {day:%B %Y}')}\ndate: {day}\nforum: {forums[i % 3]}\n"
            f"chair: {rng.choice(LEADERS)}\nattendees:\n{attendees}\ntags: [governance]\n---\n"
            + "\n\n".join(f"**{k}. Item {k}.** {_body(rng, 2)}" for k in range(1, rng.randint(3, 6)))
            + "\n",
            encoding="utf-8",
        )

    # actions first in memory (sources and evidence are dated from them)
    per_source = max(1, n // n_sources)
    actions: list[dict[str, Any]] = []
    for i in range(n):
        meeting_index = min(n_meetings - 1, i * n_meetings // n)
        aid = f"ACT-{i + 1:0{width}d}"
        raised = meetings[meeting_index][1]
        actions.append({"id": aid, "raised": raised, "meeting": meetings[meeting_index][0], "source": i // per_source,
                        "topic": rng.randrange(len(TOPICS))})

    # sources: each raised a handful of actions; a few repeat an earlier finding
    source_rows = []
    for j in range(n_sources):
        first = min(j * per_source, n - 1)
        day = max(START, actions[first]["raised"] - timedelta(days=rng.randint(3, 25)))
        service = SERVICES[j % 3][0]
        topic = TOPICS[actions[first]["topic"]]
        repeat = []
        if j >= 30 and rng.random() < 0.06:
            repeat = [f"SRC-{j - rng.randint(10, 30) + 1:0{width}d}"]
        source_rows.append((f"SRC-{j + 1:0{width}d}", day, service, topic))
        kind = rng.choice(SOURCE_KINDS)
        (content / "sources" / f"src-{j + 1:0{width}d}.md").write_text(
            f"---\nid: SRC-{j + 1:0{width}d}\ntitle: {_q(f'{kind.replace(chr(45), chr(32)).capitalize()}, {day:%B %Y}: {topic[1]} not met')}\n"
            f"kind: {kind}\nservice: {service}\ndate: {day}\nidentified_by: {_person(rng)}\n"
            f"quality_statements: [{topic[2]}]\n"
            + (f"repeat_of: {_yaml_list(repeat)}\n" if repeat else "")
            + f"tags: [{topic[0]}]\n---\n{_body(rng, rng.randint(3, 6))}\n",
            encoding="utf-8",
        )

    # evidence: two actions share each item's number; closure and milestone evidence point here
    evidence_rows = []
    attachments = 0
    for e in range(n_evidence):
        owner_action = actions[min(2 * e, n - 1)]
        eid = f"EV-{e + 1:0{width}d}"
        day = min(AS_OF, owner_action["raised"] + timedelta(days=rng.randint(20, 120)))
        evidence_rows.append((eid, day))
        topic = TOPICS[owner_action["topic"]]
        attachment = ""
        if e % 50 == 0:
            folder = content / "evidence" / "attachments"
            folder.mkdir(exist_ok=True)
            (folder / f"{eid.lower()}.csv").write_text("date,checked,met\n" + "".join(f"2026-0{k}-01,20,{15 + k}\n" for k in range(1, 10)), encoding="utf-8")
            attachment = f"file: attachments/{eid.lower()}.csv\n"
            attachments += 1
        (content / "evidence" / f"{eid.lower()}.md").write_text(
            f"---\nid: {eid}\ntitle: {_q(f'{rng.choice(EVIDENCE_KINDS).capitalize()}: {topic[1]}, {day:%B %Y}')}\n"
            f"service: {SERVICES[(owner_action['source']) % 3][0]}\ndate: {day}\ncategory: {rng.choice(CATEGORIES)}\n"
            f"kind: {rng.choice(EVIDENCE_KINDS)}\ncollected_by: {_person(rng)}\n{attachment}"
            f"quality_statements: [{topic[2]}]\n"
            + ("sensitive: true\n" if e % 40 == 7 else "")
            + f"---\n{_body(rng, rng.randint(2, 4))}\n",
            encoding="utf-8",
        )

    statuses: dict[str, int] = {}
    names = [s for s, _ in STATUS_WEIGHTS]
    weights = [w for _, w in STATUS_WEIGHTS]
    for i, a in enumerate(actions):
        raised: date = a["raised"]
        age = (AS_OF - raised).days
        status = rng.choices(names, weights)[0]
        if age < 45 and status in ("closed", "completed", "cancelled"):
            status = "open" if age < 20 else "in-progress"
        lines = _action_front_matter(rng, a, i, status, actions, source_rows, evidence_rows, meetings, width)
        statuses[lines[1]] = statuses.get(lines[1], 0) + 1
        (content / "actions" / f"{a['id'].lower()}.md").write_text(lines[0], encoding="utf-8")
    return Generated(n, n_sources, n_evidence, n_meetings, len(SERVICES), attachments, dict(sorted(statuses.items())))


def _action_front_matter(rng, a, i, status, actions, source_rows, evidence_rows, meetings, width) -> tuple[str, str]:
    raised: date = a["raised"]
    source_id, source_day, service, topic = source_rows[a["source"]]
    sources = [source_id]
    if a["source"] > 0 and rng.random() < 0.1:
        sources.append(source_rows[a["source"] - 1][0])
    owner = "TBC" if rng.random() < 0.03 else _person(rng)
    risk = rng.choices(["low", "medium", "high", "critical"], [25, 45, 24, 6])[0]
    original_due = raised + timedelta(days=rng.choice([30, 45, 60, 90, 120, 180]))
    fm = [
        f"id: {a['id']}", "title: " + _q(topic[1].capitalize() + " (" + a["id"] + ")"), f"service: {service}",
        f"source: {sources[0] if len(sources) == 1 else _yaml_list(sources)}", f"owner: {owner}",
        f"assigned_by: {rng.choice(LEADERS)}", f"raised: {raised}", f"agreed_in: {a['meeting']}",
    ]
    # extension chain: each moves the deadline on, dated before the deadline it moves
    extensions = []
    due = original_due
    for _ in range(rng.choices([0, 1, 2, 3, 4], [58, 20, 11, 7, 4])[0]):
        when = max(raised, due - timedelta(days=rng.randint(3, 20)))
        if when > AS_OF:
            break
        new_due = due + timedelta(days=rng.choice([30, 45, 60, 90]))
        extensions.append((when, due, new_due, rng.choice(LEADERS)))
        due = new_due
    # the action's end, if it has one
    end_limit = AS_OF
    completion = closure = cancellation = None
    if status in ("completed", "closed"):
        done = min(end_limit - timedelta(days=8), raised + timedelta(days=rng.randint(20, 200)))
        done = max(done, raised)
        completion = done
        if status == "closed":
            later = [m for m in meetings if done <= m[1] <= AS_OF]
            closure = (later[0][1], later[0][0]) if later else (min(AS_OF, done + timedelta(days=7)), None)
    elif status == "cancelled":
        cancellation = min(AS_OF, raised + timedelta(days=rng.randint(5, 120)))
    stop = completion or cancellation or AS_OF
    extensions = [x for x in extensions if x[0] <= stop]
    due = extensions[-1][2] if extensions else original_due
    fm += [f"due: {due}", f"risk: {risk}", f"status: {status}", f"quality_statements: [{topic[2]}"
           + (f", {TOPICS[(a['topic'] + 3) % len(TOPICS)][2]}]" if rng.random() < 0.4 else "]")]
    fm.append(f"intended_change: {_q('Staff make sure ' + topic[1] + ', checked by team leaders on every shift.')}")
    fm.append(f"evidence_required: {_q('A re-audit of 20 records with at least 18 meeting the standard, and staff feedback.')}")
    if status in ("completed",) and rng.random() < 0.7:
        fm.append(f"review_date: {(completion or raised) + timedelta(days=rng.choice([60, 90, 180]))}")
    ev_pool = [evidence_rows[k][0] for k in (i // 2, min(len(evidence_rows) - 1, i // 2 + 1))]
    if rng.random() < 0.5:
        fm.append("milestones:")
        for k in range(rng.randint(1, 3)):
            m_due = raised + timedelta(days=15 * (k + 1))
            done_day = m_due - timedelta(days=2) if (status not in ("open",) and m_due - timedelta(days=2) <= stop and rng.random() < 0.8) else None
            fm.append(f"  - title: {_q(['Brief every team', 'Update the form', 'Spot check a sample'][k])}")
            fm.append(f"    due: {m_due}")
            if done_day and done_day >= raised:
                fm.append(f"    done: {done_day}")
                if rng.random() < 0.5:
                    fm.append(f"    evidence: [{ev_pool[0]}]")
    updates = []
    last = raised
    for _ in range(rng.randint(0, 5)):
        last = last + timedelta(days=rng.randint(10, 50))
        if last > stop:
            break
        updates.append(last)
    if updates:
        fm.append("updates:")
        for day in updates:
            fm.append(f"  - date: {day}\n    by: {owner if owner != 'TBC' else _person(rng)}\n    note: {_q(rng.choice(SENTENCES).format(k=20, m=3, month='March'))}")
    if extensions:
        fm.append("extensions:")
        for when, frm, to, who in extensions:
            fm.append(f"  - date: {when}\n    from: {frm}\n    to: {to}\n    reason: {_q('Recruitment and training took longer than planned; the re-audit moves with it.')}\n    approved_by: {who}")
    if status in ("open", "in-progress") and due < AS_OF - timedelta(days=10) and risk in ("high", "critical") and rng.random() < 0.7:
        fm.append(f"escalations:\n  - date: {min(AS_OF, due + timedelta(days=7))}\n    to: {rng.choice(LEADERS)}\n    reason: \"Overdue, high risk: to the board.\"")
    if completion:
        fm.append(f"completion:\n  date: {completion}\n  checked_by: {_person(rng)}\n  note: \"Re-sample of 20 records; 18 met the standard.\"")
    if closure:
        outcome = rng.choices(["effective", "partly-effective", "not-effective"], [86, 9, 5])[0]
        follow = f"ACT-{i + 8:0{width}d}" if i + 7 < len(actions) else None
        if follow is None:
            outcome = "effective"
        fm.append(f"closure:\n  date: {closure[0]}\n  approved_by: {rng.choice(LEADERS)}\n  evidence: {_yaml_list(ev_pool)}\n  outcome: {outcome}")
        if closure[1]:
            fm.append(f"  minutes: {closure[1]}")
        fm.append("  note: \"Closed on the re-audit and staff feedback.\"")
        if outcome != "effective":
            fm.append(f"follow_up: [{follow}]")
    if cancellation:
        fm.append(f"cancellation:\n  date: {cancellation}\n  approved_by: {rng.choice(LEADERS)}\n  reason: \"Superseded by a provider-wide action.\"")
    if rng.random() < 0.05:
        fm.append("measures:\n  - name: Records meeting the standard\n    unit: \"%\"\n"
                  f"    baseline: {{date: {raised}, value: {rng.randint(40, 70)}}}\n    target: 90\n    readings:\n"
                  + "\n".join(f"      - {{date: {raised + timedelta(days=30 * k)}, value: {rng.randint(50, 95)}}}" for k in range(1, 4)))
    if i > 0 and rng.random() < 0.05:
        fm.append(f"related: [{actions[i - 1]['id']}]")
    fm.append(f"tags: [{topic[0]}]")
    return "---\n" + "\n".join(fm) + "\n---\n" + _body(rng, rng.randint(3, 7)) + "\n", status


# -- the plain MkDocs baseline ------------------------------------------------------------------

PLAIN_WRITER = r'''
import shutil, sys, yaml
from pathlib import Path
from generator.mkdocs.engine import mkdocs_config, portfolio_plugin
from generator.pipeline import prepare, parse_as_of
from generator.site.plan import attachments_of, plan_pages, record_uri
from generator.site.render import Renderer

project, out, as_of = Path(sys.argv[1]), Path(sys.argv[2]), parse_as_of(sys.argv[3])
portfolio, _ = prepare(project, as_of)
planned = plan_pages(portfolio, attachments_of(portfolio))
renderer = Renderer({r.key: record_uri(r) for r in portfolio.records.values()})
docs = out / "docs"
for page in planned:
    target = docs / page.uri
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(renderer.render(page.template, page.context), encoding="utf-8")
config = mkdocs_config(project, out / "unused")
plugin = portfolio_plugin(config)
plugin.portfolio = portfolio
nav = plugin._navigation(planned, None)
theme = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]
# The theme features the plugin turns on are the plain build's too.
try:
    from generator.mkdocs.plugin import prunes_navigation
except ImportError:  # a generator from before pruning
    prunes_navigation = lambda option, pages: False
if prunes_navigation(plugin.config.get("prune_navigation"), len(planned)):
    theme["features"] = [*theme.get("features", []), "navigation.prune"]
theme["custom_dir"] = str(Path(sys.argv[4]) / "theme" / "overrides")
# As a person would write it: "/actions/*.md" with the actions' index page let back in, rather
# than one line per page (thousands of patterns, each matched against every file, would make
# MkDocs' own cost grow with the square of the pages and flatter the generator).
folders: dict[str, list[str]] = {}
for p in planned:
    folder, _, name = p.uri.rpartition("/")
    folders.setdefault(folder, [])
    if not p.in_nav:
        folders[folder].append(name)
not_in_nav = []
for folder, hidden in sorted(folders.items()):
    if not hidden:
        continue
    prefix = f"/{folder}/" if folder else "/"
    not_in_nav.append(f"{prefix}*.md")
    not_in_nav += [f"!/{p.uri}" for p in planned if p.in_nav and p.uri.rpartition("/")[0] == folder]
settings = {
    "site_name": "Plain MkDocs, the same pages",
    "docs_dir": "docs",
    "use_directory_urls": False,
    "theme": theme,
    "plugins": ["search"],
    "markdown_extensions": ["tables", {"toc": {"permalink": False}}, "admonition", "attr_list"],
    "extra_css": ["assets/portfolio.css"],
    "extra_javascript": ["assets/portfolio-table.js"],
    "extra": {"generator": False},
    "nav": nav,
    "not_in_nav": "\n".join(not_in_nav),
}
(out / "mkdocs.yml").write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
print(len(planned))
'''


def write_plain(project: Path, out: Path) -> int:
    """The Markdown of every page the generator makes, as hand-written files, and a mkdocs.yml."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "-c", PLAIN_WRITER, str(project), str(out), AS_OF.isoformat(), str(REPO)],
        cwd=REPO, capture_output=True, text=True, check=False, env=child_env(),
    )
    if result.returncode != 0:
        raise SystemExit(f"writing the plain MkDocs pages failed:\n{result.stderr}")
    return int(result.stdout.strip().splitlines()[-1])


# -- measuring ----------------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float  # wall clock
    cpu_seconds: float  # user + system time of the child: steadier than wall clock on a busy machine
    peak_rss_mb: float
    returncode: int


def measure(command: list[str], cwd: Path, log: Path, extra_env: dict[str, str] | None = None) -> Run:
    """Wall clock and peak RSS of one child process (os.wait4 gives that child's own rusage).

    The processes a child forks (``portfolio check`` reads large portfolios with several) are
    counted in: CPU time is theirs added up, ``ru_maxrss`` the largest of them, not their sum.
    """
    env = {**child_env(), **(extra_env or {})}
    with log.open("w", encoding="utf-8") as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode)


def site_figures(site: Path) -> dict[str, Any]:
    pages = [p for p in site.rglob("*.html")]
    html_bytes = sum(p.stat().st_size for p in pages)
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    index = site / "search" / "search_index.json"
    docs = len(json.loads(index.read_text(encoding="utf-8"))["docs"]) if index.is_file() else 0
    biggest = max(pages, key=lambda p: p.stat().st_size)
    return {
        "pages": len(pages),
        "output_bytes": total,
        "html_bytes": html_bytes,
        "search_index_bytes": index.stat().st_size if index.is_file() else 0,
        "search_index_docs": docs,
        "avg_page_bytes": html_bytes // max(1, len(pages)),
        "largest_page": str(biggest.relative_to(site)),
        "largest_page_bytes": biggest.stat().st_size,
    }


SEARCH_PROBE = r"""
import functools, http.server, socketserver, sys, threading, time
from playwright.sync_api import sync_playwright

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=sys.argv[1]))
threading.Thread(target=server.serve_forever, daemon=True).start()
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=sys.argv[2], args=["--no-sandbox"])
    page = browser.new_page()
    start = time.perf_counter()
    page.goto(f"http://127.0.0.1:{server.server_address[1]}/", wait_until="load")
    page.locator(".md-search__input").fill(sys.argv[3])
    # "12 matching documents", or "3.1k matching documents" once there are thousands.
    page.wait_for_function("() => /[\\d.]+k? matching document/.test(document.querySelector('.md-search-result__meta')?.textContent || '')", timeout=300_000)
    print(time.perf_counter() - start)
    browser.close()
server.shutdown()
"""
CHROMIUM = "/usr/bin/chromium"


def search_ready_seconds(site: Path, query: str = "audit") -> float | None:
    """Seconds from opening the home page in Chromium to the first search results: Material's
    search worker fetches search_index.json and builds its index in the browser first. None
    when Playwright or Chromium is not installed."""
    if not Path(CHROMIUM).exists():
        return None
    result = subprocess.run([sys.executable, "-c", SEARCH_PROBE, str(site), CHROMIUM, query], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(f"  (search in the browser not measured: {result.stderr.strip().splitlines()[-1:]})", flush=True)
        return None
    return round(float(result.stdout.strip().splitlines()[-1]), 2)


def portfolio_command() -> list[str]:
    """This checkout's generator (run from the repository), not whichever copy is installed."""
    return [sys.executable, "-m", "generator.cli"]


def mkdocs_command() -> list[str]:
    return [sys.executable, "-m", "mkdocs"]


def child_env() -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(REPO)}
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.seconds)


def bench_size(n: int, work: Path, repeat: int) -> dict[str, Any]:
    project = work / f"portfolio-{n}"
    print(f"\n== N = {n:,} actions ==", flush=True)
    started = time.perf_counter()
    generated = write_portfolio(project, n)
    files = sum(1 for _ in (project / "content").rglob("*.md"))
    print(f"wrote {files:,} record files in {time.perf_counter() - started:.1f} s: {asdict(generated)}", flush=True)

    check = best(check_runs(project, work, n, repeat))
    print(f"portfolio check: {check.seconds:.2f} s, {check.peak_rss_mb:.0f} MB", flush=True)

    plain = work / f"plain-{n}"
    plain_pages = write_plain(project, plain)
    builds: list[Run] = []
    plains: list[Run] = []
    for k in range(repeat):
        # Alternate the two, so neither gets a warmer cache.
        site = work / f"site-{n}"
        run = measure([*portfolio_command(), "--project", str(project), "build", "--as-of", AS_OF.isoformat(), "--site-dir", str(site)],
                      REPO, work / f"build-{n}.log")
        if run.returncode != 0:
            raise SystemExit(f"portfolio build failed for N={n}; see {work / f'build-{n}.log'}")
        builds.append(run)
        plain_site = work / f"plain-site-{n}"
        prun = measure([*mkdocs_command(), "build", "-q", "-f", str(plain / "mkdocs.yml"), "-d", str(plain_site)], plain, work / f"plain-{n}.log")
        if prun.returncode != 0:
            raise SystemExit(f"plain mkdocs build failed for N={n}; see {work / f'plain-{n}.log'}")
        plains.append(prun)
        print(f"  run {k + 1}: portfolio build {run.seconds:.1f} s ({run.peak_rss_mb:.0f} MB); "
              f"plain mkdocs {prun.seconds:.1f} s ({prun.peak_rss_mb:.0f} MB)", flush=True)
    build, base = best(builds), best(plains)
    records = files
    search_ready = search_ready_seconds(work / f"site-{n}")
    if search_ready is not None:
        print(f"  search in Chromium: first results {search_ready:.1f} s after opening the site", flush=True)
    return {
        "actions": n,
        "records": records,
        "generated": asdict(generated),
        "check_seconds": round(check.seconds, 2),
        "check_peak_rss_mb": round(check.peak_rss_mb, 1),
        "portfolio": {"seconds": round(build.seconds, 2), "cpu_seconds": round(build.cpu_seconds, 2),
                      "peak_rss_mb": round(build.peak_rss_mb, 1), "search_ready_seconds": search_ready,
                      "all_seconds": [round(r.seconds, 2) for r in builds], **site_figures(work / f"site-{n}")},
        "plain_mkdocs": {"seconds": round(base.seconds, 2), "cpu_seconds": round(base.cpu_seconds, 2),
                         "peak_rss_mb": round(base.peak_rss_mb, 1),
                         "all_seconds": [round(r.seconds, 2) for r in plains], "markdown_pages": plain_pages,
                         **site_figures(work / f"plain-site-{n}")},
        "ratio": round(build.seconds / base.seconds, 3),
        "cpu_ratio": round(build.cpu_seconds / base.cpu_seconds, 3),
        "ms_per_record": round(1000 * build.seconds / records, 3),
    }


def check_runs(project: Path, work: Path, n: int, repeat: int, processes: int | None = None) -> list[Run]:
    """``portfolio check`` run ``repeat`` times; ``processes`` sets PORTFOLIO_PROCESSES (None: the
    generator decides)."""
    runs = []
    for _ in range(repeat):
        env = {"PORTFOLIO_PROCESSES": str(processes)} if processes else {}
        run = measure([*portfolio_command(), "--project", str(project), "check"], REPO, work / f"check-{n}.log", env)
        if run.returncode != 0:
            raise SystemExit(f"portfolio check failed for N={n}; see {work / f'check-{n}.log'}")
        runs.append(run)
    return runs


def bench_check(n: int, work: Path, repeat: int) -> dict[str, Any]:
    """``portfolio check`` alone, as the generator runs it and in one process, alternated."""
    project = work / f"portfolio-{n}"
    print(f"\n== N = {n:,} actions: portfolio check ==", flush=True)
    write_portfolio(project, n)
    records = sum(1 for _ in (project / "content").rglob("*.md"))
    default: list[Run] = []
    single: list[Run] = []
    for _ in range(repeat):
        default += check_runs(project, work, n, 1)
        single += check_runs(project, work, n, 1, processes=1)
    print(f"  as run: {', '.join(f'{r.seconds:.2f}' for r in default)} s; "
          f"one process: {', '.join(f'{r.seconds:.2f}' for r in single)} s", flush=True)

    def figures(runs: list[Run]) -> dict[str, Any]:
        times = sorted(r.seconds for r in runs)
        return {"best_seconds": round(times[0], 2), "median_seconds": round(times[len(times) // 2], 2),
                "all_seconds": [round(r.seconds, 2) for r in runs], "cpu_seconds": round(best(runs).cpu_seconds, 2),
                "peak_rss_mb": round(max(r.peak_rss_mb for r in runs), 1)}

    return {"actions": n, "records": records, "check": figures(default), "check_one_process": figures(single)}


def check_table(rows: list[dict[str, Any]]) -> str:
    head = ["N actions", "records", "check, best", "check, median", "one process, best", "one process, median", "peak RSS"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        c, o = r["check"], r["check_one_process"]
        lines.append("| " + " | ".join([
            f"{r['actions']:,}", f"{r['records']:,}", f"{c['best_seconds']:.2f} s", f"{c['median_seconds']:.2f} s",
            f"{o['best_seconds']:.2f} s", f"{o['median_seconds']:.2f} s", f"{c['peak_rss_mb']:.0f} MB",
        ]) + " |")
    return "\n".join(lines)


# -- portfolio serve ----------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def bench_serve(n: int, work: Path, edits: int) -> dict[str, Any]:
    """Time from saving an edited record to the rebuilt page being served, under portfolio serve."""
    project = work / f"portfolio-{n}"
    if not project.is_dir():
        write_portfolio(project, n)
    width = max(4, len(str(n)))
    record = project / "content" / "actions" / f"act-{1:0{width}d}.md"
    original = record.read_text(encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/actions/act-{1:0{width}d}.html"
    lines: list[tuple[float, str]] = []
    child = subprocess.Popen(
        [*portfolio_command(), "--project", str(project), "serve", "--as-of", AS_OF.isoformat(), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=child_env(),
    )

    def read_stderr() -> None:
        assert child.stderr is not None
        for line in child.stderr:
            lines.append((time.perf_counter(), line.rstrip("\n")))

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    results: dict[str, Any] = {"actions": n, "edits": []}
    try:
        start = time.perf_counter()
        while _get(url) is None:
            if child.poll() is not None or time.perf_counter() - start > 600:
                raise SystemExit("portfolio serve did not start:\n" + "\n".join(text for _, text in lines))
            time.sleep(0.2)
        results["first_build_seconds"] = round(time.perf_counter() - start, 2)
        time.sleep(2)  # let the watcher settle
        for k in range(1, edits + 1):
            marker = f"Edited for the benchmark {k}"
            rebuilt_before = sum(1 for _, text in lines if text.startswith("Rebuilt as of"))
            saved = time.perf_counter()
            record.write_text(original.replace("\ntitle: ", f"\ntitle: {marker}, ", 1), encoding="utf-8")
            shown = done = None
            while time.perf_counter() - saved < 300:
                if shown is None:
                    page = _get(url)
                    if page and marker in page:
                        shown = time.perf_counter() - saved
                finished = [t for t, text in lines if text.startswith("Rebuilt as of")]
                if done is None and len(finished) > rebuilt_before:
                    done = finished[rebuilt_before] - saved
                if shown is not None and done is not None:
                    break
                time.sleep(0.02)
            results["edits"].append({"page_shows_edit_seconds": round(shown, 2) if shown else None,
                                     "rebuild_finished_seconds": round(done, 2) if done else None})
            print(f"  serve edit {k}: page shows it after {shown:.2f} s, rebuild finished after {done:.2f} s", flush=True)
            time.sleep(1.5)
    finally:
        record.write_text(original, encoding="utf-8")
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
    shows = sorted(e["page_shows_edit_seconds"] for e in results["edits"] if e["page_shows_edit_seconds"])
    dones = sorted(e["rebuild_finished_seconds"] for e in results["edits"] if e["rebuild_finished_seconds"])
    results["median_page_shows_edit_seconds"] = shows[len(shows) // 2] if shows else None
    results["median_rebuild_finished_seconds"] = dones[len(dones) // 2] if dones else None
    return results


# -- report -------------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    from importlib.metadata import version

    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(), "cpu": cpu, "memory": memory, "platform": platform.platform(),
        "python": platform.python_version(), "mkdocs": version("mkdocs"), "mkdocs_material": version("mkdocs-material"),
        "jinja2": version("jinja2"), "markdown": version("markdown"), "pyyaml": version("pyyaml"),
    }


def table(rows: list[dict[str, Any]]) -> str:
    def mb(value: float) -> str:
        return f"{value / 1e6:,.1f} MB"

    head = ["N actions", "records", "build", "plain MkDocs", "ratio", "CPU ratio", "ms/record", "pages", "output",
            "search index", "search ready", "avg page", "largest page", "peak RSS", "plain peak RSS", "check"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        p, b = r["portfolio"], r["plain_mkdocs"]
        lines.append("| " + " | ".join([
            f"{r['actions']:,}", f"{r['records']:,}", f"{p['seconds']:.1f} s", f"{b['seconds']:.1f} s", f"{r['ratio']:.2f}x",
            f"{r['cpu_ratio']:.2f}x", f"{r['ms_per_record']:.2f}", f"{p['pages']:,}", mb(p["output_bytes"]), mb(p["search_index_bytes"]),
            f"{p['search_ready_seconds']:.1f} s" if p.get("search_ready_seconds") is not None else "-",
            f"{p['avg_page_bytes'] / 1000:.1f} KB", f"{p['largest_page_bytes'] / 1000:.0f} KB", f"{p['peak_rss_mb']:.0f} MB",
            f"{b['peak_rss_mb']:.0f} MB", f"{r['check_seconds']:.2f} s",
        ]) + " |")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        lines.append("")
        lines.append(f"Cost per record at {last['actions']:,} actions is {last['ms_per_record'] / first['ms_per_record']:.2f}x "
                     f"that at {first['actions']:,}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000], metavar="N", help="numbers of actions (default: 500 2000 10000)")
    parser.add_argument("--repeat", type=int, default=1, help="builds per size; the fastest is reported (default 1)")
    parser.add_argument("--serve-size", type=int, default=None, metavar="N", help="measure portfolio serve edits at N actions (default 2000 if among --sizes; 0 skips)")
    parser.add_argument("--serve-edits", type=int, default=3, help="edits timed under serve (default 3)")
    parser.add_argument("--workdir", help="where to write the portfolios and sites (default: a temporary folder, removed)")
    parser.add_argument("--label", default="", help="a word added to the results file name")
    parser.add_argument("--no-save", action="store_true", help="print the table only")
    parser.add_argument("--check-only", action="store_true", help="time portfolio check alone, --repeat times (as run, and in one process)")
    args = parser.parse_args(argv)
    if args.check_only:
        return main_check(args, argv)

    serve_size = args.serve_size if args.serve_size is not None else (2000 if 2000 in args.sizes else 0)
    rows, serve = [], None
    with work_dir(args, "portfolio-scale-") as work:
        for n in sorted(args.sizes):
            rows.append(bench_size(n, work, args.repeat))
        if serve_size:
            print(f"\n== portfolio serve at N = {serve_size:,} ==", flush=True)
            serve = bench_serve(serve_size, work, args.serve_edits)
    report = {"command": command_line(argv), "as_of": AS_OF.isoformat(), "machine": machine(), "sizes": rows, "serve": serve}
    print("\n" + table(rows))
    if serve:
        print(f"\nportfolio serve at {serve['actions']:,} actions: first build {serve['first_build_seconds']:.1f} s; "
              f"an edit shows after {serve['median_page_shows_edit_seconds']} s (median), "
              f"rebuild finished after {serve['median_rebuild_finished_seconds']} s")
    m = report["machine"]
    print(f"\nMachine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']}, Python {m['python']}, MkDocs {m['mkdocs']}, Material {m['mkdocs_material']}")
    if not args.no_save:
        save(report, "scale", args)
    return 0


@contextmanager
def work_dir(args: argparse.Namespace, prefix: str) -> Iterator[Path]:
    """``--workdir``, kept; or a temporary folder, removed afterwards."""
    work = Path(args.workdir).resolve() if args.workdir else Path(tempfile.mkdtemp(prefix=prefix))
    work.mkdir(parents=True, exist_ok=True)
    try:
        yield work
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


def command_line(argv: list[str] | None) -> str:
    """The command that reproduces a report."""
    return "python benchmarks/scale.py " + " ".join(argv if argv is not None else sys.argv[1:])


def save(report: dict[str, Any], kind: str, args: argparse.Namespace, results: Path = RESULTS) -> Path:
    """``benchmarks/results/<kind>-<sizes>[-<label>].json``, or with ``-2``, ``-3``... before
    ``.json`` when that file exists: a measurement is never written over another."""
    results.mkdir(exist_ok=True)
    stem = f"{kind}-" + "-".join(str(n) for n in sorted(args.sizes)) + (f"-{args.label}" if args.label else "")
    path, number = results / f"{stem}.json", 1
    while path.exists():
        number += 1
        path = results / f"{stem}-{number}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {path}")
    return path


def main_check(args: argparse.Namespace, argv: list[str] | None) -> int:
    with work_dir(args, "portfolio-check-") as work:
        rows = [bench_check(n, work, max(1, args.repeat)) for n in sorted(args.sizes)]
    report = {"command": command_line(argv), "machine": machine(), "check_sizes": rows}
    print("\n" + check_table(rows))
    m = report["machine"]
    print(f"\nMachine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']}, Python {m['python']}")
    if not args.no_save:
        save(report, "check", args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
