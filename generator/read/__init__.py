"""Reading a project's files: front matter and YAML with the line of every key, then validation
(every problem found, with its file, line and field) into typed records.
"""
