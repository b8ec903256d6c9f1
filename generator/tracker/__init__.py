"""A spreadsheet tracker in and out: ``portfolio import`` (table, cells, headings, map file,
writer) and ``portfolio export``.
"""
