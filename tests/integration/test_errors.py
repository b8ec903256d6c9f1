"""Broken input, through the real command: exit status, the exact problem line, and a site left alone.

Each case starts from the shared ``minimal_project`` with a site already built from it, breaks
one thing the way a user would, and runs ``portfolio build`` (click's CliRunner, in-process, for
speed; a few cases also run as a real process). The expected ``PATH:LINE: FIELD:`` prefixes come
from the spec (section 4) and the field labels of generator/validate.py.

Line numbers of the minimal project's files (line 1 is the opening ``---``):

content/actions/act-1.md   2 id, 3 title, 4 source, 5 owner, 6 raised, 7 agreed_in, 8 due, 9 risk,
                           10 status, 11 quality_statements, 12 completion, 13 closure; a key
                           added by ``add`` lands on line 14
content/sources/aud-1.md   2 id, 3 title, 4 kind, 5 date, 6 quality_statements
content/meetings/mtg-1.md  2 id, 3 title, 4 date, 5 forum, 6 chair
content/evidence/ev-1.md   2 id, 3 title, 4 date, 5 category, 6 quality_statements; added: 7
content/services/home.md   2 id, 3 title, 4 kind
site_config/portfolio.yml  1 provider, 2 framework, 3 thresholds, 4 due_soon_days, ...
mkdocs.yml                 7 use_directory_urls, 9 theme
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

from .conftest import clean_env, run_portfolio, tree_digest

AS_OF = "2026-04-01"
ACT = "content/actions/act-1.md"
AUD = "content/sources/aud-1.md"
MTG = "content/meetings/mtg-1.md"
EV = "content/evidence/ev-1.md"
PROBLEM_LINE = re.compile(r"^[^\s:][^:]*:\d+: [^:]+: .+")


# -- ways to break a project -------------------------------------------------------------------

Mutation = Callable[[Path], None]


def edit(rel: str, old: str, new: str) -> Mutation:
    def apply(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} not found once in {rel}"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return apply


def drop_line(rel: str, start: str) -> Mutation:
    def apply(root: Path) -> None:
        path = root / rel
        lines = path.read_text(encoding="utf-8").split("\n")
        kept = [line for line in lines if not line.startswith(start)]
        assert len(kept) == len(lines) - 1, f"no single line starting {start!r} in {rel}"
        path.write_text("\n".join(kept), encoding="utf-8")
    return apply


def add(rel: str, *lines: str) -> Mutation:
    """Add front matter lines just before the closing ``---``."""
    def apply(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        head, sep, body = text.partition("\n---\n")
        assert sep, rel
        path.write_text(head + "\n" + "\n".join(lines) + sep + body, encoding="utf-8")
    return apply


def write(rel: str, data: str | bytes) -> Mutation:
    def apply(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return apply


def delete(rel: str) -> Mutation:
    def apply(root: Path) -> None:
        (root / rel).unlink()
    return apply


def symlink(rel: str, target: str) -> Mutation:
    def apply(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
    return apply


def both(*mutations: Mutation) -> Mutation:
    def apply(root: Path) -> None:
        for mutation in mutations:
            mutation(root)
    return apply


@dataclass
class Case:
    id: str
    mutate: Mutation
    expect: list[str]  # problem-line prefixes, "PATH:LINE: FIELD: "
    suggest: str | None = None  # "did you mean 'X'?" on the first expected line
    exit: int = 1
    says: str | None = None  # a word the first expected line must contain


def case(id: str, mutate: Mutation, *expect: str, suggest: str | None = None, exit: int = 1, says: str | None = None) -> Case:
    return Case(id, mutate, list(expect), suggest, exit, says)


TWO_EXTENSIONS = (
    "extensions:",
    "  - {date: 2026-01-20, from: 2026-01-31, to: 2026-02-14, reason: Supplier delay}",
    "  - {date: 2026-02-10, from: 2026-02-15, to: 2026-02-28, reason: Staff sickness}",
)

CASES = [
    # dates (spec 2: anything but YYYY-MM-DD is an error, never a guess)
    case("date-with-slashes", edit(ACT, "raised: 2026-01-15", "raised: 15/01/2026"), f"{ACT}:6: raised: ", says="15/01/2026"),
    case("date-that-does-not-exist", edit(ACT, "due: 2026-02-28", "due: 2026-02-30"), f"{ACT}:8: due: ", says="2026-02-30"),
    case("date-in-words", edit(AUD, "date: 2026-01-10", "date: March 2026"), f"{AUD}:5: date: ", says="March 2026"),
    case("date-not-zero-padded", edit(MTG, "date: 2026-01-15", "date: 2026-1-15"), f"{MTG}:4: date: ", says="2026-1-15"),
    case(
        "date-inside-an-extension",
        add(ACT, "extensions:", "  - {date: 2026-01-20, from: 2026/01/31, to: 2026-02-28, reason: Supplier delay}"),
        f"{ACT}:15: extensions[1].from: ",
    ),
    case("date-inside-completion", edit(ACT, "completion: {date: 2026-02-20", "completion: {date: 20 Feb 2026"), f"{ACT}:12: completion.date: "),
    # required fields
    case("action-without-owner", drop_line(ACT, "owner:"), f"{ACT}:1: owner: "),
    case("action-without-raised", drop_line(ACT, "raised:"), f"{ACT}:1: raised: "),
    case("action-without-source", drop_line(ACT, "source:"), f"{ACT}:1: source: "),
    case("action-without-statements", drop_line(ACT, "quality_statements:"), f"{ACT}:1: quality_statements: "),
    case("action-with-empty-statements", edit(ACT, "quality_statements: [medicines-optimisation]", "quality_statements: []"), f"{ACT}:11: quality_statements: "),
    case("source-without-title", drop_line(AUD, "title:"), f"{AUD}:1: title: "),
    case("evidence-without-category", drop_line(EV, "category:"), f"{EV}:1: category: "),
    case("meeting-without-forum", drop_line(MTG, "forum:"), f"{MTG}:1: forum: "),
    case("empty-id", edit("content/services/home.md", "id: home", 'id: ""'), "content/services/home.md:2: id: "),
    case("id-with-a-space", edit(ACT, "id: ACT-1", "id: ACT 1"), f"{ACT}:2: id: ", says="ACT 1"),
    # enumerations, with the nearest value suggested
    case("unknown-status", edit(ACT, "status: closed", "status: closd"), f"{ACT}:10: status: ", suggest="closed"),
    case("unknown-risk", edit(ACT, "risk: medium", "risk: hihg"), f"{ACT}:9: risk: ", suggest="high"),
    case("unknown-source-kind", edit(AUD, "kind: audit", "kind: adit"), f"{AUD}:4: kind: ", suggest="audit"),
    case("unknown-evidence-category", edit(EV, "category: processes", "category: process"), f"{EV}:5: category: ", suggest="processes"),
    case("unknown-closure-outcome", edit(ACT, "outcome: effective", "outcome: efective"), f"{ACT}:13: closure.outcome: ", suggest="effective"),
    # rule 5: extensions form a chain ending at `due`, each with a reason
    case("extension-chain-broken", add(ACT, *TWO_EXTENSIONS), f"{ACT}:16: extensions[2].from: ", says="2026-02-14"),
    case(
        "last-extension-does-not-reach-due",
        add(ACT, "extensions:", "  - {date: 2026-01-20, from: 2026-01-31, to: 2026-02-21, reason: Supplier delay}"),
        f"{ACT}:15: extensions[1].to: ",
    ),
    case(
        "extension-without-reason",
        add(ACT, "extensions:", "  - {date: 2026-01-20, from: 2026-01-31, to: 2026-02-28}"),
        f"{ACT}:15: extensions[1].reason: ",
    ),
    # rules 1-3: what each status needs
    case("closed-without-closure-evidence", edit(ACT, "evidence: [EV-1], ", ""), f"{ACT}:13: closure.evidence: "),
    case("closed-with-empty-closure-evidence", edit(ACT, "evidence: [EV-1]", "evidence: []"), f"{ACT}:13: closure.evidence: "),
    case("closed-without-closure", drop_line(ACT, "closure:"), f"{ACT}:1: closure: "),
    case("closed-without-completion", drop_line(ACT, "completion:"), f"{ACT}:1: completion: "),
    case("not-effective-without-follow-up", edit(ACT, "outcome: effective", "outcome: not-effective"), f"{ACT}:13: closure.outcome: ", says="follow_up"),
    case("completed-without-completion", both(edit(ACT, "status: closed", "status: completed"), drop_line(ACT, "completion:")), f"{ACT}:1: completion: "),
    case("cancelled-without-cancellation", edit(ACT, "status: closed", "status: cancelled"), f"{ACT}:1: cancellation: "),
    case(
        "cancellation-without-reason",
        both(edit(ACT, "status: closed", "status: cancelled"), add(ACT, "cancellation: {date: 2026-03-01, approved_by: Sam Patel}")),
        f"{ACT}:14: cancellation.reason: ",
    ),
    # rule 4: nothing before `raised`; completion before closure
    case("update-before-raised", add(ACT, "updates:", "  - {date: 2026-01-02, by: Jo Evans, note: Started early}"), f"{ACT}:15: updates[1].date: "),
    case("completion-after-closure", edit(ACT, "completion: {date: 2026-02-20", "completion: {date: 2026-03-05"), f"{ACT}:12: completion.date: "),
    # rule 6: every id resolves, to the right kind, with the nearest id suggested
    case("misspelt-source-id", edit(ACT, "source: AUD-1", "source: AUD-11"), f"{ACT}:4: source: ", suggest="AUD-1", says="AUD-11"),
    case("misspelt-meeting-id", edit(ACT, "agreed_in: MTG-1", "agreed_in: MTG-2"), f"{ACT}:7: agreed_in: ", suggest="MTG-1"),
    case("misspelt-closure-evidence-id", edit(ACT, "evidence: [EV-1]", "evidence: [EV-2]"), f"{ACT}:13: closure.evidence: ", suggest="EV-1"),
    case("misspelt-closure-minutes-id", edit(ACT, "minutes: MTG-1", "minutes: MTG-11"), f"{ACT}:13: closure.minutes: ", suggest="MTG-1"),
    case(
        "misspelt-milestone-evidence-id",
        add(ACT, "milestones:", "  - title: Charts checked", "    due: 2026-02-01", "    done: 2026-02-01", "    evidence: [EV-10]"),
        f"{ACT}:18: milestones[1].evidence: ", suggest="EV-1",
    ),
    case("misspelt-service-id", add(ACT, "service: hom"), f"{ACT}:14: service: ", suggest="home"),
    case("source-names-evidence", edit(ACT, "source: AUD-1", "source: EV-1"), f"{ACT}:4: source: ", says="not a source"),
    case("agreed-in-names-a-source", edit(ACT, "agreed_in: MTG-1", "agreed_in: AUD-1"), f"{ACT}:7: agreed_in: ", says="not a meeting"),
    case("closure-evidence-names-a-meeting", edit(ACT, "evidence: [EV-1]", "evidence: [MTG-1]"), f"{ACT}:13: closure.evidence: ", says="not an evidence"),
    case(
        "follow-up-names-a-source",
        both(edit(ACT, "outcome: effective", "outcome: partly-effective"), add(ACT, "follow_up: [AUD-1]")),
        f"{ACT}:14: follow_up: ", says="not an action",
    ),
    case(
        "duplicate-id-differing-in-case",
        write("content/evidence/ev-2.md", "---\nid: ev-1\ntitle: Another re-audit\ndate: 2026-02-21\ncategory: processes\n---\nText.\n"),
        "content/evidence/ev-2.md:2: id: ", says="content/evidence/ev-1.md",
    ),
    # statements of the framework
    case(
        "unknown-statement-on-an-action",
        edit(ACT, "quality_statements: [medicines-optimisation]", "quality_statements: [medicine-optimisation]"),
        f"{ACT}:11: quality_statements[1]: ", suggest="medicines-optimisation",
    ),
    case(
        "unknown-statement-on-a-source",
        edit(AUD, "quality_statements: [medicines-optimisation]", "quality_statements: [safeguarding, medicines-optimization]"),
        f"{AUD}:6: quality_statements[2]: ", suggest="medicines-optimisation",
    ),
    # two services: actions and sources must say which
    case(
        "missing-service-with-two-services",
        write("content/services/annexe.md", "---\nid: annexe\ntitle: The Annexe\nkind: supported living\n---\n"),
        f"{ACT}:1: service: ", f"{AUD}:1: service: ",
    ),
    # files that cannot be read as records
    case("yaml-syntax-error", edit(ACT, "title: Weekly MAR chart checks", "title: Weekly MAR: chart checks"), f"{ACT}:3: front matter: "),
    case("key-given-twice", add(ACT, "title: Weekly MAR chart checks again"), f"{ACT}:14: title: "),
    case("unclosed-front-matter", edit(ACT, "\n---\nNarrative.", "\nNarrative."), f"{ACT}:1: front matter: "),
    case("no-front-matter", write("content/meetings/notes.md", "# Notes from the away day\n\nNo front matter here.\n"), "content/meetings/notes.md:1: front matter: "),
    case("empty-front-matter", write("content/meetings/notes.md", "---\n---\nMinutes.\n"), "content/meetings/notes.md:1: front matter: "),
    case(
        "not-utf-8",
        write(ACT, "---\nid: ACT-1\ntitle: Caf\u00e9 MAR chart checks\n---\n".encode("latin-1")),
        f"{ACT}:3: file: ", says="UTF-8",
    ),
    case("binary-file", write("content/evidence/scan.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"), "content/evidence/scan.md:1: file: "),
    # attachments stay inside content/
    case("attachment-outside-content", add(EV, "file: ../../mkdocs.yml"), f"{EV}:7: file: ", says="outside content/"),
    case(
        "attachment-symlink-leading-outside-content",
        both(symlink("content/evidence/attachments/hosts.csv", "/etc/hosts"), add(EV, "file: attachments/hosts.csv")),
        f"{EV}:7: file: ", says="outside content/",
    ),
    case("attachment-absolute-path", add(EV, "file: /etc/hostname"), f"{EV}:7: file: "),
    case(
        "attachment-misspelt",
        both(write("content/evidence/attachments/audit-report.pdf", b"%PDF-1.4\n"), add(EV, "file: attachments/audit-reprot.pdf")),
        f"{EV}:7: file: ", suggest="audit-report.pdf",
    ),
    # measures hold numbers
    case(
        "measure-reading-not-a-number",
        add(ACT, "measures:", "  - name: Unexplained gaps", "    unit: gaps", "    readings:", "      - {date: 2026-02-01, value: lots}"),
        f"{ACT}:18: measures[1].readings[1].value: ",
    ),
    # a problem is one line, even when the value quoted in it was written over several lines
    case("status-written-over-two-lines", edit(ACT, "status: closed", "status: |\n  closed\n  finished"), f"{ACT}:10: status: "),
    case("source-id-with-a-line-break", edit(ACT, "source: AUD-1", 'source: "AUD-1\\nAUD-2"'), f"{ACT}:4: source: "),
    case("date-with-a-line-break", edit(ACT, "raised: 2026-01-15", 'raised: "15/01\\n2026"'), f"{ACT}:6: raised: "),
    # broken configuration: exit 2
    case("missing-portfolio-yml", delete("site_config/portfolio.yml"), "site_config/portfolio.yml:1: portfolio.yml: ", exit=2),
    case(
        "portfolio-yml-yaml-error",
        edit("site_config/portfolio.yml", "provider: Test Care Ltd", "provider: Test: Care Ltd"),
        "site_config/portfolio.yml:1: ", says="invalid YAML", exit=2,
    ),
    case("portfolio-yml-without-provider", drop_line("site_config/portfolio.yml", "provider:"), "site_config/portfolio.yml:1: provider: ", exit=2),
    case(
        "unknown-framework",
        edit("site_config/portfolio.yml", "framework: cqc-saf-2023", "framework: cqc-saf-2032"),
        "site_config/portfolio.yml:2: framework: ", suggest="cqc-saf-2023", exit=2,
    ),
    case(
        "threshold-not-a-number",
        edit("site_config/portfolio.yml", "due_soon_days: 14", "due_soon_days: fortnight"),
        "site_config/portfolio.yml:4: thresholds.due_soon_days: ", exit=2,
    ),
    case(
        "framework-with-a-statement-twice",
        write(
            "site_config/frameworks/cqc-saf-2023.yml",
            "id: cqc-saf-2023\nname: Cut-down framework\nkey_questions:\n  - id: safe\n    title: Safe\n    statements:\n"
            "      - id: medicines-optimisation\n        title: Medicines optimisation\n"
            "      - id: medicines-optimisation\n        title: Medicines again\n",
        ),
        "site_config/frameworks/cqc-saf-2023.yml:9: key_questions[1].statements[2].id: ", exit=2,
    ),
    case(
        "mkdocs-yml-yaml-error",
        edit("mkdocs.yml", "use_directory_urls: false ", "use_directory_urls: false: true "),
        "mkdocs.yml:7: ", exit=2,
    ),
]

# Valid input that looks unusual: a byte-order mark with Windows line endings, old Mac line endings.
def bom_and_crlf(root: Path, rel: str) -> None:
    (root / rel).write_bytes(b"\xef\xbb\xbf" + (root / rel).read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))


def cr_only(root: Path, rel: str) -> None:
    (root / rel).write_bytes((root / rel).read_text(encoding="utf-8").replace("\n", "\r").encode("utf-8"))


UNNAMED_OWNERS = {"empty-string": 'owner: ""', "empty-value": "owner:", "placeholder": "owner: TBC", "bare-role": "owner: Deputy manager"}


# -- running ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site_cache(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {"dir": tmp_path_factory.mktemp("minimal-site")}


@pytest.fixture
def built(minimal_project, site_cache) -> Path:
    """The minimal project with a site already built from it by `portfolio build`.

    The first test builds it for real; later tests get a copy of that build (the same content
    always builds to the same bytes, which test_build checks).
    """
    root = minimal_project.root
    cached = site_cache["dir"] / "site"
    if not cached.exists():
        result = invoke("--project", str(root), "build", "--as-of", AS_OF)
        assert result.exit_code == 0, result.output
        shutil.copytree(root / "site", cached)
        site_cache["digest"] = tree_digest(cached)  # type: ignore[assignment]
    else:
        shutil.copytree(cached, root / "site")
    assert (root / "site" / "actions" / "act-1.html").is_file()
    return root


@pytest.fixture
def site_before(built: Path, site_cache) -> dict[str, str]:
    """What the site held before the broken build (the cached build's digest)."""
    return site_cache["digest"]


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), env={"SOURCE_DATE_EPOCH": None}, catch_exceptions=True)
    # an exception escaping the command would be a traceback for the user
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def output_lines(result: Result) -> list[str]:
    return (result.stdout + result.stderr).splitlines()


