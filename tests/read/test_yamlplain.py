"""Unit tests for generator.read.yamlplain: the line-by-line reading gives PyYAML's answer, or none.

The contract is simple to state and is what every test here checks: for any text, either
``yamlplain.read`` returns None (and PyYAML reads the text), or it returns exactly the value, the
lines, the typed scalars' written form and the value by path that PyYAML's reading gives.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.read import yamlplain
from generator.read.load import record_files, read_text, split_front_matter
from generator.problems import Problems
from generator.read.yamlread import LineMap, YamlProblem, parse, parse_with_pyyaml

ROOT = Path(__file__).resolve().parents[2]


def same(a: Any, b: Any) -> bool:
    """Equal, of the same types all the way down (True is not 1), NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def assert_agrees(text: str, offset: int = 1) -> tuple[Any, LineMap] | None:
    """The contract: no answer, or PyYAML's answer in every part. Returns the plain answer."""
    plain = yamlplain.read(text, offset)
    if plain is None:
        return None
    try:
        expected, expected_lines = parse_with_pyyaml(text, line_offset=offset)
    except YamlProblem as exc:
        pytest.fail(f"read as plain, but PyYAML finds a problem ({exc.message}) in:\n{text}")
    value, lines = plain
    assert same(value, expected), text
    assert lines.lines == expected_lines.lines, text
    assert lines.raw == expected_lines.raw, text
    assert lines.base == expected_lines.base
    assert same(lines.root, expected_lines.root), text
    assert lines.values.keys() == expected_lines.values.keys(), text
    for path, found in lines.values.items():
        assert same(found, expected_lines.values[path]), (path, text)
    return plain


def front_matters(project: Path) -> list[tuple[str, str]]:
    problems = Problems()
    found = []
    for abs_path, rel, _kind in record_files(project / "content", project, problems):
        text = read_text(abs_path, rel, problems)
        split = split_front_matter(text, rel, problems) if text is not None else None
        if split is not None:
            found.append((rel, split[0]))
    return found


# -- real portfolios -------------------------------------------------------------------------

def test_every_record_of_the_example_portfolio_is_read_plain_and_agrees():
    records = front_matters(ROOT)
    assert len(records) > 40
    for rel, text in records:
        assert assert_agrees(text) is not None, f"{rel} fell back to PyYAML"


def test_a_synthetic_portfolio_is_read_plain_and_agrees(tmp_path, scale_benchmark):
    scale_benchmark.write_portfolio(tmp_path, 120)
    records = front_matters(tmp_path)
    assert len(records) > 200
    for rel, text in records:
        assert assert_agrees(text) is not None, f"{rel} fell back to PyYAML"


# -- shapes that are read plain --------------------------------------------------------------

PLAIN = [
    "id: ACT-1\ntitle: Weekly checks\n",
    "id: 007\nwidth: 3\nratio: 2.5\nsensitive: true\nflag: Yes\nnothing: ~\nempty:\ndue: 2026-03-05\n",
    "n: 0x1F\nm: 1_000\nt: 1:30\ne: 1e3\nf: .inf\ng: -.inf\nh: .NaN\ni: -5\nj: +5\nk: 0o17\nl: 0b101\n",
    "title: 'It''s done'\nnote: \"Said: yes, #1\"\nempty: ''\nblank: \"\"\n",
    "statements: [safe-environments, kindness]\nnone: []\nnums: [1, 2.5, true, null]\n",
    "baseline: {date: 2025-09-30, value: 38}\nnothing: {}\n",
    "quoted: [b, 'c, d', \"e \\u00e9\", 'it''s']\nreading: {date: '2026-01-31', value: 35, note: \"x: y\"}\n",
    "updates:\n  - date: 2026-01-02\n    by: Ann Lee (Registered manager)\n    note: Done.\n  - date: 2026-02-02\n    note: Again\n",
    "updates:\n- date: 2026-01-02\n  note: Same indent as the key\n- plain item\nnext: x\n",
    "list:\n    - a\n    -   b\n    - 'c'\n    - [d, e]\n    - {f: g}\nafter: 1\n",
    "intended_change: >-\n  Nights are covered by a permanent team,\n  with a third care worker.\nnext: 1\n",
    "note: |\n  Line one\n  Line two\n\n  After a blank\n\nnext: x\n",
    "note: >\n  One\n  two\n\n\n  three\nnext: x\n",
    "note: |-\n  kept: as text # not a comment\n  - nor a list\n",
    "# a comment\nid: ACT-1   \n  # an indented comment\ntitle: T\n\n\n",
    "a: b\n      # a deeper comment ends the value\nc: 'd'\n    # again\ne: [f]\n",
    "closure:\n  date: 2026-03-01\n  evidence:\n    - EV-1\n    - EV-2\n  checked_by: Ann\n",
    "a:\n  b:\n    c:\n      - d: 1\n        e:\n          - f\n      - g\nh: i\n",
    "text: a#b c-d e:f (g) [h] {i} 'j' \"k\" \\l\n",
    "name: Café Brontë – 5 ★\n",
    "mid: a -b ?c ,d |e >f !g &h *i %j @k `l [m] {n} 'o' \"p\" q#r s:t\ndots: ...\ndashes: ---\n",
    "lit: |\n  trailing  \n    deeper\n\nfold: >\n  one  \n  two\nend: x",
    "last: >\n  no line break at the end",
    "last: |\n  a line break, then blank rows\n\n  \n",
    "title: first line\n  second line\n\n  after a blank row [x] *y -5 'q'\nnext: 1\n",
    "items:\n- first\n  second\n-   third\n     fourth\nnext: 1 2\n  3\n",
    "title: 'first, it''s\n  second  \n\n  third  '\nnote: \"a\\\n    b \\u00e9\\x41\\U0001F600 \\\" \\\\ \\/\n  c\"\n",
    "title: \"with \\n, \\t and \\N escapes\"\n",
    "on: 1\nyes: 2\nnull: 3\n",
    "items:\n  - a: 1\n  -   b: 2\n      c: 3\n",
    "key:\nother: 2\nlast:\n",
    "measures:\n  - name: Falls\n    unit: \"%\"\n    readings:\n      - {date: 2026-01-31, value: 35}\n      - {date: 2026-04-30, value: 29.5}\n",
]


