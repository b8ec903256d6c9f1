"""Frameworks shipped with the generator, mappings between them, and the provider's own account
of a statement (``content/statements/``, kind ``statement``): issue 9, "when the regulator changes
its framework, the portfolio carries over"."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator import resources
from generator.config.frameworks import available_frameworks, load_framework
from generator.config.mappings import available_mappings
from generator.config.portfolio import load_portfolio_config
from generator.site.dashboards import self_assessment
from generator.site.portfolio_json import portfolio_json
from generator.read.load import load_content
from generator.judge.model import build_portfolio
from generator.pipeline import check
from generator.site.plan import attachments_of, plan_pages, record_uri
from generator.problems import PortfolioError, Problems
from generator.format.records import StatementAccount
from generator.site.render import Renderer
from generator.read.validate import validate


REPO = Path(__file__).resolve().parents[2]
D = date.fromisoformat
SHIPPED = sorted(p.stem for p in (REPO / "site_config" / "frameworks").glob("*.yml"))
MAPPING = "cqc-saf-2023--cqc-asc-2026-draft"


def id_rule(title: str) -> str:
    """The format's appendix: lower case, apostrophes dropped, every other run of characters that
    are not letters or digits one '-' (none at either end)."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower().replace("'", "").replace("\u2019", "")).strip("-")


def framework(framework_id: str):
    problems = Problems()
    loaded = load_framework(REPO, framework_id, "test", 1, problems)
    assert [str(p) for p in problems.items] == []
    assert loaded is not None
    return loaded


def problem_lines(project) -> list[str]:
    problems = Problems()
    config = load_portfolio_config(project.root, problems)
    validate(load_content(project.root, problems), config, project.root, problems)
    return [str(p) for p in problems.sorted()]


def usage_lines(project) -> list[str]:
    with pytest.raises(PortfolioError) as caught:
        load_portfolio_config(project.root, Problems())
    assert caught.value.usage is True
    return [str(p) for p in caught.value.problems]


def prepared(project, as_of: str = "2026-11-22"):
    checked = check(project.root)
    assert [str(p) for p in checked.problems.errors] == []
    return build_portfolio(checked.validated, checked.config, D(as_of)), checked.problems


def rendered(portfolio) -> dict[str, str]:
    pages = plan_pages(portfolio, attachments_of(portfolio))
    renderer = Renderer({r.key: record_uri(r) for r in portfolio.records.values()})
    return {page.uri: renderer.render(page.template, page.context).html for page in pages}


def use(project, framework_id: str) -> None:
    project.config(f"provider: Test Care Ltd\nframework: {framework_id}\nroles: [Registered manager, Deputy manager]\n")


ACTION = """
    id: {id}
    title: {title}
    source: SRC-1
    owner: Jo Evans (Deputy manager)
    raised: 2026-01-10
    due: 2026-12-31
    risk: {risk}
    status: open
    quality_statements: {statements}
"""


def action(project, record_id: str, statements: str, risk: str = "medium", title: str = "An action") -> None:
    project.record("actions", record_id.lower(), ACTION.format(id=record_id, title=title, risk=risk, statements=statements))


@pytest.fixture
def with_source(project):
    project.record("sources", "src-1", "id: SRC-1\ntitle: Night checks audit\nkind: audit\ndate: 2026-01-05\n")
    return project


# -- the shipped frameworks ------------------------------------------------------------------------

def test_every_shipped_framework_is_found():
    assert SHIPPED == ["ci-scotland-care-homes", "ciw-regulated-services", "cqc-asc-2026-draft", "cqc-saf-2023"]
    assert set(SHIPPED) <= set(available_frameworks(REPO))
    assert sorted(p.stem for p in resources.frameworks_dir().glob("*.yml")) == SHIPPED


