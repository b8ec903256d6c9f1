"""Unit tests for generator.read.yamlread: YAML with the line of every key, and no guessed dates."""

from __future__ import annotations

import pytest

from generator.read import yamlread
from generator.read.yamlread import LineMap, YamlProblem, parse


@pytest.fixture(autouse=True, params=["parse", "parse_with_pyyaml"])
def reading(request, monkeypatch):
    """Every test holds for parse (the plain reading first) and for PyYAML's reading alone."""
    monkeypatch.setitem(globals(), "parse", getattr(yamlread, request.param))


def problem_of(text: str, offset: int = 0) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        parse(text, line_offset=offset)
    return caught.value


# -- values and lines ------------------------------------------------------------------------

def test_lines_of_top_level_keys_count_from_one():
    value, lines = parse("id: ACT-1\ntitle: Weekly checks\nrisk: high\n")
    assert value == {"id": "ACT-1", "title": "Weekly checks", "risk": "high"}
    assert lines.lines == {("id",): 1, ("title",): 2, ("risk",): 3}


def test_line_offset_is_added_to_every_line():
    value, lines = parse("id: ACT-1\ntitle: T\n", line_offset=1)
    assert lines.line("id") == 2
    assert lines.line("title") == 3
    assert lines.base == 1


def test_lines_of_nested_mappings_and_list_items():
    text = (
        "id: ACT-1\n"             # 1
        "extensions:\n"           # 2
        "  - date: 2026-01-20\n"  # 3
        "    from: 2026-01-31\n"  # 4
        "    to: 2026-02-28\n"    # 5
        "  - date: 2026-02-20\n"  # 6
        "    reason: late\n"      # 7
        "closure:\n"              # 8
        "  date: 2026-03-01\n"    # 9
        "  evidence:\n"           # 10
        "    - EV-1\n"            # 11
        "    - EV-2\n"            # 12
    )
    value, lines = parse(text)
    assert value["extensions"][1] == {"date": "2026-02-20", "reason": "late"}
    assert lines.line("extensions") == 2
    assert lines.line("extensions", 0) == 3
    assert lines.line("extensions", 0, "date") == 3
    assert lines.line("extensions", 0, "from") == 4
    assert lines.line("extensions", 0, "to") == 5
    assert lines.line("extensions", 1) == 6
    assert lines.line("extensions", 1, "reason") == 7
    assert lines.line("closure") == 8
    assert lines.line("closure", "date") == 9
    assert lines.line("closure", "evidence") == 10
    assert lines.line("closure", "evidence", 0) == 11
    assert lines.line("closure", "evidence", 1) == 12


def test_flow_style_items_share_their_line():
    value, lines = parse("title: T\nsource: [AUD-1, AUD-2]\ncompletion: {date: 2026-02-20, note: ok}\n")
    assert value["source"] == ["AUD-1", "AUD-2"]
    assert lines.line("source", 0) == 2
    assert lines.line("source", 1) == 2
    assert lines.line("completion", "note") == 3


def test_line_of_an_unknown_path_is_its_deepest_known_prefix():
    _, lines = parse("a: 1\nb:\n  c: 2\n", line_offset=1)
    assert lines.line("b", "c", "d", 5) == 4
    assert lines.line("b", "nope") == 3
    # nothing known at all: the document start (the line after the offset)
    assert lines.line("zzz") == 2
    assert lines.line() == 2


def test_has_is_true_only_for_keys_written():
    _, lines = parse("a: ~\nb:\n  - x\n")
    assert lines.has("a")  # written, even though empty
    assert lines.has("b", 0)
    assert not lines.has("b", 1)
    assert not lines.has("c")


def test_raw_text_keeps_scalars_as_written():
    value, lines = parse("id: 007\nratio: 1.50\nflag: yes\nnothing: ~\nquoted: '012'\n")
    assert value == {"id": 7, "ratio": 1.5, "flag": True, "nothing": None, "quoted": "012"}
    assert lines.raw_text("id") == "007"
    assert lines.raw_text("ratio") == "1.50"
    assert lines.raw_text("flag") == "yes"
    assert lines.raw_text("nothing") == "~"
    assert lines.raw_text("quoted") == "012"
    assert lines.raw_text("missing") is None


def test_raw_text_of_list_items_and_nested_scalars():
    _, lines = parse("tags: [001, b]\nbaseline: {date: 2026-01-01, value: 07}\n")
    assert lines.raw_text("tags", 0) == "001"
    assert lines.raw_text("tags", 1) == "b"
    assert lines.raw_text("baseline", "value") == "07"
    # containers have no raw text
    assert lines.raw_text("tags") is None


@pytest.mark.parametrize("written", ["2026-03-05", "2026-02-30", "2026-3-5", "2026-13-45", "2026-01-01T10:00:00", "2026-01-01 10:00"])
def test_dates_stay_strings_and_never_crash(written):
    value, lines = parse(f"due: {written}\n")
    assert value == {"due": written}
    assert isinstance(value["due"], str)
    assert lines.raw_text("due") == written


