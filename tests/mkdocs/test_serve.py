"""portfolio serve notices a saved file by the system's file events, and only a change counts."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from generator.mkdocs.serve import BUILD_DELAY, use_file_events
from generator.mkdocs.servepage import ProblemsServer


def _wanted(server: ProblemsServer, within: float = 5.0) -> bool:
    """Whether the server asks for a rebuild before ``within`` seconds pass (events are
    delivered by another thread)."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        if server._want_rebuild:
            return True
        time.sleep(0.02)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's file events")
def test_saving_a_file_asks_for_a_rebuild_and_reading_one_does_not(tmp_path: Path):
    content = tmp_path / "content"
    (content / "actions").mkdir(parents=True)
    record = content / "actions" / "act-1.md"
    record.write_text("---\nid: ACT-1\n---\n", encoding="utf-8")
    server = ProblemsServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    use_file_events(server, [content])
    assert server.build_delay == BUILD_DELAY
    assert "Polling" not in type(server.observer).__mro__[1].__name__
    server.watch(str(content))
    server.observer.start()
    try:
        record.read_text(encoding="utf-8")  # a rebuild reads files: that is no change
        assert not _wanted(server, within=1.0)
        record.write_text("---\nid: ACT-1\ntitle: Edited\n---\n", encoding="utf-8")
        assert _wanted(server)
        server._want_rebuild = False
        (content / "actions" / "act-2.md").write_text("---\nid: ACT-2\n---\n", encoding="utf-8")  # a new file
        assert _wanted(server)
        server._want_rebuild = False
        record.unlink()
        assert _wanted(server)
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()
