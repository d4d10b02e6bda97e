"""The plain data mars works with, and nothing else: records, the configuration, findings, the
expected errors, dates (UK forms, reporting years, working days) and the shapes a field's value may
take. No file or network I/O.

May import: nothing of mars_cli.
"""
