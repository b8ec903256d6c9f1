"""The example built by the real command with the provider's own accounts of two statements, and
switched to CQC's draft framework of 2026 through the shipped mapping (issue 9).

The command runs with the working tree first on PYTHONPATH, so these builds exercise the code as
it stands here even where an older copy of the package is installed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from .conftest import EXAMPLE_AS_OF, REPO, clean_env, copy_example, page_targets, plain, read_article, run_portfolio, section_with

STAFFING = """\
---
statement: safe-and-effective-staffing
rating: 2
reviewed: 2026-10-15
reviewed_by: Helen Marsh (Registered manager)
---
Nights at Brookfield House still lean on agency staff: a permanent night team is being built
(ACT-005), and supervision has restarted (ACT-011). We rate this a 2 until the night team is in
post.
"""

MEDICINES = """\
---
id: SA-MEDICINES
title: Our account of medicines optimisation
statement: medicines-optimisation
rating: 3
reviewed: 2026-11-01
reviewed_by: Helen Marsh (Registered manager)
---
Monthly MAR chart audits have found no missed signatures since the summer.
"""


def env() -> dict[str, str]:
    return clean_env(PYTHONPATH=str(REPO))


def build(project: Path, site: Path) -> None:
    result = run_portfolio("build", "--as-of", EXAMPLE_AS_OF, "--site-dir", str(site), cwd=project, env=env())
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def with_accounts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("accounts")
    project = copy_example(base / "example")
    (project / "content" / "statements").mkdir()
    (project / "content" / "statements" / "staffing.md").write_text(STAFFING, encoding="utf-8")
    (project / "content" / "statements" / "medicines.md").write_text(MEDICINES, encoding="utf-8")
    checked = run_portfolio("check", cwd=project, env=env())
    assert (checked.returncode, checked.stdout.strip().splitlines()) == (0, ["portfolio: 55 records, no errors"])
    build(project, base / "site")
    return base / "site"


@pytest.fixture(scope="module")
def switched(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("switched")
    project = copy_example(base / "example")
    config = project / "site_config" / "portfolio.yml"
    config.write_text(re.sub(r"(?m)^framework: .*$", "framework: cqc-asc-2026-draft", config.read_text(encoding="utf-8")), encoding="utf-8")
    checked = run_portfolio("check", cwd=project, env=env())
    assert (checked.returncode, checked.stdout.strip().splitlines()) == (0, ["portfolio: 53 records, no errors"])
    build(project, base / "site")
    return base / "site"


def test_the_account_is_on_its_statement_page_above_the_actions(with_accounts: Path):
    page = read_article(with_accounts, "statements/safe-and-effective-staffing.html")
    text = plain(page)
    assert text.index("The provider's account") < text.index("Actions not yet closed") < text.index("Evidence")
    account = section_with(page, "provider's account")
    assert 'id="providers-account"' in page
    assert "2 (Some shortfalls) on the CQC quality statement score" in plain(account)
    assert "Reviewed 2026-10-15 by Helen Marsh (Registered manager)" in plain(account)
    assert "Nights at Brookfield House still lean on agency staff" in plain(account)
    meds = plain(section_with(read_article(with_accounts, "statements/medicines-optimisation.html"), "provider's account"))
    assert "Our account of medicines optimisation" in meds and "3 (Good standard)" in meds


def test_the_self_assessment_dashboard_compares_ratings_with_the_evidence(with_accounts: Path):
    page = read_article(with_accounts, "dashboards/self-assessment.html")
    unsupported = plain(section_with(page, "does not support"))
    # ACT-008 (high risk, in progress) is on medicines optimisation on 2026-11-22
    assert unsupported == "Medicines optimisation : rated 3 (Good standard), but 1 open high-risk action."
    every = plain(section_with(page, "every account"))
    assert "Safe and effective staffing Safe 2 (Some shortfalls)" in every
    assert "rated 2 (Some shortfalls); 1 open high-risk action" in every
    targets = page_targets(with_accounts, "dashboards/self-assessment.html", page)
    assert {"statements/safe-and-effective-staffing.html", "statements/medicines-optimisation.html", "dashboards/coverage.html"} <= targets
    home = (with_accounts / "index.html").read_text(encoding="utf-8")
    assert "dashboards/self-assessment.html" in home  # in the navigation


def test_accounts_in_portfolio_json_and_the_key_question_page(with_accounts: Path):
    data = json.loads((with_accounts / "portfolio.json").read_text(encoding="utf-8"))
    accounts = [r for r in data["records"] if r["kind"] == "statement"]
    assert [(r["id"], r["url"]) for r in accounts] == [
        ("SA-MEDICINES", "statements/medicines-optimisation.html"),
        ("safe-and-effective-staffing", "statements/safe-and-effective-staffing.html"),
    ]
    assert accounts[1]["fields"]["rating"] == "2"
    staffing = next(s for s in data["quality_statements"] if s["id"] == "safe-and-effective-staffing")
    assert "safe-and-effective-staffing" in staffing["records"]
    question = plain(read_article(with_accounts, "key-questions/safe.html"))
    assert "Provider's rating" in question and "Medicines optimisation 2 1 2 3 3 (Good standard)" in question


def test_the_example_on_the_draft_framework_shows_every_record_where_the_mapping_puts_it(switched: Path):
    mapping = yaml.safe_load((REPO / "site_config" / "mappings" / "cqc-saf-2023--cqc-asc-2026-draft.yml").read_text(encoding="utf-8"))["map"]
    draft = yaml.safe_load((REPO / "site_config" / "frameworks" / "cqc-asc-2026-draft.yml").read_text(encoding="utf-8"))
    new_ids = {s["id"] for q in draft["key_questions"] for s in q["statements"]}
    assert sorted(p.stem for p in (switched / "statements").glob("*.html")) == sorted(new_ids)
    data = json.loads((switched / "portfolio.json").read_text(encoding="utf-8"))
    assert data["framework"] == "cqc-asc-2026-draft"
    expected: dict[str, set[str]] = {sid: set() for sid in new_ids}
    for record in data["records"]:
        for written in record["fields"].get("quality_statements") or []:
            for target in ([written] if written in new_ids else mapping[written]["to"]):
                expected[target].add(record["url"])
    for statement in data["quality_statements"]:
        page = f"statements/{statement['id']}.html"
        linked = {t for t in page_targets(switched, page, read_article(switched, page)) if t.split("/")[0] in ("actions", "sources", "evidence")}
        assert linked == expected[statement["id"]], statement["id"]
    assert sum(len(v) for v in expected.values()) > 46  # statements split: records are on more pages
    page = plain(read_article(switched, "statements/safety-culture.html"))
    assert "mapped from Learning culture (cqc-saf-2023)" in page
    assert "This framework is a draft, published 2026-03-24" in page
    assert not (switched / "dashboards" / "self-assessment.html").exists()
