"""Invitations by e-mail with an iCalendar attachment, in each invitee's language.

One calendar identity per session: a stable UID, a SEQUENCE raised on every change, METHOD
REQUEST for an invitation or a change and CANCEL for a cancellation (RFC 5546), so that mail
clients update the event in place instead of adding a second one.

Every time is written in a stated zone: the session's, named ("10 a.m. Nairobi time"), and the
invitee's own when their clock differs ("8 a.m. your time, Geneva"). The text and the calendar
entry (DTSTART with the session's TZID) give the same instant.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar, Event, vCalAddress, vText

from org.models import Person, django_language
from org.zones import format_when, format_your_time, in_zone, person_time_zones, zone_info

from .models import Session, SessionStatus

PRODID = "-//Cascade//Leadership Dialogue//EN"


def language_of(person: Person) -> str:
    return django_language(person.language) or settings.LANGUAGE_CODE


def session_calendar(session: Session, invitees: list[Person], *, method: str) -> bytes:
    """The session as an iCalendar object for one METHOD (REQUEST or CANCEL)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", f"{session.uid}@cascade")
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now())
    start = in_zone(session.starts_at, session.time_zone)
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=session.duration_minutes))
    event.add("summary", vText(f"Leadership Dialogue {session.cycle.year}: {session.cycle.topic}"))
    if session.location:
        event.add("location", vText(session.location))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{session.leader.email}")
    organizer.params["cn"] = vText(session.leader.name)
    event.add("organizer", organizer)
    for person in invitees:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("TRUE")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def invitation_messages(
    session: Session, invitees: list[Person], *, kind: str, base_url: str = "", stations: dict[str, str] | None = None
) -> list[EmailMultiAlternatives]:
    """One message per invitee, in their language. `kind`: invitation, update, cancellation or
    reminder; a cancellation carries METHOD:CANCEL, the others METHOD:REQUEST. `stations`
    (org.zones.duty_station_zones()) saves its query when the caller sends many batches."""
    method = "CANCEL" if kind == "cancellation" or session.status == SessionStatus.CANCELLED else "REQUEST"
    messages = []
    own_zones = person_time_zones(invitees, stations=stations)
    for person in invitees:
        # Dates written by the templates are the session's days, wherever the server runs.
        with translation.override(language_of(person)), timezone.override(zone_info(session.time_zone)):
            context = {
                "session": session,
                "person": person,
                "kind": kind,
                "start": in_zone(session.starts_at, session.time_zone),
                "when": format_when(session.starts_at, session.time_zone),
                "your_time": format_your_time(session.starts_at, session.time_zone, own_zones[person.pk]),
                "invitation_url": base_url + reverse("dialogues:my_invitations"),
            }
            subject = render_to_string("dialogues/email/invitation_subject.txt", context).strip()
            body = render_to_string("dialogues/email/invitation.txt", context)
        message = EmailMultiAlternatives(subject=subject, body=body, to=[person.email], reply_to=[session.leader.email])
        message.attach("invitation.ics", session_calendar(session, [person], method=method), f"text/calendar; method={method}; charset=UTF-8")
        messages.append(message)
    return messages
