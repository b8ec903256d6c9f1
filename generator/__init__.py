"""Governance evidence portfolios for UK adult social care.

The pipeline is load -> validate -> model -> assess -> plan -> render -> engine; each stage is a
module of plain functions over plain data so every command (check, build, serve, ...) reuses it.
"""

__version__ = "0.1.0"
TOOL_NAME = "portfolio"
