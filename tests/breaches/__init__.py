"""Every shipped rule, broken on purpose: `mars check` names the rule, the file, the line and the severity.

Where a rule's case is: rule `<kind>.<...>` in `test_<kind>.py` (dashes as underscores: the case for
`agency-event.letter-sent.needs` is in `test_agency_event.py`); the rules every process shares
(`signoff.`, `steps.`, `progress.`, `status.`, `meeting.`) in `test_every_process.py`.

Each module holds BREACHES, one Case per rule: the records planted (written with conftest.record, so
each record's own fields start on line 8), where the finding must be, and how to fix the breach. Its
`test_breach` runs every case through `harness.assert_breach`; the module's other tests are the
variations of those rules. `test_every_rule.py` keeps the cases complete: one per rule `mars rules`
lists, in the module its name says.
"""
