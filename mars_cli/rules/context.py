"""What rules look things up in: the config, the records by ID, the date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from mars_cli.kinds import Kind
from mars_cli.model import Config, Record, Standard, Workspace


@dataclass
class Context:
    workspace: Workspace
    as_of: dt.date

    @property
    def config(self) -> Config:
        return self.workspace.config

    @cached_property
    def records(self) -> dict[str, Record]:
        return self.workspace.by_id()

    @cached_property
    def unreadable_ids(self) -> set[str]:
        """IDs (file names) of record files that could not be read: their own finding says why,
        so references to them are not reported again in every file that cites them."""
        return {f.path.rpartition("/")[2][:-3] for f in self.workspace.findings if f.path.endswith(".md")}

    def known(self, rtype: str):
        cfg = self.config
        return {"person": cfg.people, "agency": cfg.agencies, "partner": cfg.partners,
                "record": self.records}[rtype]

    def standards_for(self, kind: Kind, record: Record) -> tuple[Standard, ...]:
        """The question set a self-assessment uses: `<set>-<agency type>` if defined, else `<set>`."""
        if not kind.question_set:
            return ()
        agency = self.config.agencies.get(record.text("agency"))
        if agency is not None and f"{kind.question_set}-{agency.type}" in self.config.standards:
            return self.config.standards[f"{kind.question_set}-{agency.type}"]
        return self.config.standards.get(kind.question_set, ())
