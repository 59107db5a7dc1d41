"""Sign-in: self sign-in with the rotating code, the room display, names ticked by the leader or
the monitor, the monitor's appointment, and a paper sheet's rows for one session.

Personas (fixtures/__init__.py): lena leads pat, quinn, mona, ravi and ina (inactive); otto
leads olga, who is invited to lena's session; hugo heads the entity.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cascade.testing import PASSWORD
from core.models import AuditEntry
from dialogues import signin
from dialogues.models import Attendance, AttendanceMethod, Invitation, SessionStatus
from dialogues.signin import (
    ALPHABET,
    SelfSignIn,
    SigninError,
    attendance_record_self,
    attendance_set_by_monitor,
    code_is_current,
    minute_of,
    parse_typed_code,
    rotating_code,
    session_appoint_monitor,
    signin_code,
)

from .fixtures import invite, login, make_people, make_session

pytestmark = pytest.mark.clock  # "today" is a day in the session's time zone


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def session(people):
    s = make_session(people["lena"])
    invite(s, people["olga"])
    return s


def scan(client, session, code=None):
    """What a phone does with the QR code: open the entry URL with the current code."""
    return client.get(reverse("dialogues:signin_entry"), {"c": code or signin_code(session)})


def signin_url(client, session):
    response = scan(client, session)
    assert response.status_code == 302
    return response.url


def tap(client, url):
    """What the phone does with the page's one button: post its form as shown."""
    page = client.get(url).content.decode()
    return client.post(url, {"pass": re.search(r'name="pass" value="([^"]+)"', page).group(1)})


# -- the rotating code -------------------------------------------------------------------------


def test_code_is_session_number_and_five_unambiguous_characters(session):
    number, rest = signin_code(session).split("-")
    assert int(number) == session.pk
    assert len(rest) == 5 and set(rest) <= set(ALPHABET)
    assert not set("01OILU") & set(ALPHABET)


def test_code_changes_every_minute_and_stays_valid_for_the_grace_minutes(session, settings):
    settings.CASCADE_SIGNIN_GRACE_MINUTES = 2
    shown_at = timezone.now().replace(second=5)
    code = signin_code(session, shown_at).split("-")[1]
    minute = datetime.timedelta(minutes=1)
    assert code != signin_code(session, shown_at + minute).split("-")[1]
    assert code_is_current(session.signin_secret, code, shown_at + 2 * minute)
    assert not code_is_current(session.signin_secret, code, shown_at + 3 * minute)
    assert not code_is_current(session.signin_secret, code, shown_at - minute)


def test_code_depends_on_the_session_secret(session, people):
    other = make_session(people["otto"], ref="O1")
    minute = minute_of(timezone.now())
    assert rotating_code(session.signin_secret, minute) != rotating_code(other.signin_secret, minute)


def test_typed_code_ignores_case_spaces_and_dashes_and_reads_o_as_zero():
    assert parse_typed_code(" 12o4 k7qxm ") == (1204, "K7QXM")
    assert parse_typed_code("1204-K7QXM") == (1204, "K7QXM")
    assert parse_typed_code("1204K7QXM") == (1204, "K7QXM")
    assert parse_typed_code("K7QXM") is None
    assert parse_typed_code("12-K7QX") is None


def test_code_of_another_session_does_not_open_this_one(client, people, session):
    other = make_session(people["otto"], ref="O1")
    forged = f"{session.pk}-{signin_code(other).split('-')[1]}"
    response = scan(client, session, forged)
    assert response.status_code == 400
    assert "This code is not valid or has expired" in response.content.decode()


def test_expired_code_is_refused(client, session, settings):
    settings.CASCADE_SIGNIN_GRACE_MINUTES = 2
    old = signin_code(session, timezone.now() - datetime.timedelta(minutes=4))
    response = scan(client, session, old)
    assert response.status_code == 400
    assert "has expired" in response.content.decode()


# -- self sign-in ------------------------------------------------------------------------------


def test_anonymous_scan_goes_through_login_and_back_to_the_sign_in_page(client, people, session):
    response = scan(client, session)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    next_url = response.url.split("next=", 1)[1]
    from urllib.parse import unquote

    next_url = unquote(next_url)
    assert next_url.startswith(reverse("dialogues:signin", args=[session.pk]))
    response = client.post(reverse("login"), {"username": "pat@example.org", "password": PASSWORD, "next": next_url})
    assert response.status_code == 302 and response.url == next_url
    page = client.get(next_url).content.decode()
    assert "Sign in</button>" in page and "Lena Leader" in page


