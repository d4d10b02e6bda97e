"""What is true as of a day, computed from the records and never stored: the context rules and
commands look things up in (records by ID, meetings, papers), each record's process timeline,
actions as they stood, a self-assessment's ratings (ratings.ratings_of), content fingerprints for
sign-offs, and finding what a command names.

May import: model, store, framework.
"""
