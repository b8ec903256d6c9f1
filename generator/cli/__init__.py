"""The ``portfolio`` command. The only package that imports ``click``: users' problems become
messages and exit codes here, at one boundary.
"""

from .commands import main

__all__ = ["main"]