def test_participant_signs_in_with_one_tap(client, people, session):
    login(client, people["pat"])
    url = signin_url(client, session)
    page = client.get(url).content.decode()
    assert len(re.findall(r"<button", page)) == 1
    before = AuditEntry.objects.count()
    response = tap(client, url)
    assert response.status_code == 200
    assert "You are signed in" in response.content.decode()
    attendance = Attendance.objects.get(session=session)
    assert (attendance.person, attendance.method, attendance.recorded_by) == (people["pat"], AttendanceMethod.SELF, people["pat"])
    assert AuditEntry.objects.count() == before  # the row is its own audit entry


def test_participant_page_is_small_and_stands_alone(client, people, session):
    login(client, people["pat"])
    url = signin_url(client, session)
    for response in (client.get(url), client.post(url), client.get(reverse("dialogues:signin_entry"))):
        page = response.content.decode()
        assert len(response.content) < 50_000
        assert "htmx" not in page and "site-header" not in page and "style=" not in page
        assert "css/signin.css" in page


def test_signing_in_twice_records_once(client, people, session):
    login(client, people["pat"])
    url = signin_url(client, session)
    tap(client, url)
    first = Attendance.objects.get(session=session)
    response = client.post(url)  # the same form sent again (no pass: the login path)
    assert "You are signed in" in response.content.decode()
    genuine = signin.signin_pass_make(session=signin.session_facts(session.pk), person_id=people["pat"].pk, login_session=client.session.session_key)
    response = client.post(url, {"pass": genuine})
    assert "You are signed in" in response.content.decode()
    assert list(Attendance.objects.filter(session=session)) == [first]
    assert "You are signed in" in client.get(url).content.decode()


def test_sign_in_post_takes_one_query(client, people, session, django_assert_num_queries):
    login(client, people["pat"])
    url = signin_url(client, session)
    page = client.get(url).content.decode()
    signin_pass = re.search(r'name="pass" value="([^"]+)"', page).group(1)
    # the sign-in page's pass stands for the login: no login session, no user, one insert
    with django_assert_num_queries(1):
        response = client.post(url, {"pass": signin_pass})
    assert "You are signed in" in response.content.decode() and "Lena Leader" in response.content.decode()
    assert Attendance.objects.filter(session=session, person=people["pat"]).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_sign_in_statement_is_prepared_once_per_connection(client, people, session):
    for person in (people["pat"], people["quinn"]):
        login(client, person)
        url = signin_url(client, session)
        signin_pass = re.search(r'name="pass" value="([^"]+)"', client.get(url).content.decode()).group(1)
        assert "You are signed in" in client.post(url, {"pass": signin_pass}).content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO dialogues_attendance%%'")
        assert cursor.fetchone()[0] == 1
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 1  # nothing else is prepared
    assert Attendance.objects.filter(session=session).count() == 2


def test_the_pass_stands_for_the_csrf_token_and_nothing_else_skips_the_check(people, session):
    browser = Client(enforce_csrf_checks=True)
    login(browser, people["pat"])
    url = signin_url(browser, session)
    signin_pass = re.search(r'name="pass" value="([^"]+)"', browser.get(url).content.decode()).group(1)
    assert browser.post(url, {}).status_code == 403  # no pass: the usual CSRF check refuses it
    assert not Attendance.objects.exists()
    assert "You are signed in" in browser.post(url, {"pass": signin_pass}).content.decode()
    assert Attendance.objects.filter(session=session, person=people["pat"]).exists()


def test_pass_of_one_person_and_session_is_useless_elsewhere(client, people, session):
    login(client, people["pat"])
    url = signin_url(client, session)
    signin_pass = re.search(r'name="pass" value="([^"]+)"', client.get(url).content.decode()).group(1)
    other = make_session(people["otto"], ref="O1")
    browser = client.cookies["signin"].value
    client.logout()
    client.cookies["signin"] = browser  # the same browser, logged out
    other_url = reverse("dialogues:signin", args=[other.pk]) + "?t=" + signin.ticket_make(other.pk, browser=browser)
    response = client.post(other_url, {"pass": signin_pass})  # falls back to the login
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(url, {"pass": signin_pass[:-2] + "xx"})
    assert response.status_code == 302
    assert not Attendance.objects.exists()


def test_pass_does_not_outlive_a_cancellation(client, people, session):
    login(client, people["pat"])
    url = signin_url(client, session)
    signin_pass = re.search(r'name="pass" value="([^"]+)"', client.get(url).content.decode()).group(1)
    session.status = SessionStatus.CANCELLED
    session.save()
    response = client.post(url, {"pass": signin_pass})
    assert response.status_code == 409 and "This session was cancelled" in response.content.decode()
    assert not Attendance.objects.exists()