@pytest.mark.parametrize("text", PLAIN)
def test_shapes_read_plain_agree_with_pyyaml(text):
    assert assert_agrees(text) is not None, "expected the plain reading"


def test_lines_are_those_of_the_file():
    value, lines = yamlplain.read("id: ACT-1\n\n# note\nlist:\n  - a\n  - b: 1\n    c: 2\n", 1)
    assert value == {"id": "ACT-1", "list": ["a", {"b": 1, "c": 2}]}
    assert lines.lines == {("id",): 2, ("list",): 5, ("list", 0): 6, ("list", 1): 7,
                           ("list", 1, "b"): 7, ("list", 1, "c"): 8}
    assert lines.raw == {("list", 1, "b"): "1", ("list", 1, "c"): "2"}


# -- shapes left to PyYAML -------------------------------------------------------------------

FALLBACK = [
    "",                                    # empty
    "# only a comment\n",
    "- a\n- b\n",                          # not a mapping
    "just text\n",
    "id: ACT-1\nid: ACT-2\n",              # duplicate key: PyYAML's reading reports it
    "id: ACT-1 # a comment\n",
    "id: # a comment\n",
    "title: a: b\n",
    "title: Reason:\n",
    "anchor: &a x\nalias: *a\n",
    "tagged: !!str 5\n",
    "merge: <<\n",
    "value: =\n",
    "a:\n  b: 1\n   c: 2\n",                # an indent that opens nothing
    "a:\n  b: 1\n c: 2\n",
    "a: 1\n- b\n",
    "a:\n  - x\n  b: 1\n",
    "a:\n\tb: 1\n",                        # a tab
    "a: b\tc\n",
    "a: |+\n  kept\n\n",                   # keep chomping
    "a: |2\n    indented\n",               # an indentation indicator
    "a: |\n\n  leading blank\n",
    "a: >\n  one\n    more indented\n  two\n",
    "a: |\n  text\n   \nb: 1\n",            # spaces beyond the block's indent
    "a: |\nb: 1\n",                        # an empty block
    "a: [b, [c]]\n",
    "a: [b,]\n",
    "a: ['b': c]\n",
    "a: {b: 'c', b: d}\n",
    "a: [b: c]\n",
    "a: {b: {c: d}}\n",
    "a: {b}\n",
    "a: [b] # c\n",
    "? complex\n: key\n",
    "\"quoted\": key\n",
    "key with space: x\n",
    "a: -\n",
    "a: - b\n",
    "a:\n  -\n    b\n",
    "a: %x\n",
    "a: @x\n",
    "a: `x`\n",
    "a: x\n\x85b: y\n",                    # a line break to YAML only
    "a: x\u2028y\n",
    "a: \ufeffx\n",
    "a: x\x07\n",
    "a: 1\n...\n",
    "a: first\n  key: value\n",          # a key where the text would go on
    "a: first\n  - item\n",
    "a: first\n  : x\n",
    "a: first\n  x #c\n",
    "a: first\n# c\n  second\n",          # a comment ends the value: the row after it is an error
    "a:\n  b: first\n  second\n",         # not deeper than the key
    "a: 'open\n",
    "a: 'open\nb: 1\n",
    "a: 'x' y\n",
    "a:\n  b: 'x\n  y'\n",                # the next quoted row not deeper than its key
    "a: \"\\q\"\n",                       # an escape YAML does not have
    "a: \"\\ud83d\"\n",                   # half a surrogate pair
    "a: \"x\\ \n  y\"\n",                  # an escaped space at a line break
    "a: \"x\\\n\n  y\"\n",                # a blank row after an escaped line break
    "k" + "e" * 300 + ": long key\n",
]


