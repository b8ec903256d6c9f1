"""The inspection pack (``portfolio pack``): one PDF, printed by Chromium.
"""