def test_dates_inside_lists_and_mappings_stay_strings():
    value, _ = parse("updates:\n  - date: 2026-02-30\n    note: n\nbaseline: {date: 2026-01-01, value: 3}\n")
    assert value["updates"][0]["date"] == "2026-02-30"
    assert value["baseline"] == {"date": "2026-01-01", "value": 3}


def test_other_scalar_types_still_resolve():
    value, _ = parse("n: 3\nf: 2.5\nb: false\nz: null\ns: text\n")
    assert value == {"n": 3, "f": 2.5, "b": False, "z": None, "s": "text"}


SCALARS = """\
plain_int: 12
plain_octal: 0o17
plain_float: 2.5
plain_bool: yes
plain_false: Off
plain_null: ~
plain_empty:
plain_text: twelve
quoted_int: '12'
double_quoted_bool: "yes"
quoted_null: 'null'
tagged_str: !!str 12
tagged_int: !!int "12"
nested: {n: 3, s: '3', list: [1, '1', true, 'true', 1.5e3]}
"""


def test_scalars_are_typed_as_pyyaml_types_them_dates_aside():
    """The parser resolves plain scalars itself (for speed): the result must be PyYAML's."""
    import yaml

    value, _ = parse(SCALARS)
    assert value == yaml.safe_load(SCALARS)
    assert value["quoted_int"] == "12" and value["tagged_str"] == "12" and value["tagged_int"] == 12
    assert value["plain_bool"] is True and value["double_quoted_bool"] == "yes" and value["plain_empty"] is None


def test_block_scalars_keep_their_text():
    value, lines = parse("note: |\n  line one\n  line two\nnext: x\n")
    assert value["note"] == "line one\nline two\n"
    assert lines.line("next") == 4


def test_empty_document_is_none():
    value, lines = parse("", line_offset=1)
    assert value is None
    assert lines.lines == {}
    value, _ = parse("# only a comment\n")
    assert value is None


def test_a_list_document_is_returned_with_item_lines():
    value, lines = parse("- a\n- b\n", line_offset=1)
    assert value == ["a", "b"]
    assert lines.line(0) == 2
    assert lines.line(1) == 3


def test_an_empty_line_map_defaults_to_line_one():
    assert LineMap().line("anything") == 1


# -- problems ------------------------------------------------------------------------------

def test_duplicate_top_level_key_is_reported_at_its_second_line():
    problem = problem_of("id: A\ntitle: t\nid: B\n", offset=1)
    assert problem.line == 4
    assert problem.field_name == "id"
    assert problem.message == "'id' is given twice in the same mapping"


def test_duplicate_nested_key_names_its_path():
    problem = problem_of("completion:\n  date: 2026-01-01\n  date: 2026-01-02\n")
    assert problem.line == 3
    assert problem.field_name == "completion.date"
    assert problem.message == "'date' is given twice in the same mapping"


def test_duplicate_key_inside_a_list_item_names_the_item_as_users_count_it():
    # Every other problem names list entries the way users count them, from 1
    # (``extensions[1].date``, see validate.label); a duplicate key should too.
    problem = problem_of("extensions:\n  - date: 2026-01-01\n    date: 2026-01-02\n", offset=1)
    assert problem.line == 4
    assert problem.message == "'date' is given twice in the same mapping"
    assert problem.field_name == "extensions[1].date"


def test_syntax_error_reports_the_line_where_it_is_found():
    problem = problem_of("id: a\ntitle: t\n  bad: x\n", offset=1)
    assert problem.line == 4
    assert problem.field_name == "front matter"
    assert problem.message == (
        "invalid YAML: mapping values are not allowed in this context; move 'bad' to the start of the line, in line with 'title' on line 3"
    )


def test_unclosed_flow_sequence():
    problem = problem_of("a: [1, 2\nb: 3\n")
    assert problem.line == 1  # where the '[' is, not where PyYAML noticed
    assert problem.message == (
        "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence); "
        "close the '[' with ']' on the same line (or, if it is text, put the a in quotes: a: \"[1, 2\")"
    )


def test_tab_indentation():
    problem = problem_of("a: 1\n\tb: 2\n", offset=1)
    assert problem.line == 3
    assert problem.message == "invalid YAML: found a tab character that violates indentation (while scanning a plain scalar); use spaces, not a tab, to indent"


def test_undefined_alias():
    problem = problem_of("x: *nope\n", offset=1)
    assert problem.line == 2
    assert problem.message == "invalid YAML: found undefined alias; a value cannot start with '*' unless it is in quotes: put the x in quotes: x: \"*nope\""


def test_key_that_is_not_a_plain_word():
    problem = problem_of("? [a, b]\n: 1\n", offset=1)
    assert problem.line == 2
    assert problem.field_name == "front matter"
    assert problem.message == "a key must be a plain word"


