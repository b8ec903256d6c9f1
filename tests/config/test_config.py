"""Unit tests for generator.config.portfolio: portfolio.yml and the framework it names (spec section 3)."""

from __future__ import annotations

import pytest

from generator import resources
from generator.config.portfolio import DEFAULT_ROLES, PortfolioConfig, Thresholds, load_portfolio_config
from generator.config.frameworks import available_frameworks, parse_framework
from generator.problems import PortfolioError, Problems
from generator.read.yamlread import parse

SPEC_ROLES = (
    "registered manager", "deputy manager", "manager", "team leader", "shift leader", "senior carer",
    "care worker", "support worker", "nurse", "quality lead", "provider lead", "care coordinator",
)

SMALL_FRAMEWORK = """\
id: mine
name: My framework
key_questions:
  - id: safe
    title: Safe
    statements:
      - id: s-one
        title: Statement one
      - id: s-two
        title: Statement two
  - id: led
    title: Well-led
    statements:
      - id: s-three
        title: Statement three
"""


def load(project):
    warnings = Problems()
    config = load_portfolio_config(project.root, warnings)
    return config, [str(w) for w in warnings.items]


def broken(project) -> PortfolioError:
    with pytest.raises(PortfolioError) as caught:
        load_portfolio_config(project.root, Problems())
    return caught.value


def lines_of(error: PortfolioError) -> list[str]:
    return [str(p) for p in error.problems]


# -- a good configuration --------------------------------------------------------------------

def test_fixture_configuration(project):
    config, warnings = load(project)
    assert warnings == []
    assert isinstance(config, PortfolioConfig)
    assert config.provider == "Test Care Ltd"
    assert config.framework.id == "cqc-saf-2023"
    assert config.thresholds == Thresholds(due_soon_days=14, stale_update_days=30, max_extensions=2, escalate_overdue_days=14)
    assert config.roles == ("Registered manager", "Deputy manager", "Team leader")
    assert config.redact_terms == ()


def test_defaults_when_only_the_provider_is_given(project):
    project.config("provider: Example Care Ltd\n")
    config, warnings = load(project)
    assert warnings == []
    assert config.provider == "Example Care Ltd"
    assert config.framework.id == "cqc-saf-2023"
    assert config.thresholds == Thresholds()
    assert (Thresholds().due_soon_days, Thresholds().stale_update_days, Thresholds().max_extensions, Thresholds().escalate_overdue_days) == (14, 30, 2, 14)
    assert config.roles == ()
    assert config.redact_terms == ()


def test_thresholds_given_in_part_keep_the_other_defaults(project):
    project.config("provider: X\nthresholds:\n  due_soon_days: 7\n  max_extensions: 0\n")
    config, _ = load(project)
    assert config.thresholds == Thresholds(due_soon_days=7, stale_update_days=30, max_extensions=0, escalate_overdue_days=14)


def test_provider_is_stripped(project):
    project.config("provider: '  Spaced Care Ltd  '\n")
    config, _ = load(project)
    assert config.provider == "Spaced Care Ltd"


def test_roles_and_redact_terms(project):
    project.config("provider: X\nroles: Dementia lead\nredact_terms: ['', Smith, ' ', 007]\n")
    config, _ = load(project)
    assert config.roles == ("Dementia lead",)
    assert config.redact_terms == ("Smith", "007")
    assert "dementia lead" in config.all_roles


@pytest.mark.parametrize("written, kept", [("", False), ("raw_html: false\n", False), ("raw_html: true\n", True), ("raw_html:\n", False)])
def test_raw_html_is_off_unless_portfolio_yml_turns_it_on(project, written, kept):
    project.config("provider: X\n" + written)
    config, warnings = load(project)
    assert warnings == []
    assert config.raw_html is kept