def assert_reported(lines: list[str], prefix: str, *, suggest: str | None = None, says: str | None = None) -> str:
    matching = [line for line in lines if line.startswith(prefix)]
    assert matching, f"no line starts with {prefix!r}; output was:\n" + "\n".join(lines)
    if suggest is not None:
        assert any(f"did you mean '{suggest}'?" in line for line in matching), f"no suggestion of {suggest!r} in {matching}"
    if says is not None:
        assert any(says in line for line in matching), f"{says!r} not in {matching}"
    return matching[0]


def project_listing(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir())


@pytest.mark.parametrize("broken", CASES, ids=[c.id for c in CASES])
def test_broken_input_is_reported_and_the_site_is_left_alone(built: Path, site_before: dict[str, str], broken: Case):
    broken.mutate(built)
    listing = project_listing(built)
    result = invoke("--project", str(built), "build", "--as-of", AS_OF)
    text = result.stdout + result.stderr
    assert "Traceback" not in text
    assert result.exit_code == broken.exit, text
    lines = output_lines(result)
    for index, prefix in enumerate(broken.expect):
        assert_reported(lines, prefix, suggest=broken.suggest if index == 0 else None, says=broken.says if index == 0 else None)
    # a problem is one line: nothing but problem lines and the closing summary
    assert [line for line in lines if line.strip() and not PROBLEM_LINE.match(line) and not line.startswith("portfolio: ")] == []
    assert tree_digest(built / "site") == site_before, "a failed build changed the site that was there"
    assert project_listing(built) == listing, "a failed build left something behind in the project"


