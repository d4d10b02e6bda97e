"""The iCalendar feed of due dates, made with the icalendar library (the only module that imports it).

Each item is an all-day event on its due date. Its UID is the item's ID, so a
calendar that subscribes to the feed updates an event when its date moves
(an extension) instead of adding a second one. The library escapes the format's own
characters; control characters from the records are replaced first (escape.py).
"""

from __future__ import annotations

import datetime as dt

from mars_cli.model import dates
from mars_cli.outputs.escape import calendar_text, one_line
from mars_cli.outputs.feeds import describe, when
from mars_cli.queries.agenda import Listing

PRODUCT = "-//mars//Children's MARS scrutiny and assurance//EN"


def to_ics(listing: Listing, partnership: str = "") -> str:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(f"{partnership + ': ' if partnership else ''}{listing.title()}"))
    stamp = dt.datetime.combine(listing.as_of, dt.time(0, 0), tzinfo=dt.UTC)
    for item in listing.items:
        event = Event()
        event.add("uid", one_line(f"{item.id}@mars"))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + dt.timedelta(days=1))
        event.add("summary", one_line(f"{'OVERDUE: ' if item.overdue else 'Due: '}{item.title}"))
        event.add("description", calendar_text(f"{describe(item)}.\nRecord: {item.record} ({item.record_title})\n"
                                               f"File: {item.path}:{item.line}\nMarking: {item.marking}"))
        event.add("categories", [item.type, "overdue" if item.overdue else "due"])
        event.add("class", "CONFIDENTIAL" if item.marking != "OFFICIAL" else "PRIVATE")
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        if item.owners:
            event.add("x-mars-owner", one_line(item.owner_names))
        event.add("x-mars-status", f"{when(item)} as of {dates.format_uk(listing.as_of)}")
        calendar.add_component(event)
    return unforgeable(calendar.to_ical().decode("utf-8"))


def unforgeable(text: str) -> str:
    """The folded iCalendar text with no folded line starting ` ::`: shown in a CI log (GitHub reads a
    line that starts with `::` after its spaces as a workflow command) it commands nothing. Each such fold
    moves a character earlier; unfolding (taking out CRLF and the space) gives the same text."""
    while (at := text.find("\r\n ::")) > 0 and text[at - 1] not in "\r\n":
        text = text[:at - 1] + "\r\n " + text[at - 1] + text[at + 3:]
    return text