@pytest.mark.parametrize("framework_id", SHIPPED)
def test_a_shipped_framework_loads_with_its_source_and_ids_by_the_appendix_rule(framework_id):
    loaded = framework(framework_id)
    assert loaded.id == framework_id
    assert loaded.source and len(loaded.source) > 40, "a shipped framework says where it comes from"
    statement_ids = [s.id for s in loaded.statements]
    question_ids = [q.id for q in loaded.key_questions]
    assert len(set(statement_ids)) == len(statement_ids)
    assert len(set(question_ids)) == len(question_ids)
    assert not set(statement_ids) & set(question_ids)
    for statement in loaded.statements:
        assert statement.id == id_rule(statement.title), statement.title
    for question in loaded.key_questions:
        assert question.statements, question.id
    assert loaded.status in (None, "draft", "final")
    if loaded.rating_scale is not None:
        assert loaded.rating_scale.name and len(loaded.rating_scale.levels) >= 2
        assert loaded.rating_scale.good in [lv.value for lv in loaded.rating_scale.levels]


def test_the_cqc_draft_of_2026_has_24_key_lines_of_enquiry_under_the_five_key_questions():
    draft = framework("cqc-asc-2026-draft")
    assert (draft.status, draft.published) == ("draft", D("2026-03-24"))
    assert [q.id for q in draft.key_questions] == ["safe", "effective", "caring", "responsive", "well-led"]
    assert [len(q.statements) for q in draft.key_questions] == [7, 4, 3, 4, 6]
    assert len(draft.statements) == 24
    assert [s.title for s in draft.key_questions[0].statements] == [
        "Safety culture", "Managing risks during care and treatment", "Safe systems, pathways and transitions",
        "Safeguarding", "Safe environments and infection prevention and control", "Safe staffing",
        "Safe medicines and treatments",
    ]
    assert [lv.value for lv in draft.rating_scale.levels] == ["outstanding", "good", "requires improvement", "inadequate"]
    assert draft.status_text == "This framework is a draft, published 2026-03-24: its statements and their titles may change in the final version."


def test_the_34_quality_statements_are_unchanged_and_scored_1_to_4():
    saf = framework("cqc-saf-2023")
    assert len(saf.statements) == 34
    assert (saf.status, saf.published, saf.status_text) == (None, None, None)  # its pages say nothing new
    assert [lv.value for lv in saf.rating_scale.levels] == ["4", "3", "2", "1"]
    assert saf.rating_scale.claims_good("3") and not saf.rating_scale.claims_good("2")


def test_frameworks_of_the_other_uk_regulators():
    wales = framework("ciw-regulated-services")
    assert [s.title for s in wales.statements] == ["Well-being", "Care and support", "Environment", "Leadership and management"]
    assert [lv.title for lv in wales.rating_scale.levels] == ["Excellent", "Good", "Requires improvement", "Requires significant improvement"]
    scotland = framework("ci-scotland-care-homes")
    assert [s.title for s in scotland.statements][0] == "How well do we support people's wellbeing?"
    assert [lv.value for lv in scotland.rating_scale.levels] == ["6", "5", "4", "3", "2", "1"]
    assert scotland.rating_scale.level("very good").value == "5"


# -- framework fields ------------------------------------------------------------------------------

def test_framework_fields_are_checked(project):
    project.config("provider: X\nframework: mine\n")
    project.file("site_config/frameworks/mine.yml", """\
        id: mine
        name: Mine
        source: ""
        published: 24/03/2026
        status: drafty
        colour: blue
        rating_scale:
          name: Ours
          levels: [top, middle, middle, bottom]
          good: midle
        key_questions:
          - id: safe
            title: Safe
            statements:
              - {id: s-one, title: One}
    """)
    assert usage_lines(project) == [
        "site_config/frameworks/mine.yml:3: source: must be one line of text saying where the framework comes from",
        "site_config/frameworks/mine.yml:4: published: '24/03/2026' is not a date; write dates as YYYY-MM-DD (for example 2026-03-24)",
        "site_config/frameworks/mine.yml:5: status: 'drafty' is not one of: draft, final; did you mean 'draft'?",
        "site_config/frameworks/mine.yml:6: colour: warning: unknown field of a framework",
        "site_config/frameworks/mine.yml:9: rating_scale.levels[3].value: level 'middle' is on the scale twice",
        "site_config/frameworks/mine.yml:10: rating_scale.good: 'midle' is not one of the scale's levels: top, middle, bottom; did you mean 'middle'?",
    ]