def test_expired_sign_in_link_is_refused(client, people, session, settings):
    login(client, people["pat"])
    url = signin_url(client, session)
    settings.CASCADE_SIGNIN_TICKET_MINUTES = -1
    response = client.post(url)
    assert response.status_code == 400
    assert "This sign-in link has expired" in response.content.decode()
    assert not Attendance.objects.exists()


def test_sign_in_before_the_session_starts_is_refused(client, people):
    later = make_session(people["lena"], starts_in_minutes=60)
    login(client, people["pat"])
    response = client.post(signin_url(client, later))
    assert response.status_code == 409
    assert "Attendance can be recorded once the session has started" in response.content.decode()
    assert not Attendance.objects.exists()


def test_sign_in_after_the_session_day_is_refused(people, session):
    next_day = datetime.datetime.combine(session.date + datetime.timedelta(days=1), datetime.time(9), signin.session_zone(session))
    result = attendance_record_self(session_id=session.pk, person_id=people["pat"].pk, now=next_day)
    assert result.outcome is SelfSignIn.REFUSED
    assert "on the day of the session only" in result.message
    assert not Attendance.objects.exists()


def test_sign_in_to_a_cancelled_session_is_refused(client, people, session):
    login(client, people["pat"])
    url = signin_url(client, session)
    session.status = SessionStatus.CANCELLED
    session.save()
    response = client.post(url)
    assert "This session was cancelled" in response.content.decode()
    assert not Attendance.objects.exists()


def test_leader_cannot_sign_in_to_own_session(client, people, session):
    login(client, people["lena"])
    response = client.post(signin_url(client, session))
    assert "the leader is not counted as a participant" in response.content.decode()
    assert not Attendance.objects.exists()


def test_inactive_person_cannot_sign_in(client, people, session):
    login(client, people["ina"])
    response = client.post(signin_url(client, session))
    assert "not linked to anyone in the organization file" in response.content.decode()
    assert not Attendance.objects.exists()


# -- the room display --------------------------------------------------------------------------


def test_room_display_shows_qr_code_typed_code_and_count(client, people, session):
    login(client, people["lena"])
    Attendance.objects.create(session=session, person=people["pat"], method=AttendanceMethod.SELF)
    page = client.get(reverse("dialogues:signin_display", args=[session.pk])).content.decode()
    assert "<svg" in page and "QR code to sign in" in page
    assert signin_code(session) in page or signin_code(session, timezone.now() - datetime.timedelta(minutes=1)) in page
    assert "1 signed in" in page
    assert 'hx-get="' in page and "every 5s" in page


def test_room_display_fragments_hold_only_their_part(client, people, session):
    login(client, people["lena"])
    url = reverse("dialogues:signin_display", args=[session.pk])
    count = client.get(url, {"part": "count"}).content.decode()
    assert count.strip() == "0 signed in"
    code = client.get(url, {"part": "code"}).content.decode()
    assert code.lstrip().startswith('<div id="signin-code"') and "<html" not in code


def test_room_display_before_start_shows_when_sign_in_opens(client, people):
    later = make_session(people["lena"], starts_in_minutes=60)
    login(client, people["lena"])
    page = client.get(reverse("dialogues:signin_display", args=[later.pk])).content.decode()
    assert "<svg" not in page and "once the session has started" in page


@pytest.mark.parametrize("who", ["mona", "otto", "pat"])
def test_only_the_leader_may_show_the_room_display(client, people, session, who):
    session_appoint_monitor(session=session, actor=people["lena"].user, monitor=people["mona"])
    login(client, people[who])
    assert client.get(reverse("dialogues:signin_display", args=[session.pk])).status_code == 404


# -- the leader or monitor ticks names ---------------------------------------------------------


def tick(client, session, *, shown, was=(), present=()):
    return client.post(
        reverse("dialogues:attendance_monitor", args=[session.pk]),
        {"shown": [p.pk for p in shown], "was": [p.pk for p in was], "present": [p.pk for p in present]},
    )


def test_ticking_page_lists_invitees_and_direct_reports_but_not_the_leader(client, people, session):
    login(client, people["lena"])
    page = client.get(reverse("dialogues:attendance_monitor", args=[session.pk])).content.decode()
    for name in ("Pat Participant", "Quinn Report", "Mona Monitor", "Ravi Remote", "Olga Invitee"):
        assert f'"><bdi>{name}</bdi></label>' in page
    assert ">Lena Leader</bdi></label>" not in page and "Ina Inactive" not in page and "Otto Other" not in page


