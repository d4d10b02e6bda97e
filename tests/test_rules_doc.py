"""docs/rules.md is the shipped rules table (rule id -> where it comes from -> the test that breaches
it), generated from the process data so it cannot drift. Regenerate it with:

    python tests/test_rules_doc.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "rules.md"
sys.path.insert(0, str(ROOT))

HEADER = """\
# The rules `mars check` applies

Generated from `mars_cli/process/processes.yaml` (the shipped processes) by
`python tests/test_rules_doc.py`; a test fails when this file is out of date. A workspace changes
these rules in its own `processes.yaml` (README, "Changing the rules"); `mars rules` lists the
rules a workspace actually uses. Every rule has a test in `tests/test_rules_breach.py` that plants a
breach in a temporary workspace and sees `mars check` name it, with its file, line and rule.

Severity: an error makes `mars check` exit 1; a warning says what is late or missing.

"""


def expected() -> str:
    from mars_cli import process
    from mars_cli.rules.process import rule_table

    lines = ["| rule | what it asks | severity | where it comes from | breach test |", "|---|---|---|---|---|"]
    for r in rule_table(process.default()):
        cells = (f"`{r.id}`", r.what, r.severity, r.source, f"`test_breach[{r.id}]`")
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return HEADER + "\n".join(lines) + "\n"


def test_rules_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == expected(), "docs/rules.md is stale: run python tests/test_rules_doc.py"


def test_every_rule_in_the_doc_has_its_breach_test():
    from test_rules_breach import BREACHES

    from mars_cli import process
    from mars_cli.rules.process import rule_table

    assert {r.id for r in rule_table(process.default())} <= set(BREACHES)


if __name__ == "__main__":
    DOC.write_text(expected(), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
