"""The MkDocs plugin under the name an install made before the move gives it.

The plugin is :mod:`generator.mkdocs.plugin`; an editable install made earlier still names
``generator.plugin:PortfolioPlugin`` as its ``mkdocs.plugins`` entry point until it is reinstalled
(``pip install -e .``). Remove this module once every install has been.
"""

from .mkdocs.plugin import PortfolioPlugin

__all__ = ["PortfolioPlugin"]
