"""YAML mistakes people make in front matter, and the advice added to PyYAML's message."""

from __future__ import annotations

import random

import pytest

from generator.read.yamlread import YamlProblem, parse

ACTION = """\
id: ACT-1
title: Weekly MAR chart checks
risk: medium
updates:
  - date: 2026-02-05
    by: Jo Evans (Deputy manager)
    note: Schedule agreed.
completion:
  date: 2026-02-20
  checked_by: Sam Patel (Registered manager)
"""


def broken(old: str, new: str) -> YamlProblem:
    assert ACTION.count(old) == 1, old
    with pytest.raises(YamlProblem) as caught:
        parse(ACTION.replace(old, new), line_offset=1)  # as in a record: line 1 is the opening ---
    return caught.value


# (what was typed, the line reported, the advice after PyYAML's own words)
MISTAKES = {
    "tab-indenting-a-field": (("  date: 2026-02-20", "\tdate: 2026-02-20"), 10, "use spaces, not a tab, to indent"),
    "tab-before-a-list-item": (("  - date", "\t- date"), 6, "use spaces, not a tab, to indent"),
    "colon-in-a-title": (
        ("title: Weekly MAR chart checks", "title: Falls: review of night checks"), 3,
        'put the title in quotes: title: "Falls: review of night checks"',
    ),
    "colon-in-a-nested-note": (
        ("note: Schedule agreed.", "note: Agreed: weekly"), 8, 'put the note in quotes: note: "Agreed: weekly"',
    ),
    "colon-and-double-quotes": (
        ("title: Weekly MAR chart checks", 'title: The "big" review: falls'), 3,
        "put the title in quotes: title: 'The \"big\" review: falls'",
    ),
    "unclosed-double-quote": (
        ("title: Weekly MAR chart checks", 'title: "Weekly MAR chart checks'), 3,
        "the \" that starts the value of 'title' is never closed: end the value with \" too",
    ),
    "unclosed-single-quote": (
        ("title: Weekly MAR chart checks", "title: 'Weekly MAR chart checks"), 3,
        "the ' that starts the value of 'title' is never closed: end the value with ' too",
    ),
    "apostrophe-inside-single-quotes": (
        ("title: Weekly MAR chart checks", "title: 'Jo's review'"), 3,
        "a value that starts with a quote must end with it: put the title in quotes: title: \"Jo's review\"",
    ),
    "text-after-a-quoted-value": (
        ("title: Weekly MAR chart checks", 'title: "Falls" review'), 3,
        "a value that starts with a quote must end with it: put the title in quotes: title: '\"Falls\" review'",
    ),
    "value-starting-with-at": (
        ("title: Weekly MAR chart checks", "title: @home visits"), 3,
        "a value cannot start with '@' unless it is in quotes: put the title in quotes: title: \"@home visits\"",
    ),
    "value-starting-with-a-dash": (
        ("title: Weekly MAR chart checks", "title: - checks"), 3,
        "a value cannot start with '-' unless it is in quotes: put the title in quotes: title: \"- checks\"",
    ),
    "list-not-closed": (
        ("risk: medium", "risk: medium\nquality_statements: [safe-systems, medicines"), 5,
        "close the '[' with ']' on the same line (or, if it is text, put the quality_statements in quotes: "
        'quality_statements: "[safe-systems, medicines")',
    ),
    "list-item-dash-too-far-left": (
        ("    note: Schedule agreed.\n", "    note: Schedule agreed.\n - date: 2026-02-06\n   by: Jo Evans\n"), 9,
        "put this '-' 2 spaces in, under the '-' on line 6",
    ),
    "list-item-dash-too-far-right": (
        ("    note: Schedule agreed.\n", "    note: Schedule agreed.\n   - date: 2026-02-06\n"), 9,
        "put this '-' 2 spaces in, under the '-' on line 6",
    ),
    "list-item-field-too-far-left": (("    by: Jo", "   by: Jo"), 7, "indent 'by' 4 spaces, in line with 'date' on line 6"),
    "list-item-field-too-far-right": (("    by: Jo", "      by: Jo"), 7, "indent 'by' 4 spaces, in line with 'date' on line 6"),
    "no-space-after-the-dash": (("  - date: 2026-02-05", "  -date: 2026-02-05"), 7, "put a space after the '-' on line 6"),
    "field-too-far-right": (("  checked_by", "    checked_by"), 11, "indent 'checked_by' 2 spaces, in line with 'date' on line 10"),
    "field-too-far-left": (("  checked_by", " checked_by"), 11, "indent 'checked_by' 2 spaces, in line with 'date' on line 10"),
    "top-level-field-indented": (("risk: medium", " risk: medium"), 4, "move 'risk' to the start of the line, in line with 'title' on line 3"),
}


@pytest.mark.parametrize("name", list(MISTAKES))
def test_each_mistake_says_what_to_do(name: str):
    (old, new), line, advice = MISTAKES[name]
    problem = broken(old, new)
    assert problem.message.startswith("invalid YAML: ")
    assert problem.message.endswith("; " + advice), problem.message
    assert problem.line == line
    assert problem.field_name == "front matter"


def test_a_long_value_is_shown_cut_short():
    problem = broken("title: Weekly MAR chart checks", "title: Falls: " + "review of night checks " * 5)
    assert problem.message.endswith('put the title in quotes: title: "Falls: review of night checks review of night checks review..."')


def test_a_problem_without_advice_keeps_pyyaml_words_alone():
    with pytest.raises(YamlProblem) as caught:
        parse("a: 1\n--- \nb: 2\n")  # two documents: nothing a hint knows about
    assert ";" not in caught.value.message


def test_no_mistake_makes_the_advice_fail():
    """Advice is looked up on any broken text: whatever was typed, a YamlProblem comes out, never another error."""
    chance = random.Random(16)
    pieces = [":", ": ", "\t", "- ", "-", '"', "'", "[", "]", "{", "}", "@", "*", "|", ">", "\n", "  ", "#", "?", ",", "&"]
    for _ in range(3000):
        text = list(ACTION)
        for _ in range(chance.randint(1, 4)):
            at = chance.randrange(len(text) + 1)
            if chance.random() < 0.3 and at < len(text):
                del text[at]
            else:
                text.insert(at, chance.choice(pieces))
        try:
            parse("".join(text), line_offset=1)
        except YamlProblem as problem:
            assert problem.line >= 1 and "\n" not in problem.message