def test_value_that_cannot_be_constructed():
    problem = problem_of("a: 1\nb: !!int abc\n", offset=1)
    assert problem.line == 3
    assert problem.message == "invalid value: invalid literal for int() with base 10: 'abc'"


def test_unknown_tag_is_a_one_line_problem():
    # Spec section 4: "A problem is one line". ``!ENV`` is what a user used to mkdocs.yml writes.
    problem = problem_of("id: A\ntitle: !ENV TITLE\n", offset=1)
    assert problem.line == 3
    assert problem.message.startswith("invalid value: could not determine a constructor for the tag '!ENV'")
    assert "\n" not in problem.message


def test_python_tags_never_construct_python_objects():
    problem = problem_of("a: !!python/name:os.system ''\n")
    assert problem.line == 1
    assert problem.message.startswith("invalid value: could not determine a constructor for the tag 'tag:yaml.org,2002:python/name:os.system'")
    # on a list the tag is ignored: plain data comes back, nothing is called
    value, _ = parse("a: !!python/object/apply:os.system [echo hi]\n")
    assert value == {"a": ["echo hi"]}


# -- anchors, aliases and nesting: hostile YAML stays small ----------------------------------

def alias_bomb(levels: int, indent: str = "") -> str:
    """'Billion laughs': each line a list of nine aliases of the line above (9**levels values)."""
    rows = [f"{indent}l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    rows += [f"{indent}l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(rows) + "\n"


def test_a_single_harmless_alias_is_refused_at_its_line_and_field():
    problem = problem_of("id: ACT-1\nowner: &who Jo Evans\nclosure:\n  approved_by: *who\n", offset=1)
    assert (problem.line, problem.field_name) == (5, "closure.approved_by")
    assert problem.message == "YAML aliases (*who) are not allowed in records; write the value out"


def test_an_alias_in_a_list_and_a_merge_key_name_the_entry():
    problem = problem_of("base: &b {risk: high}\nitems:\n  - x\n  - *b\n")
    assert (problem.line, problem.field_name) == (4, "items[2]")
    problem = problem_of("base: &b {risk: high}\nother:\n  <<: *b\n")
    assert (problem.line, problem.field_name) == (3, "other.<<")


def test_an_anchor_without_an_alias_is_refused_too():
    problem = problem_of("id: ACT-1\ntags: &t [a, b]\n", offset=1)
    assert (problem.line, problem.field_name) == (3, "tags")
    assert problem.message == "YAML anchors (&t) are not allowed in records; write the value without one"


def test_the_message_names_the_kind_of_file():
    with pytest.raises(YamlProblem) as caught:
        yamlread.parse("a: &x 1\nb: *x\n", where="site_config files")
    assert caught.value.message == "YAML aliases (*x) are not allowed in site_config files; write the value out"


def test_an_alias_bomb_is_refused_before_it_is_built():
    import tracemalloc

    text = "id: EV-1\nextra:\n" + alias_bomb(9, "  ")
    tracemalloc.start()
    try:
        problem = problem_of(text, offset=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (problem.line, problem.field_name) == (5, "extra.l1[1]")
    assert problem.message == "YAML aliases (*l0) are not allowed in records; write the value out"
    assert peak < 5_000_000  # built out, the 9**9 values would take gigabytes


def test_a_value_holding_its_own_alias_is_refused_not_a_recursion_error():
    problem = problem_of("a: &x [1, *x]\n")
    assert (problem.line, problem.field_name) == (1, "a[2]")
    assert problem.message.startswith("YAML aliases (*x) are not allowed")


@pytest.mark.parametrize("text", [
    'title: "R&D: *the* plan & more"\n',
    "title: 5 * 3 & more\n",
    "note: |\n  **bold** & *em*\n",
    "title: 'a &b *c'\n",
])
def test_ampersands_and_asterisks_in_text_are_text(text):
    value, _ = parse(text)
    assert "&" in value[next(iter(value))] or "*" in value[next(iter(value))]


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
@pytest.mark.parametrize("depth", [600, 200_000])
def test_nesting_too_deep_is_a_problem_not_a_crash(opening, depth):
    # PyYAML's C composer overflows the C stack (a segfault) somewhere past 30,000 levels, and
    # the walk building the values would raise RecursionError after about 1,000.
    closing = {"[": "]", "{a: ": "}", "- ": ""}[opening]
    problem = problem_of("id: A\nx:\n  " + opening * depth + "1" + closing * depth + "\n", offset=1)
    assert (problem.line, problem.field_name) == (4, "x")
    assert problem.message == "invalid YAML: lists or mappings nested more than 500 deep"


def test_nesting_of_a_few_hundred_is_still_read():
    value, _ = parse("x: " + "[" * 300 + "1" + "]" * 300 + "\n")
    depth, inner = 0, value["x"]
    while isinstance(inner, list):
        depth, inner = depth + 1, inner[0]
    assert (depth, inner) == (300, 1)
