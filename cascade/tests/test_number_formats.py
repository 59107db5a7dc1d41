"""Dates, numbers and percentages in the reader's format: the Ethics Office's home page for an
entity of 1,234 people, 617 of them reached, in English and in French."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role, RoleGrant, User
from cascade.testing import PASSWORD
from dialogues.models import Attendance, Session
from org.models import Cycle, Entity, Person

NBSP = "\u00a0"


@pytest.fixture
def big_entity(db):
    entity = Entity.objects.create(code="BIG", name="Big Department")
    Person.objects.bulk_create(
        Person(index_number=f"P{i:04d}", name=f"Person {i}", email=f"p{i}@example.org", entity=entity, manager_id="P0000" if i else None) for i in range(1234)
    )
    cycle = Cycle.objects.create(year=2026, topic="Speaking up", opens=datetime.date(2026, 9, 1), deadline=datetime.date(2026, 12, 31))
    session = Session.objects.create(cycle=cycle, leader=Person.objects.get(index_number="P0000"), ref="S1", date=datetime.date(2026, 10, 15))
    Attendance.objects.bulk_create(Attendance(session=session, person=person) for person in Person.objects.exclude(index_number="P0000")[:617])
    eve = User.objects.create_user("eve@example.org", PASSWORD)
    RoleGrant.objects.create(user=eve, role=Role.ETHICS_OFFICE)
    return eve


@pytest.mark.parametrize(
    ("language", "personnel", "participants", "rate", "deadline"),
    [
        ("en", "1,234", "618", "50.1 %", "Dec. 31, 2026"),
        ("fr", f"1{NBSP}234", "618", "50,1 %", "31 décembre 2026"),
    ],
)
def test_home_page_figures_follow_the_readers_language(client, big_entity, language, personnel, participants, rate, deadline):
    client.force_login(big_entity)
    client.cookies["django_language"] = language
    page = client.get(reverse("home")).content.decode()
    # The row of BIG: personnel, participants (the leader counts), rate; then the total row.
    assert f'<td class="num">{personnel}</td>\n<td class="num">{participants}</td>' in page
    assert rate.replace(" ", "") in page.replace(NBSP, "").replace(" ", "")
    assert deadline in page
