"""What the site shows: the plan of pages, dashboards, charts, rendering with Jinja2, the raw HTML
allow-list, ``portfolio.json`` and the published JSON Schemas. Nothing here imports MkDocs.
"""