@pytest.mark.parametrize("value, shown", [("'yes please'", "'yes please'"), ("1", "1"), ("[true]", "[True]")])
def test_raw_html_that_is_not_true_or_false(project, value, shown):
    project.config(f"provider: X\nraw_html: {value}\n")
    error = broken(project)
    assert error.usage is True
    assert lines_of(error) == [f"site_config/portfolio.yml:2: raw_html: must be true or false, not {shown}"]


def test_all_roles_are_the_defaults_plus_the_project_roles_in_lower_case(project):
    project.config("provider: X\nroles: [Field Care Supervisor, '  Night Lead ', '']\n")
    config, _ = load(project)
    assert config.all_roles == frozenset(DEFAULT_ROLES) | {"field care supervisor", "night lead"}
    assert "" not in config.all_roles


def test_default_roles_include_every_role_the_spec_names():
    assert set(SPEC_ROLES) <= set(DEFAULT_ROLES)
    assert all(role == role.lower() for role in DEFAULT_ROLES)


def test_the_shipped_framework_has_34_statements_under_five_key_questions(project):
    config, _ = load(project)
    framework = config.framework
    assert framework.name == "CQC single assessment framework (quality statements)"
    assert [q.id for q in framework.key_questions] == ["safe", "effective", "caring", "responsive", "well-led"]
    assert [len(q.statements) for q in framework.key_questions] == [8, 6, 5, 7, 8]
    assert len(framework.statements) == 34
    first = framework.statements[0]
    assert (first.id, first.title, first.key_question, first.key_question_title) == ("learning-culture", "Learning culture", "safe", "Safe")
    assert framework.statements[-1].id == "environmental-sustainability-sustainable-development"
    assert framework.statement("responding-to-peoples-immediate-needs").title == "Responding to people's immediate needs"


def test_statement_lookup_ignores_case(project):
    config, _ = load(project)
    assert config.framework.statement("Medicines-Optimisation").id == "medicines-optimisation"
    assert config.framework.statement("no-such-statement") is None


# -- warnings --------------------------------------------------------------------------------

def test_unknown_field_is_warned_with_a_suggestion(project):
    project.config("provider: X\nredact_term: [a]\n")
    config, warnings = load(project)
    assert warnings == ["site_config/portfolio.yml:2: redact_term: warning: unknown field; did you mean 'redact_terms'?"]
    assert config.redact_terms == ()


def test_unknown_field_without_a_near_one(project):
    project.config("provider: X\ncolour: blue\n")
    _, warnings = load(project)
    assert warnings == ["site_config/portfolio.yml:2: colour: warning: unknown field"]


def test_unknown_threshold_is_warned_with_a_suggestion(project):
    project.config("provider: X\nthresholds:\n  due_soon_day: 3\n")
    config, warnings = load(project)
    assert warnings == ["site_config/portfolio.yml:3: thresholds.due_soon_day: warning: unknown threshold; did you mean 'due_soon_days'?"]
    assert config.thresholds == Thresholds()


# -- broken configuration: usage errors (exit 2) ----------------------------------------------

def test_bad_thresholds_are_each_reported(project):
    project.config(
        "provider: X\n"
        "provder: y\n"
        "thresholds:\n"
        "  stale_update_days: -1\n"
        "  max_extensions: two\n"
        "  escalate_overdue_days: true\n"
        "  due_soon_days: 1.5\n"
    )
    error = broken(project)
    assert error.usage is True
    assert lines_of(error) == [
        "site_config/portfolio.yml:2: provder: warning: unknown field; did you mean 'provider'?",
        "site_config/portfolio.yml:4: thresholds.stale_update_days: must be a whole number of 0 or more, not -1",
        "site_config/portfolio.yml:5: thresholds.max_extensions: must be a whole number of 0 or more, not 'two'",
        "site_config/portfolio.yml:6: thresholds.escalate_overdue_days: must be a whole number of 0 or more, not True",
        "site_config/portfolio.yml:7: thresholds.due_soon_days: must be a whole number of 0 or more, not 1.5",
    ]


