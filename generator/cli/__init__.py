"""The ``portfolio`` command. The only package that imports ``click``: users' problems become
messages and exit codes here, at one boundary (:mod:`.boundary`).
"""

from . import new  # noqa: F401  (registers 'portfolio new')
from .commands import main

__all__ = ["main"]
