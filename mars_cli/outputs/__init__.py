"""What machines and mail readers get: one JSON envelope with one schema version, one CSV writer,
one module of escapers (one per kind of output), the feeds for CI (JSON, CSV, Markdown digests,
GitHub annotations, JUnit) and the calendar.

May import: model, store, framework, derive, rules, queries, write.
"""
