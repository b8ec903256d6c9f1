"""Unit tests for generator.format.people: who is a *named* person (spec section 2)."""

from __future__ import annotations

import pytest

from generator.config.portfolio import DEFAULT_ROLES, load_portfolio_config
from generator.format.people import PLACEHOLDERS, Person, parse_person
from generator.problems import Problems

ROLES = frozenset(DEFAULT_ROLES)


def person(value, roles=ROLES) -> Person:
    result = parse_person(value, roles)
    assert result is not None
    return result


# -- named people ------------------------------------------------------------------------------

def test_name_and_role():
    p = person("Jo Evans (Deputy manager)")
    assert p == Person("Jo Evans", "Deputy manager", True)
    assert p.display == "Jo Evans (Deputy manager)"


def test_name_and_role_with_extra_spaces():
    assert person("  Jo Evans   (  Nurse )  ") == Person("Jo Evans", "Nurse", True)


def test_name_only():
    p = person("Jo Evans")
    assert p == Person("Jo Evans", None, True)
    assert p.display == "Jo Evans"


def test_brackets_inside_the_name_keep_the_last_as_the_role():
    assert person("Jo (Joanna) Evans (Team leader)") == Person("Jo (Joanna) Evans", "Team leader", True)


def test_mapping_with_name_and_role():
    p = person({"name": "Sam Patel", "role": "Registered manager"})
    assert p == Person("Sam Patel", "Registered manager", True)
    assert p.display == "Sam Patel (Registered manager)"


def test_mapping_with_name_only():
    assert person({"name": "Sam Patel"}) == Person("Sam Patel", None, True)


def test_mapping_values_are_stripped():
    assert person({"name": "  Sam Patel ", "role": " Nurse  "}) == Person("Sam Patel", "Nurse", True)


# -- not named ---------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "TBC", "tbc", "TBA", "unknown", "Unknown", "none", "None", "n/a", "N/A", "-", "all staff", "All Staff",
    "everyone", "Everyone", "staff", "team", "TEAM", "  TBC  ",
])
def test_placeholders_are_not_named(written):
    p = person(written)
    assert p.named is False
    assert p.role is None


def test_every_placeholder_the_spec_lists_is_known():
    spec = {"tbc", "tba", "unknown", "none", "n/a", "-", "all staff", "everyone", "staff", "team"}
    assert spec <= PLACEHOLDERS
    assert "" in PLACEHOLDERS


@pytest.mark.parametrize("written", ["", "   ", None])
def test_empty_values_are_not_named(written):
    p = person(written)
    assert p == Person(None, None, False)
    assert p.display == "not named"


def test_empty_mapping_is_not_named():
    assert person({}) == Person(None, None, False)


def test_mapping_with_role_only_is_not_named():
    p = person({"role": "Nurse"})
    assert p == Person(None, "Nurse", False)
    assert p.display == "Nurse"


@pytest.mark.parametrize("name", ["TBC", "all staff", "-", "Registered manager", ""])
def test_mapping_whose_name_is_a_placeholder_or_a_role_is_not_named(name):
    assert person({"name": name, "role": "Nurse"}).named is False


def test_mapping_with_null_name():
    assert person({"name": None, "role": "Nurse"}) == Person(None, "Nurse", False)


@pytest.mark.parametrize("written", ["TBC (Registered manager)", "All staff (Care worker)", "(Deputy manager)", " - (Nurse)"])
def test_name_part_that_is_a_placeholder_or_empty_is_not_named(written):
    assert person(written).named is False


def test_empty_name_with_a_role():
    assert person("(Deputy manager)") == Person(None, "Deputy manager", False)


@pytest.mark.parametrize("role", [
    "registered manager", "deputy manager", "manager", "team leader", "shift leader", "senior carer", "care worker",
    "support worker", "nurse", "quality lead", "provider lead", "care coordinator",
])
def test_bare_default_roles_are_not_named(role):
    p = person(role)
    assert p == Person(None, role, False)


@pytest.mark.parametrize("written", ["Registered Manager", "REGISTERED MANAGER", "registered manager", "  Registered manager  "])
def test_bare_roles_ignore_case(written):
    p = person(written)
    assert p.named is False
    assert p.name is None
    assert p.role == written.strip()


def test_bare_role_from_portfolio_yml(project):
    project.config("provider: X\nroles: [Dementia lead, Field care supervisor]\n")
    roles = load_portfolio_config(project.root, Problems()).all_roles
    assert person("Dementia lead", roles) == Person(None, "Dementia lead", False)
    assert person("FIELD CARE SUPERVISOR", roles).named is False
    assert person({"name": "dementia LEAD"}, roles).named is False
    # without the project's roles it would pass as a name
    assert person("Dementia lead").named is True
    # the defaults still count alongside the project's roles
    assert person("Registered manager", roles).named is False
    assert person("Jo Evans (Dementia lead)", roles).named is True


def test_a_role_given_as_the_name_part_is_not_named():
    assert person("Registered manager (Sam Patel)").named is False


# -- what parse_person refuses -----------------------------------------------------------------

@pytest.mark.parametrize("value", [True, False, ["Jo Evans"], object()])
def test_values_that_are_not_people(value):
    assert parse_person(value, ROLES) is None


def test_numbers_are_read_as_text():
    assert parse_person(42, ROLES) == Person("42", None, True)


# -- display ---------------------------------------------------------------------------------

def test_display_as_names_and_roles():
    named = person("Jo Evans (Deputy manager)")
    assert named.display_as("names") == "Jo Evans (Deputy manager)"
    assert named.display_as("roles") == "Deputy manager"
    no_role = person("Jo Evans")
    assert no_role.display_as("names") == "Jo Evans"
    assert no_role.display_as("roles") == "a member of staff"
    placeholder = person("TBC")
    assert placeholder.display_as("roles") == "not named"
    assert placeholder.display_as("names") == "TBC"
    bare_role = person("Team leader")
    assert bare_role.display_as("roles") == "Team leader"
    assert bare_role.display_as("names") == "Team leader"
