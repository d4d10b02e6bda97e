"""Questions asked of a workspace as of a day: selecting records, the overdue and due lists, the
action dashboard. Reads only; writes nothing.

May import: model, store, framework, derive, rules.
"""
