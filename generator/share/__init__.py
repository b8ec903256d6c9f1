"""Shares (``portfolio share``): what a profile may publish, the personal-data guard, redaction,
and the last look at every built file (nothing fetched from another host).
"""