# -- mappings --------------------------------------------------------------------------------------

def test_the_shipped_mapping_maps_every_quality_statement_and_reaches_every_kloe():
    assert MAPPING in available_mappings(REPO)
    data = yaml.safe_load((REPO / "site_config" / "mappings" / f"{MAPPING}.yml").read_text(encoding="utf-8"))
    saf, draft = framework("cqc-saf-2023"), framework("cqc-asc-2026-draft")
    assert list(data["map"]) == [s.id for s in saf.statements]
    reached = set()
    for old, entry in data["map"].items():
        assert entry["note"].strip(), f"{old}: every mapping decision says how it was made"
        reached |= set(entry["to"])
    assert reached == {s.id for s in draft.statements}
    assert data["map"]["environmental-sustainability-sustainable-development"]["to"] == []


def test_the_shipped_mapping_loads_without_a_problem(project):
    use(project, "cqc-asc-2026-draft")
    problems = Problems()
    config = load_portfolio_config(project.root, problems)
    assert [str(p) for p in problems.items] == []
    (mapping,) = config.mappings
    assert (mapping.from_framework.id, mapping.to_framework) == ("cqc-saf-2023", "cqc-asc-2026-draft")
    assert mapping.path == "<shipped>/mappings/cqc-saf-2023--cqc-asc-2026-draft.yml"
    assert mapping.targets["how-staff-teams-and-services-work-together"] == (
        "safe-systems-pathways-and-transitions", "care-provision-integration-and-continuity",
    )


def test_no_mapping_is_loaded_for_the_framework_it_maps_from(project):
    problems = Problems()
    assert load_portfolio_config(project.root, problems).mappings == ()


def test_old_ids_appear_on_the_new_pages_marked_as_mapped(with_source):
    project = with_source
    use(project, "cqc-asc-2026-draft")
    action(project, "ACT-1", "[learning-culture, safeguarding]", title="Share learning from falls")
    action(project, "ACT-2", "[safety-culture]", title="Weekly safety huddle")
    project.record("evidence", "ev-1", """
        id: EV-1
        title: Huddle notes
        date: 2026-03-01
        category: processes
        quality_statements: [how-staff-teams-and-services-work-together]
    """)
    portfolio, problems = prepared(project)
    assert [str(p) for p in problems.items] == []
    act1 = portfolio.get("ACT-1")
    assert act1.quality_statements == ("safeguarding", "safety-culture")  # safeguarding is the new framework's own
    assert act1.mapped_from == {"safety-culture": (("cqc-saf-2023", "learning-culture"),)}
    assert [r.id for r in portfolio.by_statement["safety-culture"]] == ["ACT-1", "ACT-2"]
    assert [r.id for r in portfolio.by_statement["care-provision-integration-and-continuity"]] == ["EV-1"]
    pages = rendered(portfolio)
    culture = pages["statements/safety-culture.md"]
    assert "ACT-1" in culture and "<br><em>mapped from Learning culture (cqc-saf-2023)</em>" in culture
    assert culture.count("mapped from") == 1  # ACT-2 names safety-culture itself
    assert "mapped from" not in pages["statements/safeguarding.md"]
    assert "<br><em>mapped from How staff, teams and services work together (cqc-saf-2023)</em>" in pages["statements/safe-systems-pathways-and-transitions.md"]
    assert "(mapped from cqc-saf-2023: Learning culture)" in pages["actions/act-1.md"]
    document = json.loads(portfolio_json(portfolio, {uri: uri.replace(".md", ".html") for uri in pages}))
    entry = next(r for r in document["records"] if r["id"] == "ACT-1")
    assert entry["fields"]["quality_statements"] == ["learning-culture", "safeguarding"]  # as written
    assert entry["mapped_statements"] == {"safety-culture": [{"framework": "cqc-saf-2023", "statement": "learning-culture"}]}
    assert "mapped_statements" not in next(r for r in document["records"] if r["id"] == "ACT-2")
    culture_entry = next(s for s in document["quality_statements"] if s["id"] == "safety-culture")
    assert culture_entry["records"] == ["ACT-1", "ACT-2"]