def test_monitor_ticks_names_and_each_save_is_audited(client, people, session):
    session_appoint_monitor(session=session, actor=people["lena"].user, monitor=people["mona"])
    Invitation.objects.create(session=session, person=people["pat"])
    login(client, people["mona"])
    # A monitor sees and ticks the session's own people only, not the rest of the leader's team.
    page = client.get(reverse("dialogues:attendance_monitor", args=[session.pk])).content.decode()
    assert ">Pat Participant</" in page and "Quinn Report" not in page
    refused = tick(client, session, shown=[people["quinn"]], present=[people["quinn"]])
    assert refused.status_code == 302 and not Attendance.objects.filter(session=session).exists()
    response = tick(client, session, shown=[people["pat"], people["olga"]], present=[people["pat"], people["olga"]])
    assert response.status_code == 302
    rows = Attendance.objects.filter(session=session).order_by("person__index_number")
    assert [(a.person.index_number, a.method, a.recorded_by_id) for a in rows] == [
        ("T101", AttendanceMethod.MONITOR, people["mona"].pk),
        ("T201", AttendanceMethod.MONITOR, people["mona"].pk),
    ]
    entry = AuditEntry.objects.filter(action="attendance.monitor").get()
    assert entry.actor == people["mona"].user and entry.detail == {"added": ["T101", "T201"], "removed": []}


def test_unticking_removes_the_attendance(client, people, session):
    Attendance.objects.create(session=session, person=people["pat"], method=AttendanceMethod.SELF)
    login(client, people["lena"])
    tick(client, session, shown=[people["pat"]], was=[people["pat"]], present=[])
    assert not Attendance.objects.filter(session=session).exists()
    assert AuditEntry.objects.get(action="attendance.monitor").detail == {"added": [], "removed": ["T101"]}


def test_saving_keeps_someone_who_signed_in_after_the_page_was_shown(client, people, session):
    login(client, people["lena"])
    Attendance.objects.create(session=session, person=people["quinn"], method=AttendanceMethod.SELF)  # meanwhile
    tick(client, session, shown=[people["pat"], people["quinn"]], present=[people["pat"]])
    assert set(Attendance.objects.values_list("person__name", flat=True)) == {"Pat Participant", "Quinn Report"}


def test_the_leader_cannot_be_ticked_as_participant(people, session):
    with pytest.raises(SigninError, match="not counted as their own participant"):
        attendance_set_by_monitor(session=session, actor=people["lena"].user, present={people["lena"].pk}, absent=set())
    assert not Attendance.objects.exists()


def test_someone_outside_the_list_cannot_be_ticked(people, session):
    with pytest.raises(SigninError, match="Only invitees"):
        attendance_set_by_monitor(session=session, actor=people["lena"].user, present={people["hugo"].pk}, absent=set())


def test_ticking_before_the_session_starts_is_refused(client, people):
    later = make_session(people["lena"], starts_in_minutes=60)
    login(client, people["lena"])
    response = tick(client, later, shown=[people["pat"]], present=[people["pat"]])
    assert response.status_code == 302
    assert not Attendance.objects.exists()
    assert not AuditEntry.objects.filter(action="attendance.monitor").exists()
    page = client.get(reverse("dialogues:attendance_monitor", args=[later.pk])).content.decode()
    assert "once the session has started" in page


def test_session_without_a_time_is_open_for_recording_from_its_date(people):
    today = make_session(people["lena"], with_time=False)
    tomorrow = make_session(people["lena"], with_time=False, ref="S2", date=today.date + datetime.timedelta(days=1))
    attendance_set_by_monitor(session=today, actor=people["lena"].user, present={people["pat"].pk}, absent=set())
    with pytest.raises(SigninError, match="from the day of the session"):
        attendance_set_by_monitor(session=tomorrow, actor=people["lena"].user, present={people["pat"].pk}, absent=set())


def test_ticking_for_a_cancelled_session_is_refused(people, session):
    session.status = SessionStatus.CANCELLED
    with pytest.raises(SigninError, match="cancelled"):
        attendance_set_by_monitor(session=session, actor=people["lena"].user, present={people["pat"].pk}, absent=set())


