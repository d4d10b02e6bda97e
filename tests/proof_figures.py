"""The figures the proofs count (kills, races, cases, losses...), gathered for `python tests/prove.py`.

A proof calls `count(kills=20, partial_files=0)`; when MARS_PROOF_FIGURES names a file (prove.py sets it),
each call appends one JSON line to it, so figures from every test and every xdist worker add up.
Without it (an everyday run) nothing is written.
"""

from __future__ import annotations

import json
import os


def count(**figures: int) -> None:
    target = os.environ.get("MARS_PROOF_FIGURES")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(figures) + "\n")
