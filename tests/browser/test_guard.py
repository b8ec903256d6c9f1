"""The watch every browser test relies on is not vacuous: it sees and blocks a request to another
host, and it sees console errors."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_guard_blocks_and_reports_requests_to_other_hosts(watched):
    page = watched.open("index.html")
    assert watched.requests and not watched.foreign_requests()
    page.evaluate("""() => new Promise(done => {
        const img = new Image();
        img.onload = img.onerror = () => done();
        img.src = 'https://example.com/tracker.png';
    })""")
    page.evaluate("() => console.error('deliberate test error')")
    page.wait_for_timeout(100)

    assert watched.foreign_requests() == ["https://example.com/tracker.png"]
    assert watched.blocked == ["https://example.com/tracker.png"]
    assert any("deliberate test error" in m for m in watched.console_errors), watched.console_errors
    with pytest.raises(AssertionError, match="requests to other hosts"):
        watched.assert_clean()
