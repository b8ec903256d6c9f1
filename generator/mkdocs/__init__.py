"""The MkDocs side: the plugin, the build and the serve loop, incremental rebuilds, staging folders.
The only package that imports ``mkdocs`` or ``material``.
"""
