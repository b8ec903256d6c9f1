"""Monthly snapshots (``portfolio snapshot``), their manifests, ``portfolio verify`` and the
archive's index page.
"""
