"""The record format: the typed records every later stage reads, and the people named in them.
"""