def test_outsider_gets_404_on_the_ticking_page(client, people, session):
    login(client, people["otto"])
    assert client.get(reverse("dialogues:attendance_monitor", args=[session.pk])).status_code == 404
    assert tick(client, session, shown=[people["pat"]], present=[people["pat"]]).status_code == 404
    assert not Attendance.objects.exists()


# -- appointing the monitor --------------------------------------------------------------------


def test_leader_appoints_and_unsets_the_monitor_with_audit_entries(client, people, session):
    login(client, people["lena"])
    url = reverse("dialogues:monitor_appoint", args=[session.pk])
    client.post(url, {"monitor": people["olga"].pk})  # an invitee from another team
    session.refresh_from_db()
    assert session.monitor == people["olga"]
    client.post(url, {"monitor": ""})
    session.refresh_from_db()
    assert session.monitor is None
    assert [e.detail for e in AuditEntry.objects.filter(action="session.monitor").order_by("at", "pk")] == [{"monitor": "T201"}, {"monitor": None}]


def test_monitor_must_be_a_direct_report_or_an_invitee(client, people, session):
    login(client, people["lena"])
    client.post(reverse("dialogues:monitor_appoint", args=[session.pk]), {"monitor": people["otto"].pk})
    session.refresh_from_db()
    assert session.monitor is None
    assert not AuditEntry.objects.filter(action="session.monitor").exists()


def test_monitor_records_attendance_only_and_cannot_appoint(client, people, session):
    session_appoint_monitor(session=session, actor=people["lena"].user, monitor=people["mona"])
    login(client, people["mona"])
    assert client.post(reverse("dialogues:monitor_appoint", args=[session.pk]), {"monitor": people["pat"].pk}).status_code == 404
    page = client.get(reverse("dialogues:attendance_monitor", args=[session.pk])).content.decode()
    assert "Save attendance" in page and "Save the monitor" not in page


# -- a paper sheet for one session -------------------------------------------------------------


def upload_sheet(client, session, text):
    url = reverse("dialogues:attendance_sheet", args=[session.pk])
    return client.post(url, {"file": SimpleUploadedFile("sheet.csv", text.encode())})


def test_sheet_rows_are_previewed_then_recorded(client, people, session):
    login(client, people["lena"])
    sheet = "participant_index_number,participant_name,session_ref\nT101,,S1\n,Guest Speaker,S1\nT102,,\nT101,,S1\n"
    response = upload_sheet(client, session, sheet)
    page = response.content.decode()
    assert "Confirm and record" in page and "Guest Speaker" in page and "is listed twice" in page
    assert not Attendance.objects.exists()
    response = client.post(reverse("dialogues:attendance_sheet", args=[session.pk]), {"staged": response.context["staged"]})
    assert response.status_code == 302
    assert sorted(Attendance.objects.values_list("person__index_number", "method")) == [("T101", "sheet"), ("T102", "sheet")]
    assert list(session.unmatched.values_list("name", flat=True)) == ["Guest Speaker"]
    entry = AuditEntry.objects.get(action="attendance.sheet")
    assert entry.actor == people["lena"].user and entry.target == f"session {session.pk}"


def test_sheet_of_another_session_is_rejected(client, people, session):
    login(client, people["lena"])
    page = upload_sheet(client, session, "participant_index_number,session_ref,leader_index_number\nT101,S9,T200\n").content.decode()
    assert "S9 is not this session’s S1" in page and "T200 is not this session’s T100" in page
    assert "Confirm and record" not in page


def test_sheet_does_not_count_the_leader(client, people, session):
    login(client, people["lena"])
    response = upload_sheet(client, session, "participant_index_number\nT100\nT101\n")
    assert "the leader is not counted as their own participant" in response.content.decode()
    client.post(reverse("dialogues:attendance_sheet", args=[session.pk]), {"staged": response.context["staged"]})
    assert list(Attendance.objects.values_list("person__index_number", flat=True)) == ["T101"]


def test_sheet_without_participant_columns_is_rejected(client, people, session):
    login(client, people["lena"])
    page = upload_sheet(client, session, "name\nPat\n").content.decode()
    assert "missing column (or give participant_name)" in page


def test_sheet_for_a_cancelled_session_is_refused(client, people, session):
    session.status = SessionStatus.CANCELLED
    session.save()
    login(client, people["lena"])
    page = upload_sheet(client, session, "participant_index_number\nT101\n").content.decode()
    assert "This session was cancelled" in page
    assert not Attendance.objects.exists()


def test_leader_of_another_session_gets_404_on_the_sheet_page(client, people, session):
    login(client, people["otto"])
    assert upload_sheet(client, session, "participant_index_number\nT101\n").status_code == 404