def test_thresholds_not_a_mapping(project):
    project.config("provider: X\nthresholds: 5\n")
    error = broken(project)
    assert error.usage is True
    assert lines_of(error) == ["site_config/portfolio.yml:2: thresholds: must be a mapping of threshold names to whole numbers"]


def test_roles_and_redact_terms_of_the_wrong_shape(project):
    project.config("provider: X\nroles: {a: b}\nredact_terms: [a, [b]]\n")
    error = broken(project)
    assert lines_of(error) == [
        "site_config/portfolio.yml:2: roles: must be a list of words",
        "site_config/portfolio.yml:3: redact_terms: each entry must be a word or phrase",
    ]


def test_missing_provider(project):
    project.config("framework: cqc-saf-2023\n")
    error = broken(project)
    assert error.usage is True
    assert lines_of(error) == ["site_config/portfolio.yml:1: provider: the provider's name is required"]


def test_blank_provider_is_reported_at_its_line(project):
    project.config("framework: cqc-saf-2023\nprovider: '   '\n")
    error = broken(project)
    assert lines_of(error) == ["site_config/portfolio.yml:2: provider: the provider's name is required"]


def test_missing_portfolio_yml(project):
    (project.root / "site_config" / "portfolio.yml").unlink()
    error = broken(project)
    assert error.usage is True
    assert lines_of(error) == ["site_config/portfolio.yml:1: portfolio.yml: not found"]


def test_empty_portfolio_yml(project):
    project.config("")
    error = broken(project)
    assert error.usage is True
    assert lines_of(error) == ["site_config/portfolio.yml:1: portfolio.yml: is empty"]


def test_portfolio_yml_that_is_not_a_mapping(project):
    project.config("- provider: X\n")
    error = broken(project)
    assert error.usage is True
    assert lines_of(error) == ["site_config/portfolio.yml:1: portfolio.yml: must be a mapping of 'field: value' lines"]


def test_portfolio_yml_syntax_error(project):
    project.config("provider: X\nthresholds:\n  due_soon_days: 3\n   stale_update_days: 4\n")
    error = broken(project)
    assert error.usage is True
    assert len(error.problems) == 1  # the field is named by yamlread ("front matter"), not asserted here
    assert error.problems[0].path == "site_config/portfolio.yml"
    assert error.problems[0].line == 4
    assert error.problems[0].message == (
        "invalid YAML: mapping values are not allowed in this context; indent 'stale_update_days' 2 spaces, in line with 'due_soon_days' on line 3"
    )


def test_unknown_framework_suggests_the_nearest(project):
    project.config("provider: X\nframework: cqc-saf-2024\n")
    error = broken(project)
    assert error.usage is True
    assert lines_of(error) == [
        "site_config/portfolio.yml:2: framework: no framework 'cqc-saf-2024' in site_config/frameworks/ or shipped with the generator; did you mean 'cqc-saf-2023'?",
    ]
    assert str(error) == lines_of(error)[0]


def test_framework_that_is_not_an_id(project):
    project.config("provider: X\nframework: my framework\n")
    error = broken(project)
    assert error.usage is True
    assert lines_of(error) == ["site_config/portfolio.yml:2: framework: must be the id of a framework file in site_config/frameworks/"]


def test_every_configuration_problem_in_one_error(project):
    project.config("framework: nope\nthresholds:\n  max_extensions: -2\n")
    error = broken(project)
    assert lines_of(error) == [
        "site_config/portfolio.yml:1: framework: no framework 'nope' in site_config/frameworks/ or shipped with the generator",
        "site_config/portfolio.yml:1: provider: the provider's name is required",
        "site_config/portfolio.yml:3: thresholds.max_extensions: must be a whole number of 0 or more, not -2",
    ]


# -- frameworks ------------------------------------------------------------------------------

