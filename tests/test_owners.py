"""Every step has an owner: the people (or the agency) its `lead:` in processes.yaml names, which
`mars overdue` and `mars due` list it under and filter by; and `mars new` gives a record its owner.

The workspace has two MARS officers and two ISOs, so a role can be held by several people: the
record then names the one it means (`owner:`, `lead_iso:`), or the step is listed under all of them.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
from conftest import CONFIG, record

CONFIG_TWO_OF_EACH = CONFIG.replace("rating_scale:", """\
  - {id: officer-2, name: Ida Officer, email: ida@example.org, roles: [mars-officer]}
  - {id: iso-2, name: Jo Scrutineer, email: jo@example.org, roles: [iso]}
rating_scale:""")
EVENT_ID = "ae-2025-11-01-trust-event-aaaa"
EVENT_PATH = f"records/agency-event/2025-26/{EVENT_ID}.md"
AS_OF = "2026-03-01"  # the event was on 20 January: nothing of it has been recorded since


def event(**named) -> str:
    """An agency event for the trust on 20 January 2026, with whoever it names (owner, lead_iso)."""
    return record("agency-event", EVENT_ID, "2025-11-01", status="proposed", agency="trust", date="2026-01-20",
                  **named)


def owners(mars, root, *args, command="overdue") -> dict[str, list[str]]:
    """Each listed step's owners (IDs), from the JSON."""
    result = mars("-w", root, command, "--format", "json", "--as-of", AS_OF, *args)
    assert result.code == 0, result.text
    return {i["step"]: [o["id"] for o in i["owners"]] for i in json.loads(result.out)["items"] if i["type"] == "step"}


def test_lead__a_mars_team_step_is_the_officers_and_the_return_is_the_agencys(workspace_with, mars):
    root = workspace_with({EVENT_PATH: event(owner="officer-2", lead_iso="iso-2")}, config=CONFIG_TWO_OF_EACH)
    found = owners(mars, root)
    assert found["return-sent"] == ["officer-2"]  # the MARS team sends the return: the record's officer
    assert found["return-received"] == ["trust"]  # the agency sends it back
    result = mars("-w", root, "overdue", "--format", "json", "--as-of", AS_OF)
    sent = next(i for i in json.loads(result.out)["items"] if i["step"] == "return-sent")
    assert (sent["owner"], sent["owner_name"], sent["owner_email"]) == ("officer-2", "Ida Officer", "ida@example.org")
    digest = mars("-w", root, "overdue", "--format", "markdown", "--as-of", AS_OF).out
    under_ida = digest.split("### Ida Officer (ida@example.org)")[1].split("###")[0]
    under_trust = digest.split("### Testshire Hospitals NHS Trust")[1].split("###")[0]
    assert "Section 11 return sent to the agency" in under_ida and "Section 11 return sent" not in under_trust
    assert "Updated Section 11 return back" in under_trust


def test_lead__a_role_held_by_two_is_the_one_the_record_names(workspace_with, mars):
    root = workspace_with({EVENT_PATH: event(owner="officer-2", lead_iso="iso-2")}, config=CONFIG_TWO_OF_EACH)
    found = owners(mars, root)
    assert found["verbal-feedback"] == ["iso-2"]  # lead: iso, and the record's lead_iso is Jo
    assert found["event"] == ["officer-2"]  # lead: mars-officer, and the record's owner is Ida


def test_lead__a_role_held_by_two_with_none_named_is_both_of_theirs(workspace_with, mars):
    root = workspace_with({EVENT_PATH: event()}, config=CONFIG_TWO_OF_EACH)
    found = owners(mars, root)
    assert found["return-sent"] == ["officer-1", "officer-2"]
    assert found["verbal-feedback"] == ["iso-1", "iso-2"]
    assert found["return-received"] == ["trust"]
    digest = mars("-w", root, "overdue", "--format", "markdown", "--as-of", AS_OF).out
    for heading in ("### Hal Officer (hal@example.org)", "### Ida Officer (ida@example.org)"):
        assert "Section 11 return sent to the agency" in digest.split(heading)[1].split("###")[0]
    table = mars("-w", root, "overdue", "--as-of", AS_OF).out
    assert "Hal Officer" in table and "Ida Officer" in table and "Gus Scrutineer" in table and "Jo Scrutineer" in table
    # each step once, however many people it is listed under: the four above, and the endorsement and the
    # selection letter, due by the return's date (their latest date) and not recorded
    assert "6 items (5 have more than one owner and are listed under each)." in table


