"""Dates as the partnership uses them: ISO in files, UK style for people,
reporting years that start in a configured month, "today" in Europe/London."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from mars_cli.model.errors import UsageError

LONDON = ZoneInfo("Europe/London")
_UK = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\s*$")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def today() -> dt.date:
    """Today's date in Europe/London (not the machine's time zone)."""
    return dt.datetime.now(LONDON).date()


def parse_iso(text: str) -> dt.date | None:
    """A YYYY-MM-DD date, or None."""
    try:
        return dt.date.fromisoformat(text.strip()) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()) else None
    except ValueError:
        return None


def uk_guess(text: str) -> dt.date | None:
    """Read 05/03/2026 the UK way (5 March 2026), for a "did you mean" hint."""
    match = _UK.match(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


FIRST_YEAR, LAST_YEAR = 1900, 2999  # dates outside these years are typing mistakes


def date_problem(value: object) -> tuple[str, str] | None:
    """Why a value is not a date, and how to fix it; None when it is one."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            return (f"'{value.isoformat()}' is not a plausible date", f"Check the year ({FIRST_YEAR} to {LAST_YEAR}).")
        return None
    if isinstance(value, dt.datetime):
        return (f"'{value}' has a time; a date is just YYYY-MM-DD", f"Write {value.date().isoformat()}.")
    text = str(value)
    if isinstance(value, str) and parse_iso(text):
        return (f"'{text}' is in quotes, so it is text, not a date", "Remove the quotes around it.")
    guess = uk_guess(text)
    if guess:
        return (f"'{text}' is not an ISO date",
                f"Write dates as YYYY-MM-DD: for {format_uk(guess)} write {guess.isoformat()}.")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text.strip())
    if match:
        try:
            day = dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return (f"'{text}' is not a real date", "Check the day and month (YYYY-MM-DD).")
        return (f"'{text}' needs two-digit month and day", f"Write {day.isoformat()}.")
    return (f"'{text}' is not a date", "Write dates as YYYY-MM-DD, e.g. 2026-03-05.")


def usable(value) -> bool:
    """A date mars can count with: a date (not a time), in a plausible year (as date_problem says)."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime) and FIRST_YEAR <= value.year <= LAST_YEAR


def format_uk(day: dt.date | None) -> str:
    """5 March 2026."""
    return f"{day.day} {day:%B %Y}" if day else ""


def reporting_year(day: dt.date, start_month: int = 4) -> str:
    """The reporting year a date falls in: 2025-26 for 1 April 2025 to 31 March 2026."""
    first = day.year if day.month >= start_month else day.year - 1
    if start_month == 1:
        return str(first)
    return f"{first}-{(first + 1) % 100:02d}"


def year_label_ok(label: str) -> bool:
    """2025-26 (consecutive years), or 2025 for partnerships whose year is the calendar year."""
    match = _YEAR.match(label.strip())
    if match:
        return (int(match.group(1)) + 1) % 100 == int(match.group(2))
    return bool(re.fullmatch(r"\d{4}", label.strip()))


def year_bounds(label: str, start_month: int = 4) -> tuple[dt.date, dt.date] | None:
    """First and last day of a reporting year label such as 2025-26."""
    match = _YEAR.match(label.strip())
    if match:
        first = int(match.group(1))
        if (first + 1) % 100 != int(match.group(2)):
            return None
    elif re.fullmatch(r"\d{4}", label.strip()) and start_month == 1:
        first = int(label)
    else:
        return None
    start = dt.date(first, start_month, 1)
    end = dt.date(first + 1, start_month, 1) - dt.timedelta(days=1)
    return start, end


def shift(day: dt.date, amount: int, unit: str) -> dt.date | None:
    """A date moved by days, weeks, months or working days (negative: earlier); None when that falls
    outside the calendar (a mistyped year 9999).

    Months use dateutil (31 January + 1 month is 28 or 29 February); working
    days skip weekends and England and Wales bank holidays, from the
    `holidays` package rather than a hand-typed list.
    """
    try:
        return _shift(day, amount, unit)
    except (OverflowError, ValueError):
        return None


def _shift(day: dt.date, amount: int, unit: str) -> dt.date:
    if unit == "days":
        return day + dt.timedelta(days=amount)
    if unit == "weeks":
        return day + dt.timedelta(weeks=amount)
    if unit == "months":
        from dateutil.relativedelta import relativedelta

        return day + relativedelta(months=amount)
    if unit == "working days":
        return _working_days(day, amount)
    raise ValueError(f"unknown unit {unit!r}")


def _working_days(day: dt.date, amount: int) -> dt.date:
    step = 1 if amount >= 0 else -1
    left = abs(amount)
    while left:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


# England and Wales bank holidays of these years, as the `holidays` package gives them, written out once
# (tests/test_process.py compares the file with the package and rewrites it with MARS_UPDATE_EXPECTED=1):
# importing the package costs about 0.1 s, more than reading a whole workspace, on every command that
# counts working days. Years outside come from the package itself.
BANK_HOLIDAYS_FILE = Path(__file__).with_name("bank-holidays-england.txt")
TABLED_YEARS = range(2015, 2041)


@functools.cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    if year in TABLED_YEARS:
        return _tabled().get(year, frozenset())
    return frozenset(library_bank_holidays(year))


@functools.cache
def _tabled() -> dict[int, frozenset[dt.date]]:
    by_year: dict[int, set[dt.date]] = {}
    for line in BANK_HOLIDAYS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            day = dt.date.fromisoformat(line[:10])
            by_year.setdefault(day.year, set()).add(day)
    return {year: frozenset(days) for year, days in by_year.items()}


def library_bank_holidays(year: int) -> dict[dt.date, str]:
    """England and Wales bank holidays of a year from the `holidays` package: date -> name."""
    import holidays

    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def date_value(option: str, text: str) -> dt.date:
    day = parse_iso(text)
    problem = date_problem(day if day is not None else text)
    if problem:
        raise UsageError(f"{option} {problem[0]}", problem[1])
    return day


