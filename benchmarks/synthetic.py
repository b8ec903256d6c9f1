"""The synthetic portfolio the scale benchmark builds: a large provider group's records.

``write_portfolio(root, n)`` writes a valid portfolio in the spec's format under ``root``
(content/, site_config/, mkdocs.yml): n actions with a realistic mix of statuses, extension
chains, milestones, updates, escalations, closures with evidence, follow-ups, measures, repeat
findings and flags; n/5 sources, n/2 evidence items (a few with attachments), n/50 meetings (at
least 12), three services. The same n always gives the same files.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import textwrap
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
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
