"""mars.yaml: the partnership's configuration, read into a Config.

Reading is tolerant: whatever is understood goes into the Config, and every
problem becomes a Finding (with mars.yaml's line), so `mars check` reports
them all at once. Only a mars.yaml that is not YAML at all stops a command.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from mars_cli.model import dates
from mars_cli.model.errors import UsageError
from mars_cli.model.fields import did_you_mean, scale_problem, shape_problem
from mars_cli.model.records import (
    ERROR,
    WARNING,
    Agency,
    Config,
    Finding,
    Item,
    Partner,
    Person,
    Source,
    Standard,
)
from mars_cli.store.settings import CONFIG_FILE, read_settings_file

MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
ROLES = ("iso", "portfolio-lead", "portfolio-deputy", "splig-chair", "mars-officer", "space-lead", "group-chair",
         "cspr-chair", "head", "governor", "dsp", "lsp")
ROLE_TARGETS = {"head": "agencies", "governor": "agencies", "dsp": "partners", "lsp": "partners"}
AGENCY_TYPES = ("local-authority", "health", "police", "school", "college", "alternative-provision",
                "early-years", "probation", "housing", "voluntary", "other")

_TOP = {
    "partnership": "string", "reporting_year_start_month": "int", "default_marking": "enum",
    "as_of": "date", "partners": "list-of-maps", "agencies": "list-of-maps", "people": "list-of-maps",
    "rating_scale": "list", "standards": "map", "iso_allowance": "map", "documents": "map",
    "default_owner": "string",
    "require_signed_commits": "bool",
}
_DOCUMENT_KEYS = ("colour", "contact", "allowed_postcodes", "suppress_counts_below")
_ENTRY_KEYS = {
    "partners": {"id": "string", "name": "string", "lead": "string", "delegate": "string"},
    "agencies": {"id": "string", "name": "string", "type": "string", "section11": "bool",
                 "partner": "string", "commissioners": "list"},
    "people": {"id": "string", "name": "string", "email": "emails", "roles": "list",
               "agency": "string", "iso_days": "number"},
}
_REFERENCES = (  # (section, field, the section whose IDs it names)
    ("partners", "lead", "people"), ("partners", "delegate", "people"), ("agencies", "partner", "partners"),
    ("agencies", "commissioners", "agencies"), ("people", "agency", "agencies"),
)
_ONE = {"partners": "partner", "agencies": "agency", "people": "person"}
_REQUIRED = {"partners": ("id", "name"), "agencies": ("id", "name"), "people": ("id", "name", "email")}


def load_config(root: Path) -> tuple[Config, list[Finding]]:
    """Read mars.yaml. Raises UsageError (exit 2) only when it cannot be read as YAML."""
    loaded = read_settings_file(root / CONFIG_FILE, "",
                                "Fix the line named (check indentation, and quote text containing ': ').")
    if not isinstance(loaded.data, dict) or not loaded.data:
        raise UsageError(f"{CONFIG_FILE}:1: {CONFIG_FILE} has no settings (it must hold `partnership:`, "
                         "`partners:`, `agencies:` and `people:`)",
                         "Run `mars init` in an empty folder to see a complete, commented example.")
    source = Source(CONFIG_FILE, loaded.lines, first_line=1)
    return _Builder(loaded.data, source, loaded.duplicates).build()


class _Builder:
    def __init__(self, data: dict, source: Source, duplicates: list) -> None:
        self.data = data
        self.source = source
        self.findings: list[Finding] = []
        self.config = Config(source=source)
        for path, line in duplicates:
            self.error(line + 1, "duplicate-key", f"'{_dotted(path)}' is given twice",
                       "Keep one of them: YAML readers silently keep only the last.")

    def error(self, line: int, code: str, message: str, hint: str = "") -> None:
        self.findings.append(Finding(CONFIG_FILE, line, ERROR, code, message, hint, rule=f"config.{code}"))

    def warn(self, line: int, code: str, message: str, hint: str = "") -> None:
        self.findings.append(Finding(CONFIG_FILE, line, WARNING, code, message, hint, rule=f"config.{code}"))

    def line(self, *key) -> int:
        return self.source.line(*key)

    def build(self) -> tuple[Config, list[Finding]]:
        self._top_level()
        self._entries()
        self._references()
        self._scale_and_standards()
        self._iso_allowance()
        self._documents()
        self._default_owner()
        return self.config, self.findings

    def _default_owner(self) -> None:
        """`default_owner:` names a person who owns new records (`mars new` offers them)."""
        who = self.data.get("default_owner")
        if who is None:
            return
        people = self.config.people
        if isinstance(who, str) and who in people:
            self.config.default_owner = who
            return
        self.error(self.line("default_owner"), "unknown-person", f"default_owner '{who}' is not a person in people",
                   f"Name the person id of the MARS officer who owns new records.{did_you_mean(str(who), people)}")

    def _top_level(self) -> None:
        data, cfg = self.data, self.config
        for key in data:
            if key not in _TOP:
                self.warn(self.line(key), "unknown-key", f"unknown setting '{key}'",
                          f"Remove it or correct its name.{did_you_mean(key, _TOP)}")
        if not isinstance(data.get("partnership"), str) or not data.get("partnership"):
            self.error(self.line("partnership") if "partnership" in data else 1, "missing-setting",
                       "the partnership's name is missing", "Add e.g. `partnership: North Lincolnshire Children's MARS Board`.")
        else:
            cfg.partnership = data["partnership"]
        month = data.get("reporting_year_start_month", 4)
        if isinstance(month, int) and not isinstance(month, bool) and 1 <= month <= 12:
            cfg.year_start_month = month
        else:
            self.error(self.line("reporting_year_start_month"), "bad-setting",
                       f"reporting_year_start_month must be a month number 1-12, not '{month}'",
                       "Use 4 for a year running April to March.")
        marking = data.get("default_marking", "OFFICIAL")
        if marking in MARKINGS:
            cfg.default_marking = marking
        else:
            self.error(self.line("default_marking"), "bad-setting", f"default_marking '{marking}' is not a marking",
                       f"Use one of: {', '.join(MARKINGS)}.")
        if data.get("as_of") is not None:
            problem = dates.date_problem(data["as_of"])
            if problem:
                self.error(self.line("as_of"), "bad-date", f"as_of: {problem[0]}", problem[1])
            else:
                cfg.as_of = data["as_of"]
        signed = data.get("require_signed_commits", False)
        if isinstance(signed, bool):
            cfg.require_signed_commits = signed
        else:
            self.error(self.line("require_signed_commits"), "bad-setting",
                       f"require_signed_commits must be true or false, not '{signed}'",
                       "Write `require_signed_commits: true` to have `mars check --verify-signoffs` require every "
                       "sign-off's commit to carry a signature git can verify, or delete the line.")

    def _entries(self) -> None:
        for section in ("partners", "agencies", "people"):
            entries = self.data.get(section)
            if entries is None:
                self.error(1, "missing-setting", f"the '{section}' list is missing",
                           f"Add a '{section}:' list; `mars init` writes an example.")
                continue
            if not isinstance(entries, list):
                self.error(self.line(section), "bad-setting", f"'{section}' must be a list of entries",
                           "Start each entry with '- id: ...'.")
                continue
            seen: set[str] = set()
            for index, entry in enumerate(entries):
                built = self._entry(section, index, entry, seen)
                if built is not None:
                    _section(self.config, section)[built.id] = built
        if isinstance(self.data.get("partners"), list) and len(self.config.partners) != 3:
            self.warn(self.line("partners"), "partner-count",
                      f"there should be three safeguarding partners, not {len(self.config.partners)}",
                      "List the local authority, health (the ICB) and police.")

    def _entry(self, section: str, index: int, entry: object, seen: set[str]):
        at = (section, index)
        if not isinstance(entry, dict):
            self.error(self.line(*at), "bad-setting", f"{section} entry {index + 1} must be a set of fields",
                       "Write it as '- id: ...' with its fields indented below.")
            return None
        spec = _ENTRY_KEYS[section]
        ok = True
        for key, value in entry.items():
            if key not in spec:
                self.warn(self.line(*at, key), "unknown-key", f"unknown field '{key}' in {section}",
                          f"Remove it or correct its name.{did_you_mean(key, spec)}")
                continue
            problem = None if value is None else shape_problem(spec[key], value)
            if problem:
                self.error(self.line(*at, key), "bad-setting", f"{section} '{entry.get('id', index + 1)}' {key} "
                           f"{problem[0]}", problem[1])
                ok = False
        for key in _REQUIRED[section]:
            if not entry.get(key):  # absent, or given empty (at its own line then)
                where = self.line(*at, key) if key in entry else self.line(*at)
                self.error(where, "missing-setting", f"{section} entry {index + 1} has no '{key}'",
                           f"Add `{key}:` to it.")
                ok = False
        ident = entry.get("id")
        if ident is not None and not isinstance(ident, str):
            self.error(self.line(*at, "id"), "bad-setting", f"{section} id {ident!r} must be text",
                       "Use a short lower-case word, e.g. nlag or jo-smith.")
            return None
        if isinstance(ident, str) and ident in seen:
            self.error(self.line(*at, "id"), "duplicate-id", f"{section} id '{ident}' is used twice",
                       "Give each entry its own id.")
            ok = False
        if not ok:
            return None
        seen.add(ident)
        self.config.entry_lines[(section, ident)] = self.line(*at)
        # A number where text is wanted is harmless (`name: 1`), and is read as the text it looks like,
        # so no command meets a number where it expects a name.
        entry = {key: str(value) if spec.get(key) == "string" and type(value) in (int, float) else value
                 for key, value in entry.items()}
        return _MAKERS[section](self, entry, at)

    def _make_partners(self, e: dict, at: tuple) -> Partner:
        return Partner(e["id"], e["name"], e.get("lead"), e.get("delegate"))

    def _make_agencies(self, e: dict, at: tuple) -> Agency:
        atype = e.get("type") or "other"
        if atype not in AGENCY_TYPES:
            self.warn(self.line(*at, "type"), "unknown-agency-type", f"agency type '{atype}' is not one mars knows",
                      f"Use one of: {', '.join(AGENCY_TYPES)}.{did_you_mean(atype, AGENCY_TYPES)}")
        return Agency(e["id"], e["name"], atype, bool(e.get("section11", False)), e.get("partner"),
                      tuple(e.get("commissioners") or ()))

    def _make_people(self, e: dict, at: tuple) -> Person:
        roles = tuple(e.get("roles") or ())
        for i, role in enumerate(roles):
            base, _, target = role.partition(":")
            if base not in ROLES:
                self.warn(self.line(*at, "roles", i), "unknown-role", f"role '{role}' is not one mars knows",
                          f"Roles: {', '.join(ROLES)}.{did_you_mean(base, ROLES)}")
            elif base in ROLE_TARGETS:
                section = ROLE_TARGETS[base]
                known = _section(self.config, section)
                if target not in known:
                    self.error(self.line(*at, "roles", i), "bad-role", f"role '{role}' must name one of the "
                               f"{section}: {base}:<id>", f"For example {base}:{next(iter(known), 'id')}."
                               f"{did_you_mean(target, known)}")
        emails = self._emails(e, at)
        return Person(e["id"], e["name"], emails[0] if emails else "", roles, e.get("agency"), e.get("iso_days"),
                      tuple(a.lower() for a in emails))

    def _emails(self, e: dict, at: tuple) -> list[str]:
        """`email:` is one address or a list of them (e.g. work and a hosting service's no-reply address)."""
        value = e.get("email")
        listed = value if isinstance(value, list) else [value]
        good = []
        for i, address in enumerate(listed):
            where = (*at, "email", i) if isinstance(value, list) else (*at, "email")
            text = address if isinstance(address, str) else ""
            if "@" not in text or any(c.isspace() or ord(c) < 32 for c in text.strip()):
                self.error(self.line(*where), "bad-setting", f"person '{e['id']}' has no valid e-mail ('{text}')",
                           "Write a full address, e.g. `email: name@example.org`, or several as a list: "
                           "`email: [name@example.org, 12345+name@users.noreply.github.com]`.")
            else:
                good.append(text.strip())
        return good

    def _references(self) -> None:
        """Every ID mars.yaml gives must name an entry of the section it points into."""
        for section, key, target in _REFERENCES:
            known = _section(self.config, target)
            for index, entry in self._built(section):
                value = entry.get(key)
                for position, ref in (enumerate(value) if isinstance(value, list) else [(None, value)]):
                    if isinstance(ref, str) and ref not in known:
                        at = (section, index, key) + (() if position is None else (position,))
                        self.error(self.line(*at), f"unknown-{_ONE[target]}",
                                   f"{_ONE[section]} '{entry['id']}' {key} '{ref}' is not in {target}",
                                   f"Add it to {target}, or correct the id.{did_you_mean(ref, known)}")

    def _built(self, section: str):
        """(index, entry) for each entry of a section that made it into the config."""
        entries = self.data.get(section)
        built = _section(self.config, section)
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"] in built:
                yield index, entry

    def _scale_and_standards(self) -> None:
        scale = self.data.get("rating_scale")
        if scale is not None:
            problem = scale_problem(scale)
            if problem:
                self.error(self.line("rating_scale"), "bad-setting", *problem)
            else:
                self.config.rating_scale = tuple(scale)
        sets = self.data.get("standards") or {}
        if not isinstance(sets, dict):
            self.error(self.line("standards"), "bad-setting", "standards must be a set of named question sets",
                       "Write `standards:` then `  section11:` with its list of standards below it.")
            return
        for name, entries in sets.items():
            built = self._question_set(name, entries)
            if built is not None:
                self.config.standards[name] = built

    def _question_set(self, name, entries) -> tuple[Standard, ...] | None:
        """One named question set: its standards, each perhaps with numbered items. A set with a
        broken entry is left out whole (its findings say why), so records are not also told that
        every rating of it is unknown."""
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            self.error(self.line("standards", name), "bad-setting",
                       f"standards set '{name}' must be a list of entries, each with a text id and a title",
                       "Write '- id: training' with 'title: ...' below it.")
            return None
        standards = [self._standard(name, index, entry) for index, entry in enumerate(entries)]
        if None in standards:
            return None
        ids = [s.id for s in standards] + [i.id for s in standards for i in s.items]
        for dup in dict.fromkeys(i for i in ids if ids.count(i) > 1):
            what = "standard" if any(s.id == dup for s in standards) else "item"
            self.error(self.line("standards", name), "duplicate-id", f"{what} '{dup}' is listed twice in '{name}'",
                       "Give each standard and each item its own id.")
        return tuple(standards)

    def _standard(self, name, index: int, entry: dict) -> Standard | None:
        at = ("standards", name, index)
        self._known_keys(entry, at, ("id", "title", "items"))
        ident = self._question_id(entry.get("id"), at, f"standards set '{name}' entry {index + 1}")
        items = self._items(entry.get("items"), at, ident)
        if ident is None or items is None:
            return None
        return Standard(ident, _title(entry, ident), items)

    def _items(self, value, at: tuple, standard: str | None) -> tuple[Item, ...] | None:
        """A standard's numbered items (`items: [{id: "1.1", title: ...}]`), () when it has none."""
        if value is None:
            return ()
        if not isinstance(value, list) or not value or not all(isinstance(e, dict) for e in value):
            self.error(self.line(*at, "items"), "bad-setting",
                       f"items of standard '{standard}' must be a list of entries, each with an id and a title",
                       "Write `items:` then '- id: \"1.1\"' with 'title: ...' below it, one entry per item.")
            return None
        items = []
        for index, entry in enumerate(value):
            self._known_keys(entry, at + ("items", index), ("id", "title"))
            ident = self._question_id(entry.get("id"), at + ("items", index),
                                      f"item {index + 1} of standard '{standard}'")
            items.append(None if ident is None else Item(ident, _title(entry, ident)))
        return None if None in items else tuple(items)

    def _question_id(self, value, at: tuple, what: str) -> str | None:
        """A standard's or item's id, as text. A whole number (id: 1) is its digits; a number with a
        point must be quoted, because unquoted 1.10 is the number 1.1 and would clash with item 1.1."""
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, float):
            self.error(self.line(*at, "id"), "bad-setting", f"{what}: id {value} must be in quotes",
                       f'Write id: "{value}" (unquoted, 1.10 is read as the number 1.1).')
            return None
        self.error(self.line(*at), "bad-setting", f"{what} has no text id",
                   "Write '- id: training' (or a number in quotes, id: \"1.1\") with 'title: ...' below it.")
        return None

    def _known_keys(self, entry: dict, at: tuple, known: tuple[str, ...]) -> None:
        for key in entry:
            if key not in known:
                self.warn(self.line(*at, key), "unknown-key", f"unknown field '{key}' in {_dotted(at[:2])}",
                          f"Remove it or correct its name.{did_you_mean(str(key), known)}")

    def _iso_allowance(self) -> None:
        allowance = self.data.get("iso_allowance") or {}
        if not isinstance(allowance, dict):
            self.error(self.line("iso_allowance"), "bad-setting", "iso_allowance must have `days:` and `basis:`",
                       "For example: iso_allowance: {days: 15, basis: per-iso}")
            return
        days = allowance.get("days", 15)
        basis = allowance.get("basis", "per-iso")
        if isinstance(days, (int, float)) and not isinstance(days, bool) and days >= 0:
            self.config.iso_allowance_days = days
        else:
            self.error(self.line("iso_allowance", "days"), "bad-setting", "iso_allowance days must be a number",
                       "The framework says up to 15 days per year.")
        if basis in ("per-iso", "pool"):
            self.config.iso_allowance_basis = basis
        else:
            self.error(self.line("iso_allowance", "basis"), "bad-setting", f"iso_allowance basis '{basis}' is unknown",
                       "Use per-iso or pool.")

    def _documents(self) -> None:
        """How papers look: the partnership's colour for headings, and who to ask for another format."""
        settings = self.data.get("documents") or {}
        if not isinstance(settings, dict):
            self.error(self.line("documents"), "bad-setting", "documents must be settings such as `colour:` and `contact:`",
                       'For example: documents: {colour: "#1d4f7c", contact: "mars@example.gov.uk"}')
            return
        for key in settings:
            if key not in _DOCUMENT_KEYS:
                self.warn(self.line("documents", key), "unknown-key", f"unknown setting 'documents.{key}'",
                          f"Use {' or '.join(_DOCUMENT_KEYS)}.{did_you_mean(str(key), _DOCUMENT_KEYS)}")
        self._colour(settings.get("colour"))
        contact = settings.get("contact")
        if contact is not None:
            problem = shape_problem("string", contact)
            if problem:
                self.error(self.line("documents", "contact"), "bad-setting", f"documents.contact {problem[0]}", problem[1])
            else:
                self.config.document_contact = contact
        self._postcodes(settings.get("allowed_postcodes"))
        self._threshold(settings.get("suppress_counts_below"))

    def _postcodes(self, value) -> None:
        if value is None:
            return
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            self.config.document_postcodes = tuple(value)
            return
        self.error(self.line("documents", "allowed_postcodes"), "bad-setting",
                   "documents.allowed_postcodes must be a list of postcodes",
                   "List the partnership's own addresses' postcodes, e.g. [DN16 1AB], so papers may print them.")

    def _threshold(self, value) -> None:
        if value is None:
            return
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 100:
            self.config.document_small_counts = value
            return
        self.error(self.line("documents", "suppress_counts_below"), "bad-setting",
                   "documents.suppress_counts_below must be a whole number from 1 to 100",
                   "Counts of children, families or cases below it are not published; the usual rule is 5.")

    def _colour(self, value) -> None:
        if value is None:
            return
        if isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value.strip()):
            hex_ = value.strip()[1:]
            self.config.document_colour = tuple(int(hex_[i:i + 2], 16) for i in (0, 2, 4))
            return
        self.error(self.line("documents", "colour"), "bad-setting", "documents.colour must be a colour like \"#1d4f7c\"",
                   "Write it as # and six hexadecimal digits, in quotes (a # starts a comment otherwise).")


# How each section's entry becomes its part of the Config, once its fields have been checked.
_MAKERS: dict[str, Callable[[_Builder, dict, tuple], Partner | Agency | Person]] = {
    "partners": _Builder._make_partners,
    "agencies": _Builder._make_agencies,
    "people": _Builder._make_people,
}


def _section(cfg: Config, section: str) -> dict:
    """The Config's entries of one section of mars.yaml, by ID."""
    return {"partners": cfg.partners, "agencies": cfg.agencies, "people": cfg.people}[section]


def _title(entry: dict, ident: str) -> str:
    title = entry.get("title")
    return ident if title in (None, "") else str(title)


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)