def test_owner_filter__keeps_each_owners_steps_in_every_format(workspace_with, mars):
    root = workspace_with({EVENT_PATH: event()}, config=CONFIG_TWO_OF_EACH)
    assert set(owners(mars, root, "--owner", "officer-1")) == {"endorsed", "selection-letter", "return-sent", "event"}
    assert set(owners(mars, root, "--owner", "trust")) == {"return-received"}
    assert set(owners(mars, root, "--owner", "iso-2")) == {"verbal-feedback"}

    def run(fmt):
        return mars("-w", root, "overdue", "--owner", "officer-1", "--format", fmt, "--as-of", AS_OF).out

    digest = run("markdown")  # the digest for Hal: his steps, under him only
    assert [line for line in digest.splitlines() if line.startswith("### ")] == ["### Hal Officer (hal@example.org)"]
    rows = list(csv.DictReader(io.StringIO(run("csv"))))
    both = "officer-1; officer-2"  # the endorsement and the selection letter are late by their latest date
    assert {r["id"].rpartition(":")[2]: r["owners"] for r in rows} == \
        {"endorsed": both, "selection-letter": both, "return-sent": both, "event": both}
    github = run("github")
    assert github.count("::warning") == 4 and "owners Hal Officer; Ida Officer" in github
    suite = ET.fromstring(run("junit"))
    assert len(suite.findall(".//testcase")) == 4 and len(suite.findall(".//failure")) == 4
    events = icalendar.Calendar.from_ical(run("ics")).walk("VEVENT")
    assert [str(e["x-mars-owner"]) for e in events] == ["Hal Officer; Ida Officer"] * 4
    table = mars("-w", root, "overdue", "--owner", "officer-1", "--as-of", AS_OF).out
    assert "Hal Officer" in table and "Ida Officer" not in table


def test_owner_filter__due_lists_what_falls_due_for_each_owner(workspace_with, mars):
    root = workspace_with({EVENT_PATH: event(owner="officer-2")}, config=CONFIG_TWO_OF_EACH)
    soon = mars("-w", root, "due", "--within", "14d", "--owner", "trust", "--format", "json", "--as-of", "2025-12-20")
    assert [i["step"] for i in json.loads(soon.out)["items"]] == ["return-received"]  # due 30 December
    mine = mars("-w", root, "due", "--within", "14d", "--owner", "officer-2", "--format", "json",
                "--as-of", "2025-12-20")
    assert json.loads(mine.out)["items"] == []  # the return went out late (9 December): overdue, not due


def test_lead__a_step_whose_lead_names_nobody_is_the_record_owners_never_the_agencys(workspace_with, mars):
    rules = "processes:\n  agency-event:\n    steps:\n      return-sent:\n        lead: field:lead_iso\n"
    root = workspace_with({EVENT_PATH: event(owner="officer-2"), "processes.yaml": rules}, config=CONFIG_TWO_OF_EACH)
    assert owners(mars, root)["return-sent"] == ["officer-2"]  # no lead_iso yet: the owner's
    other = workspace_with({EVENT_PATH: event(), "processes.yaml": rules}, config=CONFIG_TWO_OF_EACH)
    assert owners(mars, other)["return-sent"] == []  # no owner either: nobody, not the agency
    assert "No owner named" in mars("-w", other, "overdue", "--format", "markdown", "--as-of", AS_OF).out


