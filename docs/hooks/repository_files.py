"""MkDocs hook: repository files outside docs/ published as pages of the guide.

``benchmarks/README.md`` belongs beside the benchmark it describes, and the guide links to it as
``../../benchmarks/README.md`` so that the link also works when the Markdown is read in a clone.
At build time the file becomes the page ``benchmarks.md`` and those links point at it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

#: Link as written in a guide page -> the page it becomes in the built guide.
OUTSIDE = {"../../benchmarks/README.md": "benchmarks.md"}


def on_files(files: Files, config: Any, **_: Any) -> Files:
    for link, page in OUTSIDE.items():
        source = (Path(config["docs_dir"]) / link).resolve()
        files.append(File.generated(config, page, abs_src_path=str(source)))
    return files


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    for link, target in OUTSIDE.items():
        markdown = markdown.replace(f"]({link}", f"]({target}")
    if page.file.src_uri in OUTSIDE.values():
        # The included file links back into the guide as a file of the repository would.
        markdown = markdown.replace("](../docs/guide/", "](")
    return markdown
