"""Names are disclosed by role only: typed index numbers, sign-in sheets, Teams reports and the
attendance import resolve people only within what the user may see, and say the same thing
about an index number that exists outside it as about one that exists nowhere.

Personas (accounts/tests/personas.two_entities): in OPS, hana heads; leo leads rita → gus → gia
and ian (inactive); pia and fay (the focal point of OPS) report to hana. In FIN, fred heads;
olive and gwen report to fred. Index numbers run from D100001, as in the organization.
"""

import datetime
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from accounts.tests.personas import two_entities
from cascade.testing import make_user
from core.models import AuditEntry
from dialogues.models import Attendance, Invitation, Session, UnmatchedParticipant
from org.models import Cycle

from .fixtures.teams import as_csv_utf8, sections

NOW = datetime.datetime(2026, 10, 15, 10, 0, tzinfo=datetime.UTC)
SCHEDULE = {"date": "2026-10-20", "start_time": "09:00", "time_zone": "UTC", "duration_minutes": 90, "mode": "in_person", "location": "Room 4"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def people(db):
    return two_entities()


@pytest.fixture
def cycle(db):
    return Cycle.objects.create(year=2026, topic="Speaking up", opens=datetime.date(2026, 9, 1), deadline=datetime.date(2026, 12, 31))


@pytest.fixture
def held(people, cycle):
    """Leo's session, started an hour ago."""
    return Session.objects.create(cycle=cycle, leader=people["leo"], ref="S1", date=NOW.date(), starts_at=NOW - datetime.timedelta(hours=1), time_zone="UTC")


@pytest.fixture
def coming(people, cycle):
    """Leo's session in five days, with rita invited."""
    session = Session.objects.create(cycle=cycle, leader=people["leo"], ref="S2", date=datetime.date(2026, 10, 20), starts_at=NOW + datetime.timedelta(days=5), time_zone="UTC")
    Invitation.objects.create(session=session, person=people["rita"])
    return session


def login(client, people, key, *grants):
    user = make_user(f"{key}@example.org", people[key].index_number, *grants)
    client.force_login(user)
    return user


def without_tokens(page: str) -> str:
    """The page without its CSRF tokens, which differ at every response."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "TOKEN", page)


def names_on(page: str, people, *keys) -> set[str]:
    return {key for key in keys if people[key].name in page}


OTHERS = ("hana", "leo", "rita", "gus", "gia", "fay", "fred", "olive", "gwen")


# -- "Also invite" on the schedule form --------------------------------------------------------


def test_participant_cannot_list_names_through_also_invite(client, people, cycle):
    login(client, people, "pia")
    everyone = "\n".join(people[key].index_number for key in OTHERS)
    response = client.post(reverse("dialogues:schedule"), SCHEDULE | {"others": everyone, "split": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and response.templates[0].name == "dialogues/schedule.html"
    assert "D100002: not someone you can invite — ask your focal point" in page
    assert names_on(page, people, *OTHERS) == set()
    assert not Session.objects.exists() and not Invitation.objects.exists()


def test_unknown_and_out_of_scope_index_get_same_message(client, people, cycle):
    login(client, people, "leo")
    pages = {}
    for entry in ("D100102", "D109999"):  # olive, of FIN; nobody
        response = client.post(reverse("dialogues:schedule"), SCHEDULE | {"invitees": [people["rita"].pk], "others": entry})
        assert response.status_code == 200
        assert response.context["form"].errors == {"others": [f"{entry}: not someone you can invite — ask your focal point"]}
        pages[entry] = without_tokens(response.content.decode()).replace(entry, "ENTRY")
    assert pages["D100102"] == pages["D109999"]
    assert people["olive"].name not in pages["D100102"] and people["rita"].name in pages["D100102"]
    assert not Session.objects.exists()


def test_split_page_shows_only_invitable_people(client, people, cycle):
    login(client, people, "leo")
    chain = SCHEDULE | {"invitees": [people["rita"].pk], "others": "D100004\ngia@example.org", "split": "1"}
    page = client.post(reverse("dialogues:schedule"), chain).content.decode()
    assert "Who goes to which session" in page
    assert names_on(page, people, "rita", "gus", "gia", "pia", "olive") == {"rita", "gus", "gia"}
    response = client.post(reverse("dialogues:schedule"), chain | {"others": "D100004\nD100102\nD100006"})
    page = response.content.decode()
    assert response.templates[0].name == "dialogues/schedule.html" and "Who goes to which session" not in page
    assert "D100102: not someone you can invite" in page and "D100006: not someone you can invite" in page
    assert names_on(page, people, "gus", "olive", "pia") == set()


def test_leader_invites_their_chain_by_index_number_or_address(client, people, cycle):
    login(client, people, "leo")
    response = client.post(reverse("dialogues:schedule"), SCHEDULE | {"invitees": [people["rita"].pk], "others": "D100005, GUS@example.org"})
    assert response.status_code == 302
    session = Session.objects.get()
    assert set(session.invitations.values_list("person__index_number", flat=True)) == {"D100003", "D100004", "D100005"}


def test_too_many_typed_entries_are_refused(client, people, cycle):
    login(client, people, "leo")
    entries = "\n".join(f"D{n}" for n in range(200000, 200501))
    response = client.post(reverse("dialogues:schedule"), SCHEDULE | {"invitees": [people["rita"].pk], "others": entries})
    assert response.status_code == 200
    assert "at most 200" in response.content.decode()
    assert not Session.objects.exists()


# -- a paper sheet and a Teams report for one session ------------------------------------------


def upload_sheet(client, session, text):
    return client.post(reverse("dialogues:attendance_sheet", args=[session.pk]), {"file": SimpleUploadedFile("sheet.csv", text.encode())})


def confirm(client, url, response):
    return client.post(url, {"staged": response.context["staged"]})


def test_sheet_upload_does_not_record_other_entity_person(client, people, held):
    login(client, people, "leo")
    pages = {}
    for entry in ("D100102", "D109999"):
        response = upload_sheet(client, held, f"participant_index_number\nD100003\n{entry}\n")
        page = response.content.decode()
        assert response.status_code == 200 and "The file was rejected" in page and "Confirm and record" not in page
        assert f"{entry}: not someone you can record for this session — invite them first, or ask your focal point" in page
        pages[entry] = without_tokens(page).replace(entry, "ENTRY")
    assert pages["D100102"] == pages["D109999"]
    assert people["olive"].name not in pages["D100102"]
    assert not Attendance.objects.exists()


def test_sheet_upload_records_the_leaders_chain_and_an_invited_guest(client, people, held):
    Invitation.objects.create(session=held, person=people["gwen"])
    login(client, people, "leo")
    url = reverse("dialogues:attendance_sheet", args=[held.pk])
    response = upload_sheet(client, held, "participant_index_number\nD100005\nD100103\n")
    page = response.content.decode()
    assert "Confirm and record" in page and names_on(page, people, "gia", "gwen") == {"gia", "gwen"}
    assert confirm(client, url, response).status_code == 302
    assert set(Attendance.objects.values_list("person__index_number", flat=True)) == {"D100005", "D100103"}


def test_monitor_sheet_reaches_invitees_and_direct_reports_not_the_chain_below(client, people, held):
    held.monitor = people["pia"]
    held.save()
    login(client, people, "pia")
    page = upload_sheet(client, held, "participant_index_number\nD100003\nD100005\n").content.decode()
    assert "D100005: not someone you can record for this session" in page
    assert people["gia"].name not in page and "Confirm and record" not in page


def teams_report(*rows):
    """A Teams attendance report (UTF-8 as re-saved) with leo as organizer and the given
    (display name, e-mail) rows."""
    leo = ["Leo Lanternfish", "10/15/26, 9:00:00 AM", "10/15/26, 10:30:00 AM", "1h 30m 0s", "leo@example.org", "leo@example.org", "Organizer"]
    lines = [leo] + [[name, "10/15/26, 9:01:00 AM", "10/15/26, 10:30:00 AM", "1h 29m 0s", email, email, "Attendee"] for name, email in rows]
    return as_csv_utf8(sections(participants=lines))


def test_teams_upload_does_not_record_other_entity_person(client, people, held):
    login(client, people, "leo")
    url = reverse("dialogues:attendance_conference", args=[held.pk])
    data = teams_report(("R. Riverbank", "rita@example.org"), ("O. Oakhurst", "olive@example.org"), ("N. Nobody", "nobody@example.org"))
    response = client.post(url, {"file": SimpleUploadedFile("teams.csv", data)})
    page = response.content.decode()
    assert response.status_code == 200 and "Confirm and record" in page
    assert people["rita"].name in page  # matched: her name from the organization file
    assert people["olive"].name not in page  # not matched: only what the file itself says
    assert "olive@example.org: not someone you can record for this session" in page
    assert "nobody@example.org: not someone you can record for this session" in page
    assert [p.index_number for p in response.context["report"].people] == ["D100003"]
    assert confirm(client, url, response).status_code == 302
    assert list(Attendance.objects.values_list("person__index_number", flat=True)) == ["D100003"]
    assert set(UnmatchedParticipant.objects.values_list("name", flat=True)) == {"O. Oakhurst", "N. Nobody"}


def test_teams_upload_records_an_invited_cross_entity_guest(client, people, held):
    Invitation.objects.create(session=held, person=people["olive"])
    login(client, people, "leo")
    url = reverse("dialogues:attendance_conference", args=[held.pk])
    response = client.post(url, {"file": SimpleUploadedFile("teams.csv", teams_report(("O. Oakhurst", "olive@example.org")))})
    assert people["olive"].name in response.content.decode()
    confirm(client, url, response)
    assert list(Attendance.objects.values_list("person__index_number", flat=True)) == ["D100102"]


# -- guests from another entity, added by the focal point --------------------------------------


def test_focal_point_can_add_cross_entity_guest(client, people, coming, smtp_inbox, django_capture_on_commit_callbacks):
    fay = login(client, people, "fay", (Role.FOCAL_POINT, "OPS"))
    url = reverse("dialogues:session_guests", args=[coming.pk])
    assert "index number and e-mail address" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"guests": "D100103 gwen@example.org"})
    assert response.status_code == 302
    assert set(coming.invitations.values_list("person__index_number", flat=True)) == {"D100003", "D100103"}
    entry = AuditEntry.objects.get(action="session.guests")
    assert entry.actor == fay and entry.target == f"session {coming.pk}" and entry.detail == {"added": ["D100103"]}
    assert [m["To"] for m in smtp_inbox.messages] == ["gwen@example.org"]
    # The guest is now an invitee: the leader sees her name and may invite her again.
    login(client, people, "leo")
    page = client.get(reverse("dialogues:session_detail", args=[coming.pk])).content.decode()
    assert people["gwen"].name in page and people["rita"].name in page


def test_guest_with_an_address_that_is_not_theirs_adds_nobody(client, people, coming):
    login(client, people, "fay", (Role.FOCAL_POINT, "OPS"))
    url = reverse("dialogues:session_guests", args=[coming.pk])
    pages = {}
    for entry in ("D100103 olive@example.org", "D109999 olive@example.org"):
        response = client.post(url, {"guests": entry})
        page = response.content.decode()
        assert response.status_code == 200 and "as in the organization file" in page
        pages[entry] = without_tokens(page).replace(entry, "ENTRY")
    assert pages["D100103 olive@example.org"] == pages["D109999 olive@example.org"]
    assert names_on(pages["D100103 olive@example.org"], people, "gwen", "olive") == set()
    assert list(coming.invitations.values_list("person__index_number", flat=True)) == ["D100003"]
    assert not AuditEntry.objects.filter(action="session.guests").exists()


@pytest.mark.parametrize("who, grants", [("leo", ()), ("rita", ()), ("fred", ()), ("olive", ((Role.FOCAL_POINT, "FIN"),))])
def test_only_the_focal_point_or_head_of_the_sessions_entity_adds_guests(client, people, coming, who, grants):
    login(client, people, who, *grants)
    assert client.get(reverse("dialogues:session_guests", args=[coming.pk])).status_code == 404
    assert client.post(reverse("dialogues:session_guests", args=[coming.pk]), {"guests": "D100103 gwen@example.org"}).status_code == 404
    assert coming.invitations.count() == 1


def test_head_of_entity_may_add_guests_too(client, people, coming):
    login(client, people, "hana")  # head of OPS, derived from the reporting lines
    response = client.post(reverse("dialogues:session_guests", args=[coming.pk]), {"guests": "D100102 OLIVE@example.org"})
    assert response.status_code == 302
    assert coming.invitations.filter(person=people["olive"]).exists()


def test_leader_keeps_a_guest_the_focal_point_added_when_changing_the_session(client, people, coming):
    Invitation.objects.create(session=coming, person=people["gwen"])
    login(client, people, "leo")
    url = reverse("dialogues:session_edit", args=[coming.pk])
    form = client.get(url).context["form"]
    assert form.initial["others"] == "D100103"
    response = client.post(url, SCHEDULE | {"invitees": [people["rita"].pk], "others": form.initial["others"], "location": "Room 9"})
    assert response.status_code == 302
    assert set(coming.invitations.values_list("person__index_number", flat=True)) == {"D100003", "D100103"}


def test_session_page_links_the_focal_point_to_the_guests_page(client, people, coming):
    login(client, people, "fay", (Role.FOCAL_POINT, "OPS"))
    page = client.get(reverse("dialogues:session_detail", args=[coming.pk])).content.decode()
    assert reverse("dialogues:session_guests", args=[coming.pk]) in page and people["rita"].name in page
    login(client, people, "leo")
    page = client.get(reverse("dialogues:session_detail", args=[coming.pk])).content.decode()
    assert reverse("dialogues:session_guests", args=[coming.pk]) not in page and people["rita"].name in page


# -- the focal point's attendance import -------------------------------------------------------


def import_page(client, rows):
    text = "session_ref,date,leader_index_number,participant_index_number\n" + "".join(f"{r},2026-10-01,{leader},{p}\n" for r, leader, p in rows)
    return client.post(reverse("dialogues:attendance_upload"), {"cycle": "2026", "file": SimpleUploadedFile("attendance.csv", text.encode())})


def test_focal_point_import_does_not_record_other_entity_person(client, people, cycle):
    login(client, people, "fay", (Role.FOCAL_POINT, "OPS"))
    pages = {}
    for participant, leader in (("D100102", "D100101"), ("D109998", "D109999")):
        response = import_page(client, [("R1", "D100002", "D100003"), ("R1", "D100002", participant), ("R2", leader, "D100003")])
        page = response.content.decode()
        assert response.status_code == 200 and "The file was rejected" in page
        assert f"{participant} is not an active person of your entity, of the leader’s team or among the session’s invitees" in page
        assert f"{leader} is not an active person of your entity" in page
        pages[participant] = without_tokens(page).replace(participant, "PARTICIPANT").replace(leader, "LEADER")
    assert pages["D100102"] == pages["D109998"]
    assert names_on(pages["D100102"], people, "olive", "fred") == set()
    assert not Session.objects.exists() and not Attendance.objects.exists()


def test_focal_point_import_records_someone_of_another_entity_below_the_leader(client, people, cycle):
    people["olive"].manager_id = "D100002"  # olive (FIN) reports to leo (OPS)
    people["olive"].save()
    login(client, people, "fay", (Role.FOCAL_POINT, "OPS"))
    response = import_page(client, [("R1", "D100002", "D100003"), ("R1", "D100002", "D100102")])
    assert "Confirm" in response.content.decode()
    client.post(reverse("dialogues:attendance_upload"), {"staged": response.context["staged"]})
    assert set(Attendance.objects.values_list("person__index_number", flat=True)) == {"D100003", "D100102"}


# -- every name a page shows is one the viewer may see -----------------------------------------


@pytest.mark.parametrize(
    "who, grants, pages, seen",
    [
        ("leo", (), ["session_list", "session_detail", "attendance_monitor", "sheet", "home", "my_sessions"], {"rita", "gwen", "olive", "pia"}),
        ("pia", (), ["session_list", "session_detail", "attendance_monitor", "home"], {"leo", "rita", "gwen", "olive"}),
        ("fay", ((Role.FOCAL_POINT, "OPS"),), ["session_list", "session_detail", "sheet", "entity", "entity_not_reported", "home"], {"leo", "rita", "gwen", "olive"}),
        ("rita", (), ["home", "my_sessions", "my_invitations"], {"leo"}),
        ("olive", (), ["home", "my_sessions", "my_invitations", "session_list"], {"leo"}),
    ],
)
def test_every_name_on_the_pages_of_a_session_is_one_the_viewer_may_see(client, people, held, who, grants, pages, seen):
    from accounts.scope import scope_for
    from dialogues.scope import nameable_people

    held.monitor = people["pia"]
    held.save()
    Invitation.objects.create(session=held, person=people["gwen"])  # a guest the focal point added
    Attendance.objects.create(session=held, person=people["rita"])
    Attendance.objects.create(session=held, person=people["olive"])  # signed in with the room's code
    user = login(client, people, who, *grants)
    allowed = set(nameable_people(scope_for(user)).values_list("name", flat=True))
    urls = {
        "session_list": reverse("dialogues:session_list"),
        "session_detail": reverse("dialogues:session_detail", args=[held.pk]),
        "attendance_monitor": reverse("dialogues:attendance_monitor", args=[held.pk]),
        "sheet": reverse("dialogues:sheet", args=[held.pk]),
        "home": reverse("home"),
        "my_sessions": reverse("feedback:my_sessions"),
        "my_invitations": reverse("dialogues:my_invitations"),
        "entity": reverse("oversight:entity", args=["OPS"]),
        "entity_not_reported": reverse("feedback:entity_not_reported", args=["OPS"]),
    }
    everywhere = set()
    for page in pages:
        response = client.get(urls[page])
        assert response.status_code == 200, page
        shown = {key for key, person in people.items() if person.name in response.content.decode()}
        assert {people[key].name for key in shown} <= allowed, (page, shown)
        everywhere |= shown
    assert seen <= everywhere  # the pages did show the names they are for
