"""Unit tests for generator.read.yamlguard: the cap on what aliases may add to mkdocs.yml."""

from __future__ import annotations

import tracemalloc

import pytest
import yaml

from generator.read.yamlguard import cap_expansion, suspicious
from generator.read.yamlread import YamlProblem


def alias_bomb(levels: int, indent: str = "") -> str:
    """'Billion laughs': each line a list of nine aliases of the line above (9**levels values)."""
    rows = [f"{indent}l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    rows += [f"{indent}l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(rows) + "\n"


PALETTE = """\
site_name: Care
theme:
  palette:
    - scheme: default
      toggle: &toggle {icon: material/brightness-7, name: Switch}
    - scheme: slate
      toggle: *toggle
"""


def test_anchors_used_a_few_times_are_allowed_in_mkdocs_yml():
    root = cap_expansion(PALETTE, 100_000, where="mkdocs.yml")
    assert isinstance(root, yaml.MappingNode)
    assert root.value[0][0].value == "site_name"


def test_a_bomb_is_refused_at_the_key_that_grows_most_without_building_it():
    text = "site_name: Care\nextra:\n  laughs:\n" + alias_bomb(9, "    ")
    tracemalloc.start()
    try:
        with pytest.raises(YamlProblem) as caught:
            cap_expansion(text, 100_000, where="mkdocs.yml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    problem = caught.value
    assert (problem.line, problem.field_name) == (2, "extra")
    assert problem.message.startswith("YAML aliases expand mkdocs.yml to 4")
    assert problem.message.endswith("at most 100,000 more are allowed: write the values out or use fewer aliases")
    assert peak < 5_000_000


def test_the_cap_counts_what_aliases_add_not_what_the_text_writes():
    text = alias_bomb(3)  # 9 + 81 + 729 values, written in three rows
    assert cap_expansion(text, 1_000, where="mkdocs.yml") is not None
    with pytest.raises(YamlProblem):
        cap_expansion(text, 500, where="mkdocs.yml")
    long_list = "nav:\n" + "".join(f"  - page-{i}.md\n" for i in range(2_000))
    assert cap_expansion(long_list, 10, where="mkdocs.yml") is not None


def test_a_value_holding_its_own_alias_is_refused():
    with pytest.raises(YamlProblem) as caught:
        cap_expansion("site_name: x\nextra: &x {again: *x}\n", 100_000, where="mkdocs.yml")
    assert (caught.value.line, caught.value.field_name) == (2, "extra")
    assert "inside the value it names" in caught.value.message


def test_deep_nesting_is_refused_before_composing():
    with pytest.raises(YamlProblem) as caught:
        cap_expansion("extra: " + "[" * 100_000 + "]" * 100_000 + "\n", 100_000, where="mkdocs.yml")
    assert caught.value.message == "invalid YAML: lists or mappings nested more than 500 deep"


def test_syntax_errors_are_left_to_the_reader_that_follows():
    assert cap_expansion("extra: [unclosed\n", 100_000, where="mkdocs.yml") is None
    assert cap_expansion("", 100_000, where="mkdocs.yml") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("id: A\ntitle: Plain record\n", False),
    ("title: R&D\n", True),
    ("title: *x\n", True),
    ("x: " + "[" * 501 + "]" * 501, True),
])
def test_only_texts_that_may_hold_an_anchor_or_deep_nesting_are_scanned(text, expected):
    assert suspicious(text) is expected
