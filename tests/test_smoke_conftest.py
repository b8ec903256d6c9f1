from generator.pipeline import check


def test_minimal_project_is_valid(minimal_project):
    checked = check(minimal_project.root)
    assert [str(p) for p in checked.problems.items] == []
    assert sorted(checked.validated.records) == ["act-1", "aud-1", "ev-1", "home", "mtg-1"]


def test_example_project_is_valid(example_project):
    checked = check(example_project)
    assert [str(p) for p in checked.problems.items] == []
    assert len(checked.validated.records) == 53