def test_check_warns_of_old_ids_that_map_nowhere(with_source):
    use(with_source, "cqc-asc-2026-draft")
    action(with_source, "ACT-1", "[environmental-sustainability-sustainable-development, learning-culture]")
    assert problem_lines(with_source) == [
        "content/actions/act-1.md:10: quality_statements[1]: warning: 'environmental-sustainability-sustainable-development' "
        "is a statement of cqc-saf-2023 that <shipped>/mappings/cqc-saf-2023--cqc-asc-2026-draft.yml maps to no statement "
        "of cqc-asc-2026-draft; this record is on no statement page",
    ]


def test_an_id_of_neither_framework_is_still_an_error(with_source):
    use(with_source, "cqc-asc-2026-draft")
    action(with_source, "ACT-1", "[safty-culture]")
    assert problem_lines(with_source) == [
        "content/actions/act-1.md:10: quality_statements[1]: 'safty-culture' is not a quality statement of cqc-asc-2026-draft; did you mean 'safety-culture'?",
    ]


def test_a_project_mapping_is_checked(with_source):
    use(with_source, "cqc-asc-2026-draft")
    with_source.file(f"site_config/mappings/{MAPPING}.yml", """\
        from: cqc-saf-2023
        to: cqc-asc-2026-draft
        extra: 1
        map:
          learning-culture: [safety-culture, safty-culture]
          learning-cultur: [safety-culture]
          safeguarding: {to: safeguarding, note: Same, colour: red}
    """)
    assert usage_lines(with_source) == [
        f"site_config/mappings/{MAPPING}.yml:3: extra: warning: unknown field of a mapping",
        f"site_config/mappings/{MAPPING}.yml:5: map.learning-culture: 'safty-culture' is not a quality statement of cqc-asc-2026-draft; did you mean 'safety-culture'?",
        f"site_config/mappings/{MAPPING}.yml:6: map.learning-cultur: 'learning-cultur' is not a quality statement of cqc-saf-2023; did you mean 'learning-culture'?",
        f"site_config/mappings/{MAPPING}.yml:7: map.safeguarding.colour: warning: unknown field",
    ]
    with_source.file(f"site_config/mappings/{MAPPING}.yml", "from: cqc-saf-2024\nto: cqc-asc-2026\nmap: {}\n")
    assert usage_lines(with_source) == [
        f"site_config/mappings/{MAPPING}.yml:1: from: must be 'cqc-saf-2023', as the file name <from>--<to>.yml says",
        f"site_config/mappings/{MAPPING}.yml:2: to: must be 'cqc-asc-2026-draft', as the file name <from>--<to>.yml says",
    ]


def test_a_project_mapping_replaces_the_shipped_one_and_names_what_it_leaves_out(with_source):
    use(with_source, "cqc-asc-2026-draft")
    with_source.file(f"site_config/mappings/{MAPPING}.yml", """\
        from: cqc-saf-2023
        to: cqc-asc-2026-draft
        map:
          learning-culture: [safety-culture]
    """)
    action(with_source, "ACT-1", "[learning-culture, medicines-optimisation]")
    found = problem_lines(with_source)
    assert found[0] == (
        "content/actions/act-1.md:10: quality_statements[2]: warning: 'medicines-optimisation' is a statement of cqc-saf-2023 "
        f"that site_config/mappings/{MAPPING}.yml maps to no statement of cqc-asc-2026-draft; this record is on no statement page"
    )
    assert len(found) == 1 + 33
    assert found[1] == (
        f"site_config/mappings/{MAPPING}.yml:3: map: warning: 'assessing-needs' of cqc-saf-2023 is not mapped; records "
        "naming it will be on no page (write 'assessing-needs: []' if that is meant)"
    )


