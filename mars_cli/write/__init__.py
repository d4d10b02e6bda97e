"""Every change mars makes to a workspace: creating records from templates, recording steps and
sign-offs, adding and updating actions, changing fields (`change.py`, `mars set`), `init`. One
shared kit (`kit.py`) checks first and refuses with nothing written, edits in place, reads the
result back and writes atomically.

May import: model, store, framework, derive, rules.
"""
