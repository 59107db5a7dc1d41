"""Each role sees exactly its scope, through the pages and through the scoping layer itself.

The named test people (cascade/testing.py), with cycle 2026 and three sessions:
- H1, led by people.head (Hugo, head of E1, derived without a grant), attended by Lena and
  people.peer (Otto);
- D1, led by people.leader (Lena, a manager in E1), attended by her four active reports (Adam,
  Zoë, مريم and people.monitor, Mona);
- X1, led by people.outsider (Farid, in E2).
people.focal (Fiona, E1's focal point) has not taken part; people.ethics (Eve) is the Ethics
Office and people.admin (Olga) the organization administrator, neither in the organization file.
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from accounts.scope import scope_for
from cascade.testing import PASSWORD, login
from dialogues.models import Attendance, Session
from dialogues.scope import visible_sessions
from org.models import Cycle, Person


@pytest.fixture
def sessions(people) -> dict[str, Session]:
    call_command("open_cycle", year=2026, topic="Speaking up", opens="2026-09-01", deadline="2026-12-31", stdout=open("/dev/null", "w"))
    cycle = Cycle.objects.get(year=2026)
    planned = {
        "H1": (people.head, datetime.date(2026, 9, 10), [people.leader, people.peer]),
        "D1": (people.leader, datetime.date(2026, 10, 1), people.reports),
        "X1": (people.outsider, datetime.date(2026, 10, 3), []),
    }
    sessions = {}
    for ref, (leader, day, attendees) in planned.items():
        sessions[ref] = Session.objects.create(cycle=cycle, leader=leader.person, ref=ref, date=day)
        Attendance.objects.bulk_create([Attendance(session=sessions[ref], person=attendee.person) for attendee in attendees])
    return sessions


def test_focal_point_gets_404_for_other_entity_session(client, people, sessions):
    login(client, people.focal)
    other = sessions["X1"]  # led by Farid in E2
    assert client.get(reverse("dialogues:session_detail", args=[other.pk])).status_code == 404


def test_focal_point_sees_own_entity_session_with_names(client, people, sessions):
    login(client, people.focal)
    response = client.get(reverse("dialogues:session_detail", args=[sessions["D1"].pk]))
    assert response.status_code == 200
    for report in people.reports:
        assert report.person.name in response.content.decode()


def test_focal_point_session_list_holds_only_own_entity(people, sessions):
    refs = set(visible_sessions(scope_for(people.focal.user)).values_list("ref", flat=True))
    assert refs == {"H1", "D1"}  # the sessions led by E1 people


def test_manager_sees_only_own_sessions(people, sessions):
    assert list(visible_sessions(scope_for(people.leader.user)).values_list("ref", flat=True)) == ["D1"]


def test_manager_gets_404_for_a_session_they_did_not_lead(client, people, sessions):
    login(client, people.leader)
    assert client.get(reverse("dialogues:session_detail", args=[sessions["H1"].pk])).status_code == 404  # she attended it
    assert client.get(reverse("dialogues:session_detail", args=[sessions["D1"].pk])).status_code == 200


def test_ethics_office_sees_no_session_and_no_sheet(client, people, sessions):
    assert not visible_sessions(scope_for(people.ethics.user)).exists()
    login(client, people.ethics)
    assert client.get(reverse("dialogues:session_detail", args=[sessions["H1"].pk])).status_code == 404


def test_ethics_office_home_shows_counts_of_every_entity_and_no_name(client, people, sessions):
    login(client, people.ethics)
    page = client.get(reverse("home")).content.decode()
    for code in ("E1", "E2"):
        assert code in page
    # Every active person of the two entities; all but Fiona took part.
    assert '<th scope="row">Total</th><td class="num">9</td><td class="num">8</td>' in page
    for name in Person.objects.values_list("name", flat=True):
        assert name not in page


def test_ethics_office_entity_page_has_units_and_no_name(client, people, sessions):
    login(client, people.ethics)
    response = client.get(reverse("oversight:entity", args=["E1"]))
    page = response.content.decode()
    assert response.status_code == 200 and "Division A" in page and "Section B" in page
    for name in Person.objects.values_list("name", flat=True):
        assert name not in page


def test_focal_point_gets_404_for_other_entity_numbers(client, people, sessions):
    login(client, people.focal)
    assert client.get(reverse("oversight:entity", args=["E2"])).status_code == 404
    assert client.get(reverse("oversight:entity", args=["E1"])).status_code == 200


def test_head_of_entity_is_derived_from_reporting_lines(people):
    """The head has no manager, or a manager in another entity."""
    scope = scope_for(people.head.user)
    assert scope.head_entity_ids == {people.e1.pk}
    assert scope.is_manager
    Person.objects.filter(pk=people.head.person.pk).update(manager=people.outsider.person)  # reports to E2
    assert scope_for(User.objects.get(pk=people.head.user.pk)).head_entity_ids == {people.e1.pk}
    assert scope_for(people.outsider.user).head_entity_ids == {people.e2.pk}


def test_plain_participant_has_no_entity_and_no_session(people, sessions):
    scope = scope_for(people.participant.user)  # attended D1, leads nobody
    assert not scope.is_manager and not scope.named_entity_ids and not scope.ethics_office
    assert not visible_sessions(scope).exists()


def test_participant_home_shows_own_participation(client, people, sessions):
    login(client, people.participant)
    page = client.get(reverse("home")).content.decode()
    assert people.leader.person.name in page  # the session they attended
    assert "E2" not in page  # no entity table


def test_manager_home_lists_direct_reports_and_state(client, people, sessions):
    login(client, people.leader)
    page = client.get(reverse("home")).content.decode()
    for report in people.reports:
        assert report.person.name in page
    assert "state-complete" in page  # all 4 active reports attended D1


def test_only_the_organization_administrator_may_import_the_organization(client, people, sessions):
    for persona in (people.focal, people.ethics):
        login(client, persona)
        assert client.get(reverse("org:upload")).status_code == 404
    login(client, people.admin)
    response = client.get(reverse("org:upload"))
    assert response.status_code == 200 and "Import the organization" in response.content.decode()


def test_only_focal_points_may_import_attendance(client, people, sessions):
    login(client, people.leader)
    assert client.get(reverse("dialogues:attendance_upload")).status_code == 404
    login(client, people.focal)
    assert client.get(reverse("dialogues:attendance_upload")).status_code == 200


def test_anonymous_visitor_is_sent_to_login(client, sessions):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_person_who_left_loses_their_roles(people, sessions):
    Person.objects.filter(pk=people.leader.person.pk).update(active=False)
    leader = User.objects.get(pk=people.leader.user.pk)
    scope = scope_for(leader)
    assert scope.person is None and not scope.is_manager
    assert not visible_sessions(scope).exists()


def test_login_speaks_the_persons_language_from_the_organization_file(client, people, sessions):
    maryam = people.participants[2]  # language "ar" in the organization file
    response = client.post(reverse("login"), {"username": maryam.email, "password": PASSWORD}, follow=True)
    assert response.context["LANGUAGE_CODE"] == "ar"
    assert 'dir="rtl"' in response.content.decode()


def test_login_links_the_account_to_the_person_with_the_same_email(client, people, sessions):
    """An account made by hand, not linked to Lena's record yet."""
    User.objects.filter(pk=people.leader.user.pk).update(person=None)
    client.post(reverse("login"), {"username": people.leader.email.upper(), "password": PASSWORD})
    user = User.objects.get(pk=people.leader.user.pk)
    assert user.person == people.leader.person
    assert scope_for(user).is_manager


def test_monitor_sees_the_session_to_record_but_not_its_sign_in_sheet(client, people, sessions):
    d1 = sessions["D1"]
    Session.objects.filter(pk=d1.pk).update(monitor=people.monitor.person)
    login(client, people.monitor)
    page = client.get(reverse("dialogues:session_detail", args=[d1.pk])).content.decode()
    assert reverse("dialogues:attendance_monitor", args=[d1.pk]) in page
    assert client.get(reverse("dialogues:sheet", args=[d1.pk])).status_code == 404
    assert client.get(reverse("dialogues:session_detail", args=[sessions["H1"].pk])).status_code == 404