@pytest.mark.parametrize("broken", [c for c in CASES if c.exit == 1], ids=[c.id for c in CASES if c.exit == 1])
def test_check_reports_the_same_problem(minimal_project, broken: Case):
    root = minimal_project.root
    broken.mutate(root)
    before = tree_digest(root)
    result = invoke("--project", str(root), "check")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for index, prefix in enumerate(broken.expect):
        # `portfolio check` prints problems on standard output
        assert_reported(result.stdout.splitlines(), prefix, suggest=broken.suggest if index == 0 else None)
    # one problem per line
    assert [line for line in result.stdout.splitlines() if line.strip() and not PROBLEM_LINE.match(line)] == []
    assert tree_digest(root) == before  # check writes nothing


def test_ids_in_another_case_resolve_and_unknown_fields_only_warn(built: Path):
    """Spec 2: ids compare case-insensitively. An unknown field is a warning with a suggestion, not an error."""
    both(
        edit(ACT, "source: AUD-1", "source: aud-1"),
        edit(ACT, "evidence: [EV-1]", "evidence: [ev-1]"),
        edit(ACT, "agreed_in: MTG-1", "agreed_in: mtg-1"),
        add(ACT, "owner_name: Jo Evans"),
    )(built)
    result = invoke("--project", str(built), "build", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    warning = assert_reported(result.stderr.splitlines(), f"{ACT}:14: owner_name: ", suggest="owner")
    assert "warning" in warning
    page = (built / "site" / "actions" / "act-1.html").read_text(encoding="utf-8")
    for target in ("../sources/aud-1.html", "../evidence/ev-1.html", "../meetings/mtg-1.html"):
        assert f'href="{target}"' in page
    assert 'href="../actions/act-1.html"' in (built / "site" / "sources" / "aud-1.html").read_text(encoding="utf-8")


def test_check_validates_mkdocs_yml_too(minimal_project):
    """Spec 4: `portfolio check` validates everything; a mkdocs.yml that stops `build` (exit 2) must not pass `check`."""
    root = minimal_project.root
    edit("mkdocs.yml", "use_directory_urls: false ", "use_directory_urls: false: true ")(root)
    result = invoke("--project", str(root), "check")
    assert result.exit_code == 2, result.output
    assert any(line.startswith("mkdocs.yml:") for line in output_lines(result)), result.output


def test_bom_crlf_and_cr_files_are_valid(built: Path):
    """Spec 2: a record is UTF-8; a byte-order mark and Windows or old Mac line endings are still UTF-8."""
    bom_and_crlf(built, ACT)
    cr_only(built, AUD)
    result = invoke("--project", str(built), "build", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == ""  # not even a warning
    data = json.loads((built / "site" / "portfolio.json").read_text(encoding="utf-8"))
    act = next(r for r in data["records"] if r["id"] == "ACT-1")
    assert act["title"] == "Weekly MAR chart checks"
    assert act["fields"]["raised"] == "2026-01-15"
    assert act["fields"]["closure"]["evidence"] == ["EV-1"]
    aud = next(r for r in data["records"] if r["id"] == "AUD-1")
    assert aud["fields"] == {"id": "AUD-1", "title": "Medicines audit", "kind": "audit", "date": "2026-01-10", "quality_statements": ["medicines-optimisation"]}
    page = (built / "site" / "actions" / "act-1.html").read_text(encoding="utf-8")
    assert "Weekly MAR chart checks" in page and "\ufeff" not in page


def test_an_owner_who_is_not_named_is_valid_but_flagged(built: Path):
    """Spec 2 and 6: an empty owner, a placeholder or a bare role is valid, but not a named owner."""
    text = (built / ACT).read_text(encoding="utf-8")
    for number, owner in enumerate(UNNAMED_OWNERS.values(), start=2):
        copy = text.replace("id: ACT-1", f"id: ACT-{number}").replace("owner: Jo Evans (Deputy manager)", owner)
        (built / f"content/actions/act-{number}.md").write_text(copy, encoding="utf-8")
    result = invoke("--project", str(built), "build", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    data = json.loads((built / "site" / "portfolio.json").read_text(encoding="utf-8"))
    flags = {r["id"]: r["flags"] for r in data["records"] if r["kind"] == "action"}
    assert flags == {"ACT-1": [], "ACT-2": ["no-named-owner"], "ACT-3": ["no-named-owner"], "ACT-4": ["no-named-owner"], "ACT-5": ["no-named-owner"]}


def test_broken_mkdocs_theme_is_a_configuration_problem(built: Path):
    """Exit 2, and the problem line says what is wrong with which key (spec 4: PATH:LINE: FIELD: MESSAGE)."""
    edit("mkdocs.yml", "  name: material", "  name: nosuchtheme")(built)
    site_before = tree_digest(built / "site")
    result = invoke("--project", str(built), "build", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    # the offending key is `theme:` (line 9) or its `name:` (line 10)
    problems = [line for line in output_lines(result) if re.match(r"mkdocs\.yml:(9|10): ", line)]
    assert any("theme" in line and "nosuchtheme" in line for line in problems), output_lines(result)
    # said once, as a problem line: not again in MkDocs' own log format
    assert [line for line in output_lines(result) if line.strip() and not PROBLEM_LINE.match(line)] == []
    assert tree_digest(built / "site") == site_before


@pytest.mark.parametrize("as_of", ["2026-13-01", "01/04/2026", "2026-4-1", "yesterday"])
def test_bad_as_of_is_wrong_usage(built: Path, as_of: str):
    site_before = tree_digest(built / "site")
    result = invoke("--project", str(built), "build", "--as-of", as_of)
    assert result.exit_code == 2
    assert "--as-of" in result.output and as_of in result.output
    assert "Traceback" not in result.output
    assert tree_digest(built / "site") == site_before


def test_missing_project_folder_is_wrong_usage(tmp_path: Path):
    result = invoke("--project", str(tmp_path / "nowhere"), "check")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_failed_first_build_writes_nothing(minimal_project):
    """Exit 1 with no site there yet: no site/ appears, nor anything else in the project."""
    root = minimal_project.root
    edit(ACT, "status: closed", "status: closd")(root)
    before = tree_digest(root)
    result = invoke("--project", str(root), "build", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert tree_digest(root) == before


def test_check_prints_every_problem_of_a_file_one_per_line(minimal_project):
    root = minimal_project.root
    (root / ACT).write_text(
        "---\n"
        "id: ACT-1\n"                                    # 2
        "title: Weekly MAR chart checks\n"               # 3
        "source: AUD-11\n"                               # 4: misspelt source
        "raised: 2026/01/15\n"                           # 5: bad date (owner missing: line 1)
        "agreed_in: AUD-1\n"                             # 6: wrong kind
        "due: 2026-02-30\n"                              # 7: no such date
        "risk: severe\n"                                 # 8: unknown risk
        "status: finished\n"                             # 9: unknown status
        "quality_statements: [medicine-optimisation]\n"  # 10: unknown statement
        "---\nNarrative.\n",
        encoding="utf-8",
    )
    result = run_portfolio("check", cwd=root, env=clean_env())
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    expected = [
        f"{ACT}:1: owner: ",
        f"{ACT}:4: source: ",
        f"{ACT}:5: raised: ",
        f"{ACT}:6: agreed_in: ",
        f"{ACT}:7: due: ",
        f"{ACT}:8: risk: ",
        f"{ACT}:9: status: ",
        f"{ACT}:10: quality_statements[1]: ",
    ]
    problems = [line for line in result.stdout.splitlines() if line.startswith(ACT)]
    for prefix in expected:
        assert sum(line.startswith(prefix) for line in problems) == 1, (prefix, problems)
    assert len(problems) == len(expected), problems
    # one problem per line, every line in the PATH:LINE: FIELD: MESSAGE form
    for line in result.stdout.splitlines():
        if line.strip():
            assert PROBLEM_LINE.match(line), line
    assert "did you mean 'AUD-1'?" in next(line for line in problems if line.startswith(f"{ACT}:4: "))
    assert "did you mean 'medicines-optimisation'?" in next(line for line in problems if line.startswith(f"{ACT}:10: "))


def test_check_reports_problems_in_every_file(minimal_project):
    root = minimal_project.root
    edit(AUD, "kind: audit", "kind: adit")(root)
    edit(EV, "category: processes", "category: proceses")(root)
    edit(MTG, "date: 2026-01-15", "date: 15 January")(root)
    result = invoke("--project", str(root), "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert_reported(lines, f"{AUD}:4: kind: ", suggest="audit")
    assert_reported(lines, f"{EV}:5: category: ", suggest="processes")
    assert_reported(lines, f"{MTG}:4: date: ")


def test_a_failed_build_as_a_real_process_leaves_the_site_alone(built: Path):
    """The same promise without CliRunner: a real process, problems on standard error, exit 1."""
    site_before = tree_digest(built / "site")
    edit(ACT, "source: AUD-1", "source: AUD-01")(built)
    result = run_portfolio("build", "--as-of", AS_OF, cwd=built, env=clean_env())
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert_reported(result.stderr.splitlines(), f"{ACT}:4: source: ", suggest="AUD-1")
    assert tree_digest(built / "site") == site_before


def test_a_broken_mkdocs_yml_as_a_real_process_exits_2(built: Path):
    site_before = tree_digest(built / "site")
    (built / "mkdocs.yml").write_text("site_name: [unclosed\ntheme: material\n", encoding="utf-8")
    result = run_portfolio("build", "--as-of", AS_OF, cwd=built, env=clean_env())
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert any(line.startswith("mkdocs.yml:") for line in result.stderr.splitlines())
    assert tree_digest(built / "site") == site_before
