"""Who owns a step of a record's process: the people (or the agency) its `lead:` names.

A step's lead (processes.yaml) is a list of entries, each one or more alternatives
separated by `|` (the first that names anyone counts): a role from mars.yaml, `field:NAME`
(a field of the record naming people or agencies) or `agency` (the record's agency). A role
held by several people resolves to the people the record names who hold it (in a field
declaring that role, such as `lead_iso`, else in any person field such as `owner`), else to
every holder. A step whose lead names nobody, or that has none, is the record owner's.
"""

from __future__ import annotations

from mars_cli.framework import kinds
from mars_cli.framework.processes import Step
from mars_cli.model.records import Config, Record


def step_owners(config: Config, record: Record, step: Step) -> tuple[str, ...]:
    """The IDs (people, or an agency) a step is listed under, in the order its lead names them;
    () when neither the lead nor the record's `owner:` names anyone."""
    found: list[str] = []
    for entry in step.lead:
        for alternative in entry.split("|"):
            named = _named_by(config, record, alternative)
            if named:
                found.extend(named)
                break
    if not found and record.text("owner"):
        found.append(record.text("owner"))
    return tuple(dict.fromkeys(found))


def _named_by(config: Config, record: Record, alternative: str) -> list[str]:
    if alternative == "agency":
        return _field_values(record, "agency")
    if alternative.startswith("field:"):
        return _field_values(record, alternative[len("field:"):])
    base, _, target = alternative.partition(":")
    if target == "{partner}":
        roles = [f"{base}:{partner}" for partner in config.partners]
    elif target == "{agency}":
        agency = record.text("agency")
        roles = [f"{base}:{agency}"] if agency else []
    else:
        roles = [alternative]
    return [who for role in roles for who in _holders(config, record, role)]


def _holders(config: Config, record: Record, role: str) -> list[str]:
    """The people the record names for a role, else everyone who holds it."""
    named = [who for who in _people_named(record, role.partition(":")[0]) if config.holds(who, role)]
    return named or [person.id for person in config.people_with_role(role)]


def _people_named(record: Record, base: str) -> list[str]:
    """The people the record's person fields name: those declaring the role first, then the others."""
    kind = kinds.get(record.kind)
    if kind is None:
        return []
    fields = [name for name, spec in kind.fields.items() if spec.type == "person"]
    fields.sort(key=lambda name: kind.fields[name].role != base)
    return [value for name in fields for value in _field_values(record, name)]


def _field_values(record: Record, name: str) -> list[str]:
    value = record.fields.get(name)
    if isinstance(value, str) and value.strip():
        return [value.strip()]
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []
