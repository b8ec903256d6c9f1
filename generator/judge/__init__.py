"""The portfolio on a date: records cross-linked into a model, and each action assessed (overdue,
due soon, stale, escalation due) on the as-of date.
"""