# -- the provider's account of a statement ---------------------------------------------------------

def test_a_statement_record_is_read(project):
    project.record("statements", "staffing", """
        statement: safe-and-effective-staffing
        rating: 2
        reviewed: 2026-10-15
        reviewed_by: Priya Shah (Registered manager)
    """, body="Agency use is still above our target.")
    project.record("statements", "sa-meds", """
        id: SA-MEDS
        title: How we keep medicines safe
        statement: Medicines-Optimisation
        rating: Good standard
    """)
    checked = check(project.root)
    assert [str(p) for p in checked.problems.items] == []
    staffing = checked.validated.records["safe-and-effective-staffing"]
    assert isinstance(staffing, StatementAccount)
    assert (staffing.kind, staffing.id, staffing.statement, staffing.rating) == ("statement", "safe-and-effective-staffing", "safe-and-effective-staffing", "2")
    assert staffing.title == "Provider's account: Safe and effective staffing"
    assert (staffing.reviewed, staffing.reviewed_by.name, staffing.dated) == (D("2026-10-15"), "Priya Shah", D("2026-10-15"))
    meds = checked.validated.records["sa-meds"]
    assert (meds.statement, meds.rating, meds.title, meds.dated) == ("medicines-optimisation", "3", "How we keep medicines safe", None)


def test_statement_record_problems(project):
    project.record("statements", "a", """
        statement: safe-and-efective-staffing
        rating: 5
        reviewed: 15/10/2026
        reviewed_by: Priya Shah (Registered manager)
    """)
    project.record("statements", "b", """
        id: SA-2
        title: Our account
        rating: good
    """)
    project.record("statements", "c", """
        id: learning-culture
        rating: Good standard
        reviewed: 2026-02-30
        quality_statements: [learning-culture]
    """)
    project.record("statements", "d", """
        id: SA-4
        statement: learning-culture
        rating: 4
    """)
    assert problem_lines(project) == [
        "content/statements/a.md:2: statement: 'safe-and-efective-staffing' is not a quality statement of cqc-saf-2023; did you mean 'safe-and-effective-staffing'?",
        "content/statements/a.md:3: rating: '5' is not on the rating scale of cqc-saf-2023 (CQC quality statement score): 4, 3, 2, 1",
        "content/statements/a.md:4: reviewed: '15/10/2026' is not a date; write dates as YYYY-MM-DD (for example 2026-03-31)",
        "content/statements/b.md:1: statement: is required: the id of the quality statement of cqc-saf-2023 this account is for, unless the record's id is that statement's id",
        "content/statements/b.md:4: rating: 'good' is not on the rating scale of cqc-saf-2023 (CQC quality statement score): 4, 3, 2, 1",
        "content/statements/c.md:4: reviewed: '2026-02-30' is not a real date",
        "content/statements/c.md:5: quality_statements: warning: a provider's account names its statement in 'statement'; this field is ignored",
        "content/statements/d.md:3: statement: 'learning-culture' already has the provider's account in content/statements/c.md; write one account per statement",
    ]


def test_a_rating_needs_a_framework_with_a_scale(project):
    project.config("provider: X\nframework: mine\n")
    project.file("site_config/frameworks/mine.yml", "id: mine\nname: Mine\nkey_questions:\n  - id: safe\n    title: Safe\n    statements:\n      - {id: s-one, title: One}\n")
    project.record("statements", "a", "statement: s-one\nrating: 3\n")
    assert problem_lines(project) == [
        "content/statements/a.md:3: rating: mine has no rating_scale, so an account of one of its statements cannot carry a rating",
    ]