def test_framework_falls_back_to_the_shipped_one(project):
    assert not (project.root / "site_config" / "frameworks").exists()
    frameworks = available_frameworks(project.root)
    assert frameworks["cqc-saf-2023"] == resources.frameworks_dir() / "cqc-saf-2023.yml"
    config, _ = load(project)
    assert config.framework.id == "cqc-saf-2023"
    assert len(config.framework.statements) == 34


def test_the_projects_own_framework_file_comes_first(project):
    project.file("site_config/frameworks/cqc-saf-2023.yml", """\
        id: cqc-saf-2023
        name: Local copy
        key_questions:
          - id: safe
            title: Safe
            statements:
              - id: learning-culture
                title: Learning culture
    """)
    assert available_frameworks(project.root)["cqc-saf-2023"] == project.root / "site_config/frameworks/cqc-saf-2023.yml"
    config, _ = load(project)
    assert config.framework.name == "Local copy"
    assert [s.id for s in config.framework.statements] == ["learning-culture"]


def test_a_project_framework_of_its_own(project):
    project.file("site_config/frameworks/mine.yml", SMALL_FRAMEWORK)
    project.config("provider: X\nframework: mine\n")
    config, _ = load(project)
    framework = config.framework
    assert (framework.id, framework.name) == ("mine", "My framework")
    assert [(s.id, s.key_question, s.key_question_title) for s in framework.statements] == [
        ("s-one", "safe", "Safe"), ("s-two", "safe", "Safe"), ("s-three", "led", "Well-led"),
    ]
    assert sorted(available_frameworks(project.root)) == [
        "ci-scotland-care-homes", "ciw-regulated-services", "cqc-asc-2026-draft", "cqc-saf-2023", "mine",
    ]


def test_misspelt_project_framework_is_suggested(project):
    project.file("site_config/frameworks/mine.yml", SMALL_FRAMEWORK)
    project.config("provider: X\nframework: mien\n")
    error = broken(project)
    assert lines_of(error) == [
        "site_config/portfolio.yml:2: framework: no framework 'mien' in site_config/frameworks/ or shipped with the generator; did you mean 'mine'?",
    ]


def test_duplicate_statement_id_in_a_framework_file(project):
    project.file("site_config/frameworks/mine.yml", SMALL_FRAMEWORK.replace("id: s-three", "id: S-One"))
    project.config("provider: X\nframework: mine\n")
    error = broken(project)
    assert error.usage is True
    assert lines_of(error) == [
        "site_config/frameworks/mine.yml:14: key_questions[2].statements[1].id: statement id 'S-One' is used twice in this framework",
    ]


def test_framework_file_shape_problems(project):
    project.file("site_config/frameworks/mine.yml", """\
        id: mine
        name: Mine
        key_questions:
          - id: q
            statements: not a list
          - just text
          - id: r
            title: R
            statements:
              - title: no id
              - id: s
              - plain
    """)
    project.config("provider: X\nframework: mine\n")
    error = broken(project)
    assert error.usage is True
    assert lines_of(error) == [
        "site_config/frameworks/mine.yml:4: key_questions[1].title: a key question needs a title",
        "site_config/frameworks/mine.yml:5: key_questions[1].statements: must list the key question's statements",
        "site_config/frameworks/mine.yml:6: key_questions[2]: must be a mapping with 'id', 'title' and 'statements'",
        "site_config/frameworks/mine.yml:10: key_questions[3].statements[1].id: a statement needs an id of letters, digits, '.', '_' or '-'",
        "site_config/frameworks/mine.yml:11: key_questions[3].statements[2].title: a statement needs a title",
        "site_config/frameworks/mine.yml:12: key_questions[3].statements[3]: must be a mapping with 'id' and 'title'",
    ]


