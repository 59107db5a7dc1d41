"""Each role sees exactly its scope, through the pages and through the scoping layer itself.

Personas on the contracts' sample organization (cycle 2026):
- eve: Ethics Office, not in the organization file;
- fiona: focal point of E00 (she is S000010, a participant in E00);
- nala: S000003, a manager in E00 who led session R7;
- priya: S000020-ish participant with no reports, in E01;
- ngozi: S000001, head of E00 (her manager is in EOSG), derived without a grant.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role, User
from accounts.scope import scope_for
from accounts.tests.personas import PASSWORD, make_user
from dialogues.models import Session
from dialogues.scope import visible_sessions
from org.models import Entity, Person


@pytest.fixture
def org(db, formats_dir):
    call_command("import_org", str(formats_dir / "sample-org.csv"))
    call_command("open_cycle", year=2026, topic="Speaking up", opens="2026-09-01", deadline="2026-12-31")
    call_command("import_attendance", str(formats_dir / "sample-attendance.csv"), cycle=2026)


@pytest.fixture
def eve(org):
    return make_user("eve@example.org", None, (Role.ETHICS_OFFICE, None))


@pytest.fixture
def fiona(org):
    return make_user("fiona@example.org", "S000010", (Role.FOCAL_POINT, "E00"))


@pytest.fixture
def nala(org):
    return make_user("nala@example.org", "S000003")


@pytest.fixture
def ngozi(org):
    return make_user("ngozi@example.org", "S000001")


def session(ref):
    return Session.objects.get(ref=ref)


def names_of(*index_numbers):
    return [Person.objects.get(index_number=i).name for i in index_numbers]


def test_focal_point_gets_404_for_other_entity_session(client, fiona):
    client.force_login(fiona)
    other = session("R2")  # led by S000040 in E01
    assert client.get(reverse("dialogues:session_detail", args=[other.pk])).status_code == 404


def test_focal_point_sees_own_entity_session_with_names(client, fiona):
    client.force_login(fiona)
    response = client.get(reverse("dialogues:session_detail", args=[session("R7").pk]))
    assert response.status_code == 200
    for name in names_of("S000005", "S000013"):
        assert name in response.content.decode()


def test_focal_point_session_list_holds_only_own_entity(fiona):
    refs = set(visible_sessions(scope_for(fiona)).values_list("ref", flat=True))
    assert refs == {"R3", "R7", "R8", "R9", "R10"}  # the sessions led by E00 people


def test_manager_sees_only_own_sessions(nala):
    assert list(visible_sessions(scope_for(nala)).values_list("ref", flat=True)) == ["R7"]


def test_manager_gets_404_for_a_session_they_did_not_lead(client, nala):
    client.force_login(nala)
    assert client.get(reverse("dialogues:session_detail", args=[session("R8").pk])).status_code == 404
    assert client.get(reverse("dialogues:session_detail", args=[session("R7").pk])).status_code == 200


def test_ethics_office_sees_no_session_and_no_sheet(client, eve):
    assert not visible_sessions(scope_for(eve)).exists()
    client.force_login(eve)
    assert client.get(reverse("dialogues:session_detail", args=[session("R1").pk])).status_code == 404


def test_ethics_office_home_shows_counts_of_every_entity_and_no_name(client, eve):
    client.force_login(eve)
    page = client.get(reverse("home")).content.decode()
    for code in ("E00", "E01", "E02", "EOSG"):
        assert code in page
    assert "118" in page and "54" in page  # total personnel and participants of the sample
    for name in Person.objects.values_list("name", flat=True):
        assert name not in page


def test_ethics_office_entity_page_has_units_and_no_name(client, eve):
    client.force_login(eve)
    page = client.get(reverse("oversight:entity", args=["E01"])).content.decode()
    assert "Division" in page
    for name in Person.objects.values_list("name", flat=True):
        assert name not in page


def test_focal_point_gets_404_for_other_entity_numbers(client, fiona):
    client.force_login(fiona)
    assert client.get(reverse("oversight:entity", args=["E01"])).status_code == 404
    assert client.get(reverse("oversight:entity", args=["E00"])).status_code == 200


def test_head_of_entity_is_derived_from_reporting_lines(ngozi):
    scope = scope_for(ngozi)
    assert scope.head_entity_ids == {Entity.objects.get(code="E00").pk}
    assert scope.is_manager


def test_plain_participant_has_no_entity_and_no_session(org):
    priya = make_user("p@example.org", "S000058")  # attended R4, leads nobody
    scope = scope_for(priya)
    assert not scope.is_manager and not scope.named_entity_ids and not scope.ethics_office
    assert not visible_sessions(scope).exists()


def test_participant_home_shows_own_participation(client, org):
    user = make_user("p@example.org", "S000058")
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    leader = Person.objects.get(index_number="S000045").name
    assert leader in page  # the session they attended
    assert "E00" not in page  # no entity table


def test_manager_home_lists_direct_reports_and_state(client, nala):
    client.force_login(nala)
    page = client.get(reverse("home")).content.decode()
    for name in names_of("S000005", "S000013"):
        assert name in page
    assert "state-complete" in page  # all 9 reports reached in the sample


def test_only_the_organization_administrator_may_import_the_organization(client, fiona, eve):
    olga = make_user("olga@example.org", None, (Role.ORG_ADMIN, None))
    for user in (fiona, eve):
        client.force_login(user)
        assert client.get(reverse("org:upload")).status_code == 404
    client.force_login(olga)
    response = client.get(reverse("org:upload"))
    assert response.status_code == 200 and "Import the organization" in response.content.decode()


def test_only_focal_points_may_import_attendance(client, nala, fiona):
    client.force_login(nala)
    assert client.get(reverse("dialogues:attendance_upload")).status_code == 404
    client.force_login(fiona)
    assert client.get(reverse("dialogues:attendance_upload")).status_code == 200


def test_anonymous_visitor_is_sent_to_login(client, org):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_person_who_left_loses_their_roles(nala):
    Person.objects.filter(index_number="S000003").update(active=False)
    nala.refresh_from_db()
    scope = scope_for(nala)
    assert scope.person is None and not scope.is_manager
    assert not visible_sessions(scope).exists()


def test_login_speaks_the_persons_language_from_the_organization_file(client, org):
    make_user("amina@example.org", "S000004")  # language "ar" in the sample
    response = client.post(reverse("login"), {"username": "amina@example.org", "password": PASSWORD}, follow=True)
    assert response.context["LANGUAGE_CODE"] == "ar"
    assert 'dir="rtl"' in response.content.decode()


def test_login_links_the_account_to_the_person_with_the_same_email(client, org):
    person = Person.objects.get(index_number="S000003")
    user = User.objects.create_user(person.email.upper(), PASSWORD)
    client.post(reverse("login"), {"username": person.email.upper(), "password": PASSWORD})
    user.refresh_from_db()
    assert user.person == person
    assert scope_for(user).is_manager


def test_monitor_sees_the_session_to_record_but_not_its_sign_in_sheet(client, org):
    monitor = make_user("m@example.org", "S000058")
    Session.objects.filter(ref="R7").update(monitor=monitor.person)
    client.force_login(monitor)
    r7 = session("R7")
    page = client.get(reverse("dialogues:session_detail", args=[r7.pk])).content.decode()
    assert reverse("dialogues:attendance_monitor", args=[r7.pk]) in page
    assert client.get(reverse("dialogues:sheet", args=[r7.pk])).status_code == 404
    assert client.get(reverse("dialogues:session_detail", args=[session("R8").pk])).status_code == 404