def test_accounts_of_one_statement_for_different_services(project):
    project.record("services", "north", "id: north\ntitle: North House\n")
    project.record("services", "south", "id: south\ntitle: South House\n")
    project.record("statements", "n", "id: SA-N\nstatement: safeguarding\nservice: north\nrating: 3\n")
    project.record("statements", "s", "id: SA-S\nstatement: safeguarding\nservice: south\nrating: 2\n")
    project.record("statements", "s2", "id: SA-S2\nstatement: safeguarding\nservice: South\nrating: 2\n")
    project.record("statements", "x", "id: SA-X\nstatement: safeguarding\nservice: west\n")
    assert problem_lines(project) == [
        "content/statements/s2.md:3: statement: 'safeguarding' already has the provider's account for service 'South' in content/statements/s.md; write one account per statement",
        "content/statements/x.md:4: service: no service with id 'west'",
    ]


def test_accounts_per_service_need_no_id(project):
    """Written as the README shows them: the id defaults to the statement's, and the service's."""
    project.record("services", "north", "id: north\ntitle: North House\n")
    project.record("services", "south", "id: south\ntitle: South House\n")
    project.record("statements", "n", "statement: safeguarding\nservice: north\nrating: 3\n")
    project.record("statements", "s", "statement: safeguarding\nservice: south\nrating: 2\n")
    project.record("statements", "t", "statement: Safe staffing\nrating: 2\n")
    # A statement written as a title is one problem, on 'statement' (not also one on an unwritten id).
    assert problem_lines(project) == [
        "content/statements/t.md:2: statement: 'Safe staffing' is not a quality statement of cqc-saf-2023; did you mean 'safeguarding'?",
    ]


def test_an_account_of_an_older_framework_is_not_published_after_a_switch(project):
    use(project, "cqc-asc-2026-draft")
    project.record("statements", "staffing", "statement: safe-and-effective-staffing\nrating: 2\n")
    project.record("statements", "culture", "id: safety-culture\nrating: Requires-Improvement\n")
    assert problem_lines(project) == [
        "content/statements/staffing.md:2: statement: warning: 'safe-and-effective-staffing' is a statement of cqc-saf-2023, "
        "not of cqc-asc-2026-draft; this account is not published: write one for safe-staffing",
    ]
    portfolio, _ = prepared(project)
    assert [(a.id, a.rating) for a in portfolio.by_kind["statement"]] == [("safety-culture", "requires improvement")]


def test_the_account_is_on_its_statement_page_above_the_actions(with_source):
    project = with_source
    action(project, "ACT-1", "[safe-and-effective-staffing]", risk="high")
    project.record("statements", "staffing", """
        statement: safe-and-effective-staffing
        rating: 3
        reviewed: 2026-10-15
        reviewed_by: Priya Shah (Registered manager)
    """, body="# Our staffing\n\nAgency use is falling.")
    portfolio, _ = prepared(project)
    pages = rendered(portfolio)
    page = pages["statements/safe-and-effective-staffing.md"]
    account = page.index('<h2 id="providers-account">The provider\'s account</h2>')
    assert account < page.index(">Actions not yet closed</h2>") < page.index(">Evidence</h2>")
    assert "<td>Rating</td>\n<td><strong>3 (Good standard)</strong> on the CQC quality statement score" in page
    assert "<td>Reviewed</td>\n<td>2026-10-15 by Priya Shah (Registered manager)</td>" in page
    assert '<h3 id="our-staffing">Our staffing</h3>' in page  # the account's own headings sit under the section
    assert "dashboards/self-assessment.md" in pages
    question = pages["key-questions/safe.md"]
    assert "<th>Evidence</th>\n<th>Provider's rating</th>\n</tr>" in question
    assert '<a href="../statements/safe-and-effective-staffing.html#providers-account">3 (Good standard)</a>' in question
    document = json.loads(portfolio_json(portfolio, {uri: uri.replace(".md", ".html") for uri in pages}))
    entry = next(r for r in document["records"] if r["kind"] == "statement")
    assert (entry["id"], entry["url"]) == ("safe-and-effective-staffing", "statements/safe-and-effective-staffing.html")