@pytest.mark.parametrize("text", FALLBACK)
def test_other_shapes_are_left_to_pyyaml(text):
    assert yamlplain.read(text, 1) is None


@pytest.mark.parametrize("text", FALLBACK)
def test_parse_gives_pyyaml_answer_or_problem_for_other_shapes(text):
    try:
        expected = parse_with_pyyaml(text, line_offset=1)
    except YamlProblem as exc:
        with pytest.raises(YamlProblem) as caught:
            parse(text, line_offset=1)
        assert (caught.value.line, caught.value.message, caught.value.field_name) == (exc.line, exc.message, exc.field_name)
        return
    value, lines = parse(text, line_offset=1)
    assert same(value, expected[0])
    assert lines.lines == expected[1].lines


# -- generated documents ---------------------------------------------------------------------

KEYS = ["id", "title", "on", "yes", "null", "a-b", "_x", "Key2", "due", "note"]
SCALARS = [
    "hello", "hello world", "007", "0x1F", "1_000", "1:30", "-5", "+5", ".5", "1e3", "1.0e+3",
    ".inf", ".NaN", "true", "Yes", "off", "~", "null", "2025-01-02", "2025-1-2", "a # b", "a#b",
    "a: b", "a:b", "a:", "- a", "-a", "? a", "'q'", "'it''s'", "'open", "\"dq\"", "\"esc \\n\"",
    "[a, b]", "[]", "[a, [b]]", "[a,]", "[1, 2.5, true]", "{a: 1, b: x}", "{}", "{a: }",
    "&anchor x", "*alias", "!tag x", "%x", "@x", "`x`", "x   ", "café ★", "a\tb", ",x", "x,y",
    "[x", "x]", "{x", "}x", "<<", "=", "#c", "Ann Lee (Registered manager)", "'a' b", "\"a\" b",
    "[a, b] c", ":x", "?x", "|", "|-", ">", ">-", "|+", "|2", "> # c", "...", "a -b", "x #", "x: ",
    "[ a , b ]", "{ a: 1 }", "[a b, c-d, 1.5]", "{a: yes, b: 0x1F}", "\"a\\x41b \\u00e9 \\t \\\" \\\\\"",
    "\"\\ud83d\"", "\"\\q\"", "\"\\U0001F600 \\N \\_ \\/ \\ \"", "'open", "\"open", "\"open\\",
    "[a, 'b c', \"d\\x41\"]", "{a: 'x', b: \"y\"}", "['a': b]", "[a, 'b'c]", "{a: 'x', a: 'y'}", "[a, \"b\\q\"]",
    "{a: 'x''y', b: [c]}", "[a, ]", "[, a]", "{a: 1,}",
]
CONTINUATIONS = [
    "more text", "[x] *y &z !w |v %u @t `s`", "-5", "- item", "key: value", ": x", "?x", "#c", "x #c", "tail:",
    "'q'", "\"dq\"", "it''s", "back\\", "esc \\u00e9 \\q", "trailing  ", "a: b", "x'y", "x\"y", "\\ ",
]
BLOCK_LINES = ["text", "more text", "", "  deeper", "kept: colon", "# hash", "- dash", "   ", " ", "trailing  "]


