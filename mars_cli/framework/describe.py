"""A kind in words, for `mars kinds KIND`: its fields and statuses, and its process's steps and sign-offs.

The command only lays these out; what each step says about itself (its deadline, what it needs, the
sign-off that completes it) is decided here, next to the kinds and processes it reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from mars_cli.framework import kinds
from mars_cli.framework.kinds import FieldSpec, Kind
from mars_cli.framework.processes import (
    Approval,
    Process,
    Processes,
    Step,
    signer_words,
)
from mars_cli.framework.process_types import lead_words
from mars_cli.model.fields import ENTRY_EXAMPLES, entry_keys


@dataclass(frozen=True)
class StepWords:
    """One step of a process: its name, label, the status it gives, and notes on how it is done."""

    name: str
    label: str
    status: str | None
    notes: tuple[str, ...]  # "due 6 weeks after `date`", "needs field:x", "done by sign-off 'y'", ...


@dataclass(frozen=True)
class SignOffWords:
    name: str
    what: str
    signers: str  # who signs, in words: "each partner's dsp or lsp and the chair"


@dataclass(frozen=True)
class KindWords:
    """The first part of `mars kinds KIND`: the kind itself, and what it is part of."""

    kind: Kind
    part_of: str  # "an action plan" for a part, '' for a record of its own


@dataclass(frozen=True)
class EntryShape:
    """What each entry of a structured field holds, and one written out: `subjects:` and the lines below it."""

    keys: str  # "each entry may have name, ref, role and dob"
    example: tuple[str, ...]


# The structured fields people write by hand; steps, sign-offs, updates and extensions are written by
# the commands that record them (their help says which).
_HAND_WRITTEN = ("ratings", "actions", "subjects", "iso_days")


def entry_shape(spec: FieldSpec) -> EntryShape | None:
    """The shape of a structured field people write by hand, with an example; None for other fields."""
    if spec.type not in _HAND_WRITTEN:
        return None
    lines = ENTRY_EXAMPLES[spec.type].splitlines()
    lead = ("each standard's id (an item's, for a standard with items in mars.yaml) with"
            if spec.type == "ratings" else "each entry may have")
    return EntryShape(f"{lead} {entry_keys(spec.type)}", (f"{spec.name}:", *(f"  {line}" for line in lines)))


@dataclass(frozen=True)
class ProcessWords:
    """The rest of `mars kinds KIND`, for a kind whose process has steps."""

    led_by: str
    steps: tuple[StepWords, ...]
    signoffs: tuple[SignOffWords, ...]


def describe(name: str) -> KindWords:
    """The kind (or part) a person named; a UsageError for an unknown name."""
    kind = kinds.lookup(name, parts_too=True)
    return KindWords(kind, kinds.get(kind.part_of).a if kind.part_of else "")


def process_words(kind: Kind, processes: Processes) -> ProcessWords | None:
    """The kind's process under these rules, in words; None when it has no steps."""
    process = processes.get(kind.name)
    if process is None or not process.steps:
        return None
    return ProcessWords(led_by=process.lead or "the MARS team",
                        steps=tuple(_step_words(step) for step in process.steps.values()),
                        signoffs=_signoffs(process))


def _step_words(step: Step) -> StepWords:
    return StepWords(step.name, step.label, step.status, tuple(_step_notes(step)))


def _step_notes(step: Step) -> list[str]:
    notes = [f"due {step.due}" + (" (should)" if step.strength == "should" else "")] if step.due else []
    notes += [f"needs {', '.join(step.needs)}"] if step.needs else []
    notes += [f"done by sign-off '{step.approval}'"] if step.approval else []
    notes += [f"sets {step.field}"] if step.field else []
    notes += ["optional"] if step.optional else []
    notes += [f"led by {lead_words(step.lead)}"] if step.lead else []
    return notes


def _signoffs(process: Process) -> tuple[SignOffWords, ...]:
    return tuple(_signoff_words(approval) for approval in process.approvals.values())


def _signoff_words(approval: Approval) -> SignOffWords:
    return SignOffWords(approval.name, approval.what, " and ".join(signer_words(s) for s in approval.signers))