def test_without_accounts_there_is_no_self_assessment_page_and_no_rating_column(with_source):
    action(with_source, "ACT-1", "[safe-and-effective-staffing]")
    portfolio, _ = prepared(with_source)
    pages = rendered(portfolio)
    assert "dashboards/self-assessment.md" not in pages
    assert "Provider's rating" not in pages["key-questions/safe.md"]
    assert "provider's account" not in pages["statements/safe-and-effective-staffing.md"]


def test_an_account_reviewed_after_the_as_of_date_is_not_yet_in_the_portfolio(project):
    project.record("statements", "staffing", "statement: safe-and-effective-staffing\nrating: 3\nreviewed: 2026-10-15\n")
    early, _ = prepared(project, "2026-10-14")
    late, _ = prepared(project, "2026-10-15")
    assert (early.by_kind["statement"], [a.id for a in late.by_kind["statement"]]) == ([], ["safe-and-effective-staffing"])


def test_self_assessment_shows_a_good_rating_the_evidence_does_not_support(with_source):
    project = with_source
    use(project, "cqc-asc-2026-draft")
    action(project, "ACT-1", "[safety-culture]", risk="high")
    action(project, "ACT-2", "[learning-culture]", risk="critical")  # mapped onto safety-culture
    action(project, "ACT-3", "[safe-staffing]", risk="high")
    project.record("evidence", "ev-old", "id: EV-OLD\ntitle: Old audit\ndate: 2025-06-01\ncategory: processes\nquality_statements: [safety-culture]\n")
    project.record("evidence", "ev-new", "id: EV-NEW\ntitle: Rota review\ndate: 2026-10-01\ncategory: processes\nquality_statements: [safe-staffing]\n")
    project.record("statements", "culture", "statement: safety-culture\nrating: good\n")
    project.record("statements", "staffing", "statement: safe-staffing\nrating: requires improvement\n")
    project.record("statements", "meds", "statement: safe-medicines-and-treatments\nrating: Outstanding\n")
    portfolio, problems = prepared(project)
    assert [str(p) for p in problems.items] == []
    board = self_assessment(portfolio)
    summaries = {row.statement.id: (row.summary, row.unsupported) for row in board["rows"]}
    assert summaries == {
        "safety-culture": ("rated Good, but 2 open high-risk actions and no evidence in 12 months", True),
        "safe-staffing": ("rated Requires improvement; 1 open high-risk action", False),
        "safe-medicines-and-treatments": ("rated Outstanding, but no evidence in 12 months", True),
    }
    assert [row.statement.id for row in board["unsupported"]] == ["safety-culture", "safe-medicines-and-treatments"]
    assert len(board["missing"]) == 21
    page = rendered(portfolio)["dashboards/self-assessment.md"]
    assert '<li><a href="../statements/safety-culture.html#providers-account">Safety culture</a>: rated Good, but 2 open high-risk actions and no evidence in 12 months.</li>' in page
    assert "<strong>Not supported:</strong> rated Good, but 2 open high-risk actions and no evidence in 12 months" in page


# -- the format stays as it was --------------------------------------------------------------------

def test_a_portfolio_without_accounts_or_mappings_plans_the_same_pages(minimal_project):
    portfolio, _ = prepared(minimal_project)
    uris = [p.uri for p in plan_pages(portfolio, attachments_of(portfolio))]
    assert not [u for u in uris if "self-assessment" in u]
    assert all(not r.mapped_from for r in portfolio.records.values())
    document = json.loads(portfolio_json(portfolio, {u: u for u in uris}))
    assert {r["kind"] for r in document["records"]} == {"action", "source", "evidence", "meeting", "service"}
    assert all("mapped_statements" not in r for r in document["records"])


