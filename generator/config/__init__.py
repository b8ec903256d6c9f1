"""The project's settings: ``site_config/portfolio.yml``, the frameworks and the mappings between
them, and share profiles.
"""
