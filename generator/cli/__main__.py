"""``python -m generator.cli``: the ``portfolio`` command."""

from .commands import main

main()
