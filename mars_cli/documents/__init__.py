"""The papers the framework names, built from the records: each paper is composed as data
(`paper.py`: sections of prose, tables and text), written as Markdown, and compiled by pandoc and
Typst (`build.py`) into a tagged PDF (PDF/UA-1), a DOCX and a standalone HTML, each carrying the
highest protective marking of what it contains. One module talks to each outside tool:
`pandoc.py`, `typst.py`; `docx.py` makes the DOCX's marked header and footer.

May import: model, store, framework, derive, rules, queries, write.
"""