def test_lead__a_bad_lead_in_the_workspace_processes_is_an_error_at_its_line(workspace_with, mars):
    rules = """\
processes:
  agency-event:
    steps:
      return-sent:
        lead: mars-oficer
      return-received:
        lead: field:lead_isso
  thematic-event:
    steps:
      dates:
        lead: agency
      event:
        lead: [12]
"""
    root = workspace_with({EVENT_PATH: event(), "processes.yaml": rules}, config=CONFIG_TWO_OF_EACH)
    result = mars("-w", root, "check", "--format", "json", "--as-of", AS_OF)
    assert result.code == 1
    found = {f["line"]: f for f in json.loads(result.out)["findings"]
             if f["code"] == "bad-process" and f["path"] == "processes.yaml"}
    assert set(found) == {5, 7, 11, 13}
    assert "lead 'mars-oficer' names 'mars-oficer', which is not a role" in found[5]["message"]
    assert "Did you mean 'mars-officer'?" in found[5]["hint"]
    assert "'lead_isso', which is not a field of an agency-specific assurance event" in found[7]["message"]
    assert "Did you mean 'lead_iso'?" in found[7]["hint"]
    assert "has no `agency:`" in found[11]["message"]
    assert "lead should name who does the step" in found[13]["message"]
    text = mars("-w", root, "check", "--as-of", AS_OF).out
    assert "processes.yaml:5: error bad-process" in text


def test_kinds__each_step_says_who_leads_it(mars):
    out = mars("kinds", "agency-event").out
    assert "return-sent: Section 11 return sent to the agency to update" in out
    line = next(line for line in out.splitlines() if "return-sent:" in line)
    assert "led by mars-officer" in line
    assert "led by the agency" in next(line for line in out.splitlines() if "return-received:" in line)


# --------------------------------------------------------------------------- mars new: the record's owner

def new_owner(mars, root, *args) -> str | None:
    result = mars("-w", root, "new", "voice", "--title", "Young people's forum", *args)
    assert result.code == 0, result.text
    text = Path(result.out.strip()).read_text(encoding="utf-8")
    return next((line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("owner:")), None)


def test_new__the_owner_is_the_only_mars_officer_unless_given(workspace_with, mars):
    root = workspace_with()  # one MARS officer: officer-1
    assert new_owner(mars, root) == "officer-1"
    assert new_owner(mars, root, "--owner", "iso-1") == "iso-1"


def test_new__default_owner_in_mars_yaml_owns_new_records(workspace_with, mars):
    root = workspace_with(config=CONFIG_TWO_OF_EACH)
    assert new_owner(mars, root) is None  # two officers and none named: left for the officer to fill in
    named = workspace_with(config=CONFIG_TWO_OF_EACH + "default_owner: officer-2\n")
    assert new_owner(mars, named) == "officer-2"


def test_new__a_default_owner_who_is_not_a_person_is_an_error_at_its_line(workspace_with, mars):
    config = CONFIG_TWO_OF_EACH + "default_owner: officer-3\n"
    root = workspace_with(config=config)
    result = mars("-w", root, "check", "--format", "json")
    found = [f for f in json.loads(result.out)["findings"]
             if f["path"] == "mars.yaml" and f["code"] == "unknown-person"]
    assert [f["line"] for f in found] == [len(config.splitlines())]
    assert "default_owner 'officer-3' is not a person" in found[0]["message"] and "officer-2" in found[0]["hint"]


def test_new__at_a_terminal_the_owner_is_asked_with_the_default_offered(workspace_with, mars, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    asked = []

    def prompt(text, **kw):
        asked.append((text, kw.get("default")))
        return answers.pop(0) or kw.get("default") or ""

    monkeypatch.setattr("typer.prompt", prompt)
    root = workspace_with(config=CONFIG_TWO_OF_EACH + "default_owner: officer-2\n")
    answers = [""]  # Enter: the default
    assert new_owner(mars, root, "--date", "2026-05-01") == "officer-2"
    assert len(asked) == 1 and asked[0][0].startswith("Owner (") and asked[0][1] == "officer-2"
    answers = ["officer-1"]
    assert new_owner(mars, root, "--date", "2026-05-01") == "officer-1"
    asked.clear()
    plain = workspace_with(config=CONFIG_TWO_OF_EACH)
    answers = [""]  # no default: Enter leaves it out
    assert new_owner(mars, plain, "--date", "2026-05-01") is None
    assert len(asked) == 1 and asked[0][0].endswith("(Enter for none)") and asked[0][1] == ""
