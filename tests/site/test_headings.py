"""Unit tests for generator.site.headings: ids and contents as Python-Markdown's toc made them."""

from __future__ import annotations

import markdown

from generator.site.headings import PageOutline, TocSettings, attribute


def test_ids_are_toc_slugs_unique_on_the_page():
    page = PageOutline()
    assert page.heading(1, "ACT-005: Build a night team &amp; cut agency") == (
        '<h1 id="act-005-build-a-night-team-cut-agency">ACT-005: Build a night team &amp; cut agency</h1>')
    assert page.heading(2, "Actions") == '<h2 id="actions">Actions</h2>'
    assert page.heading(2, "Actions") == '<h2 id="actions_1">Actions</h2>'
    assert page.heading(3, "Actions") == '<h3 id="actions_2">Actions</h3>'


def test_ids_match_markdown_for_the_same_headings():
    source = "# Café: Résumé's \"notes\"\n\n## Open and in progress (3)\n\n## Open and in progress (3)\n\n### Ünïcode & more"
    converted = markdown.Markdown(extensions=["toc"])
    converted.convert(source)
    page = PageOutline()
    for text, level in (("Café: Résumé's &quot;notes&quot;", 1), ("Open and in progress (3)", 2),
                        ("Open and in progress (3)", 2), ("Ünïcode &amp; more", 3)):
        page.heading(level, text)
    expected = getattr(converted, "toc_tokens")
    ours = page.toc_tokens()

    def ids(tokens):
        return [(t["level"], t["id"], [ids(t["children"])]) for t in tokens]

    assert ids(ours) == ids(expected)


def test_contents_are_nested_like_toc_tokens():
    page = PageOutline()
    page.heading(1, "Title")
    page.heading(2, "First")
    page.heading(3, "Inner")
    page.heading(2, "Second", exclude=True)
    [title] = page.toc_tokens()
    assert (title["level"], title["id"], title["name"]) == (1, "title", "Title")
    assert [(t["id"], [c["id"] for c in t["children"]]) for t in title["children"]] == [("first", ["inner"]), ("second", [])]


def test_excluded_sections_carry_the_search_plugins_attribute():
    page = PageOutline()
    assert page.heading(2, "Timeline", exclude=True) == '<h2 data-search-exclude="1" id="timeline">Timeline</h2>'


def test_a_given_id_is_kept_and_reserved():
    page = PageOutline()
    assert page.heading(2, "The provider's account", id="providers-account") == (
        '<h2 id="providers-account">The provider\'s account</h2>')
    assert page.heading(2, "Providers account") == '<h2 id="providers-account_1">Providers account</h2>'


def test_toc_options_from_mkdocs_yml():
    page = PageOutline(TocSettings.from_config({"permalink": True, "separator": "_", "toc_depth": "2-3", "baselevel": 2}))
    assert page.heading(1, "A title") == (
        '<h2 id="a_title">A title<a class="headerlink" href="#a_title" title="Permanent link">&para;</a></h2>')
    page.heading(3, "Deep down")  # an h4 with baselevel 2: not in the contents (toc_depth 2-3)
    assert [t["id"] for t in page.toc_tokens()] == ["a_title"]
    leading = PageOutline(TocSettings.from_config({"permalink": "#", "permalink_leading": True, "permalink_title": ""}))
    assert leading.heading(2, "X") == '<h2 id="x"><a class="headerlink" href="#x">#</a>X</h2>'


def test_attribute_escapes_as_markdown_does():
    assert attribute('a "b" <c> & d &amp; e') == "a &quot;b&quot; &lt;c&gt; &amp; d &amp; e"