def generated(rng: random.Random) -> str:
    """A document from pieces that are plain, nearly plain or not at all, nested at random."""
    out: list[str] = []

    def scalar_or_block(indent: int) -> str:
        value = rng.choice(SCALARS)
        if rng.random() < 0.15:
            return value + over_rows(indent, value[:1])
        if value[:1] in "|>":
            body = indent + rng.choice([1, 2, 3])
            out_lines = [" " * body + line if line.strip() else line for line in
                         rng.sample(BLOCK_LINES, rng.randint(0, 4))]
            return value + ("\n" + "\n".join(out_lines) if out_lines else "")
        return value

    def over_rows(indent: int, quote: str) -> str:
        """More rows of a value: text, blank rows, quotes closing it or not, at various depths."""
        rows = []
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.3:
                rows.append(" " * rng.randint(0, indent + 3))
            depth = indent + rng.choice([0, 1, 1, 2, 4]) if rng.random() < 0.9 else rng.randint(0, indent)
            piece = rng.choice(CONTINUATIONS)
            rows.append(" " * depth + piece)
        if quote in "'\"" and rng.random() < 0.8:
            rows.append(" " * (indent + rng.choice([1, 2])) + rng.choice(["end", "e''nd", "end\\x41", ""]) + quote + rng.choice(["", "  ", " x"]))
        return "\n" + "\n".join(rows)

    def mapping(indent: int, depth: int, first_prefix: str | None = None) -> None:
        for index in range(rng.randint(1, 4)):
            key = rng.choice(KEYS)
            prefix = first_prefix if (index == 0 and first_prefix is not None) else " " * indent
            roll = rng.random()
            if depth < 3 and roll < 0.2:
                out.append(f"{prefix}{key}:")
                mapping(indent + rng.choice([1, 2, 4]), depth + 1)
            elif depth < 3 and roll < 0.4:
                out.append(f"{prefix}{key}:")
                sequence(indent + rng.choice([0, 0, 2, 3]), depth + 1)
            elif roll < 0.45:
                out.append(f"{prefix}{key}:")
            else:
                out.append(f"{prefix}{key}: {scalar_or_block(indent)}")
            extra = rng.random()
            if extra < 0.05:
                out.append(" " * rng.randint(0, 6) + "# comment")
            elif extra < 0.1:
                out.append("")
            elif extra < 0.12:
                out.append(" " * rng.randint(1, 6) + rng.choice(SCALARS))  # a stray row

    def sequence(indent: int, depth: int) -> None:
        for _ in range(rng.randint(1, 3)):
            gap = rng.choice([1, 1, 1, 2, 3])
            if depth < 3 and rng.random() < 0.4:
                mapping(indent + 1 + gap, depth + 1, first_prefix=" " * indent + "-" + " " * gap)
            else:
                out.append(" " * indent + "-" + " " * gap + scalar_or_block(indent))

    mapping(0, 0)
    if rng.random() < 0.1:
        out.insert(rng.randrange(len(out) + 1), rng.choice(["", "# top comment", "  ", "- x"]))
    return "\n".join(out) + rng.choice(["\n", "", "\n\n"])


def test_generated_documents_agree_or_are_left_to_pyyaml():
    rng = random.Random(20261122)
    read_plain = 0
    for _ in range(3000):
        if assert_agrees(generated(rng)) is not None:
            read_plain += 1
    assert read_plain > 300  # enough of them are plain for the comparison to mean something


# -- front matter written by PyYAML ----------------------------------------------------------

WORDS = [
    "staff", "the", "audit", "re-audit", "falls", "care", "plan", "Ann", "Lee", "(Registered", "manager)",
    "2026-03-05", "7", "0.5", "yes", "null", "50%", "R&D", "it's", "“good”", "café", "—", "a:", "b: c", "#3",
    "x #y", "[note]", "{x}", "*", "!", "|", ">", "@home", "`code`", "?", "-", "- item", "'quoted'", '"double"',
    "back\\slash", "tab\tinside", "line\nbreak", "\u2028", "ü", "😀",
]


def record_like(rng: random.Random) -> dict[str, Any]:
    """A record's front matter as a program would build it, with text of every kind."""

    def text(short: bool = False) -> Any:
        roll = rng.random()
        if roll < 0.05:
            return rng.choice([None, True, 3, 2.5, "", "2026-01-31"])
        count = rng.randint(1, 4) if short else rng.randint(1, 40)
        return " ".join(rng.choice(WORDS) for _ in range(count))

    return {
        "id": f"ACT-{rng.randint(1, 99999):05d}",
        "title": text(short=True),
        "owner": text(short=True),
        "raised": rng.choice(["2026-01-02", None]),
        "quality_statements": [text(short=True) for _ in range(rng.randint(0, 3))],
        "intended_change": text(),
        "updates": [{"date": "2026-02-01", "by": text(short=True), "note": text()} for _ in range(rng.randint(0, 3))],
        "measures": [{"name": text(short=True), "baseline": {"date": "2026-01-01", "value": rng.randint(0, 99)}}],
    }


@pytest.mark.parametrize("options", [
    {},
    {"allow_unicode": True, "sort_keys": False},
    {"default_flow_style": None, "allow_unicode": True, "width": 60},
    {"indent": 4, "width": 40},
])
def test_front_matter_written_by_pyyaml_agrees(options):
    rng = random.Random(7)
    read_plain = 0
    for _ in range(300):
        text = yaml.safe_dump(record_like(rng), **options)
        if assert_agrees(text) is not None:
            read_plain += 1
    assert read_plain > 30


def test_pyyaml_wrapping_long_text_is_read_plain():
    data = {"note": "The deputy manager will report progress to the monthly governance meeting until the re-audit.",
            "said": "Residents’ feedback: “good” — café " * 3, "colon": "Reason: " + "long words " * 12}
    for options in ({}, {"allow_unicode": True}):
        assert assert_agrees(yaml.safe_dump(data, **options)) is not None