def test_framework_without_id_name_or_key_questions(project):
    project.file("site_config/frameworks/mine.yml", "description: nothing useful\n")
    project.config("provider: X\nframework: mine\n")
    error = broken(project)
    assert lines_of(error) == [
        "site_config/frameworks/mine.yml:1: id: the framework needs an 'id' of letters, digits, '.', '_' or '-'",
        "site_config/frameworks/mine.yml:1: key_questions: must list at least one key question",
        "site_config/frameworks/mine.yml:1: name: the framework needs a 'name'",
    ]


def test_framework_file_with_a_duplicate_key(project):
    project.file("site_config/frameworks/mine.yml", "id: mine\nname: Mine\nid: again\n")
    project.config("provider: X\nframework: mine\n")
    error = broken(project)
    assert lines_of(error) == ["site_config/frameworks/mine.yml:3: id: 'id' is given twice in the same mapping"]


def test_parse_framework_directly():
    data, lines = parse(SMALL_FRAMEWORK)
    problems = Problems()
    framework = parse_framework(data, lines, "f.yml", problems)
    assert problems.items == []
    assert [q.title for q in framework.key_questions] == ["Safe", "Well-led"]
    assert framework.source is None
    problems = Problems()
    assert parse_framework(["x"], lines, "f.yml", problems) is None
    assert [str(p) for p in problems.items] == ["f.yml:1: framework: must be a mapping with 'id', 'name' and 'key_questions'"]


@pytest.mark.parametrize("written, mode", [("", "auto"), ("search: auto\n", "auto"), ("search: pagefind\n", "pagefind"),
                                           ("search: material\n", "material"), ("search:\n", "auto")])
def test_search_is_auto_unless_portfolio_yml_names_one(project, written, mode):
    project.config("provider: X\n" + written)
    config, warnings = load(project)
    assert warnings == []
    assert config.search == mode


@pytest.mark.parametrize("value, shown", [
    ("pagefnd", "'pagefnd'; did you mean 'pagefind'?"), ("true", "True"), ("[pagefind]", "a list"), ("lunr", "'lunr'"),
])
def test_search_that_is_not_one_of_the_three(project, value, shown):
    project.config(f"provider: X\nsearch: {value}\n")
    error = broken(project)
    assert error.usage is True
    assert lines_of(error) == [f"site_config/portfolio.yml:2: search: must be one of auto, pagefind, material, not {shown}"]


# -- assurance checks switched on and off (an extension, issue 18) -----------------------------

@pytest.fixture
def known_checks(monkeypatch):
    from generator.judge import assurance
    from generator.judge.checks import CheckInfo, Family

    infos = (CheckInfo("vague-updates", "Vague updates", "..."), CheckInfo("weak-closure", "Weak closure", "..."))
    monkeypatch.setattr(assurance, "FAMILIES", (Family("test", infos, lambda portfolio: ()),))


def test_every_assurance_check_is_on_unless_switched_off(project, known_checks):
    config, warnings = load(project)
    assert config.checks_off == frozenset()
    project.config("provider: X\nassurance:\n  vague-updates: false\n  weak-closure: true\n")
    config, warnings = load(project)
    assert warnings == []
    assert config.checks_off == frozenset({"vague-updates"})


def test_unknown_assurance_check_is_warned_with_a_suggestion(project, known_checks):
    project.config("provider: X\nassurance:\n  vague-update: false\n")
    config, warnings = load(project)
    assert warnings == ["site_config/portfolio.yml:3: assurance.vague-update: warning: unknown assurance check; did you mean 'vague-updates'?"]
    assert config.checks_off == frozenset()


def test_assurance_switches_of_the_wrong_shape_are_usage_errors(project, known_checks):
    project.config("provider: X\nassurance:\n  vague-updates: no thanks\n")
    assert lines_of(broken(project)) == ["site_config/portfolio.yml:3: assurance.vague-updates: must be true or false, not 'no thanks'"]
    project.config("provider: X\nassurance: [vague-updates]\n")
    assert lines_of(broken(project)) == ["site_config/portfolio.yml:2: assurance: must be a mapping of check names to true or false"]
