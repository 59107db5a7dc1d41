"""Helpers of the facilitator assessment tests: attendees and their anonymous answers."""

import itertools

from django.urls import reverse

from dialogues.models import Attendance, AttendanceMethod, Session
from feedback.anonymity import assessment_submit, assessment_token_issue
from org.models import Person

_numbers = itertools.count(1)
METHODS = [AttendanceMethod.SELF, AttendanceMethod.MONITOR, AttendanceMethod.CONFERENCE, AttendanceMethod.SHEET]


def attendee(session: Session, *, name: str = "", method=AttendanceMethod.SHEET) -> Person:
    number = next(_numbers)
    person = Person.objects.create(
        index_number=f"A{number:05d}", name=name or f"Attendee {number}", email=f"a{number:05d}@example.org", entity=session.leader.entity
    )
    Attendance.objects.create(session=session, person=person, method=method)
    return person


def ratings(overall=4, **changes) -> dict:
    data = {"preparation": 4, "inclusion": 3, "safety": 5, "time_use": 4, "overall": overall, "comment": "", "topic_suggestion": ""}
    data.update(changes)
    return data


def answer(session: Session, **data) -> None:
    """A new attendee of `session` who gets a token and answers (through the services)."""
    token = assessment_token_issue(session=session, person=attendee(session))
    assessment_submit(token=token, data=ratings(**data))


def answers(session: Session, count: int, **data) -> None:
    for _i in range(count):
        answer(session, **data)


def assess_url(token: str) -> str:
    return reverse("feedback:assess", args=[token])