def test_the_example_switched_to_the_draft_keeps_every_record(example_project: Path):
    text = (example_project / "site_config" / "portfolio.yml").read_text(encoding="utf-8")
    (example_project / "site_config" / "portfolio.yml").write_text(re.sub(r"(?m)^framework: .*$", "framework: cqc-asc-2026-draft", text), encoding="utf-8")
    checked = check(example_project)
    assert [str(p) for p in checked.problems.items] == []
    mapping = yaml.safe_load((REPO / "site_config" / "mappings" / f"{MAPPING}.yml").read_text(encoding="utf-8"))["map"]
    draft = {s.id for s in framework("cqc-asc-2026-draft").statements}
    for record in checked.validated.records.values():
        expected = set()
        for written in record.fields.get("quality_statements") or []:
            expected |= {written} if written in draft else set(mapping[written]["to"])
        assert set(record.quality_statements) == expected, record.id


def test_a_service_account_is_judged_on_that_services_records(with_source):
    """North's "Good" is not undone by South's open high-risk action, and South's is."""
    project = with_source
    project.record("services", "north", "id: north\ntitle: North House\n")
    project.record("services", "south", "id: south\ntitle: South House\n")
    project.record("sources", "src-1", "id: SRC-1\ntitle: Night checks audit\nkind: audit\ndate: 2026-01-05\nservice: south\n")
    project.record("actions", "act-1", ACTION.format(id="ACT-1", title="Nights", risk="high", statements="[safeguarding]") + "    service: south\n")
    project.record("evidence", "ev-1", "id: EV-1\ntitle: Provider-wide audit\ndate: 2026-10-01\ncategory: processes\nquality_statements: [safeguarding]\n")
    project.record("statements", "n", "statement: safeguarding\nservice: north\nrating: 3\n")
    project.record("statements", "s", "statement: safeguarding\nservice: south\nrating: 3\n")
    portfolio, problems = prepared(project)
    assert [str(p) for p in problems.items if p.severity == "error"] == []
    rows = {row.account.service: (row.summary, row.unsupported) for row in self_assessment(portfolio)["rows"]}
    assert rows == {
        "north": ("rated 3 (Good standard)", False),
        "south": ("rated 3 (Good standard), but 1 open high-risk action", True),
    }


def test_the_shipped_mapping_over_a_projects_own_copy_of_a_framework(with_source):
    """A project keeping its own cqc-saf-2023.yml still switches: the shipped mapping is used when
    it fits that copy, and otherwise left out with one warning, never an error in a file the
    project cannot edit."""
    project = with_source
    use(project, "cqc-asc-2026-draft")
    shipped = (resources.frameworks_dir() / "cqc-saf-2023.yml").read_text(encoding="utf-8")
    project.file("site_config/frameworks/cqc-saf-2023.yml", shipped)
    action(project, "ACT-1", "[learning-culture]")
    assert problem_lines(project) == []
    portfolio, _ = prepared(project)
    assert portfolio.records["act-1"].quality_statements == ("safety-culture",)

    project.file("site_config/frameworks/cqc-saf-2023.yml", (
        "id: cqc-saf-2023\nname: Our own copy\nkey_questions:\n  - id: safe\n    title: Safe\n"
        "    statements:\n      - {id: learning-culture, title: Learning culture}\n"
    ))
    lines = problem_lines(project)
    assert len(lines) == 2, lines
    assert lines[0].startswith("content/actions/act-1.md:")
    assert "'learning-culture' is not a quality statement of cqc-asc-2026-draft" in lines[0]
    assert lines[1].startswith(
        "site_config/frameworks/cqc-saf-2023.yml:1: mapping: warning: the shipped mapping "
        "cqc-saf-2023--cqc-asc-2026-draft.yml does not fit this project's own cqc-saf-2023"
    ) and "write site_config/mappings/cqc-saf-2023--cqc-asc-2026-draft.yml" in lines[1], lines[1]
