"""Access ends when the organization says so (issue 10, item 4).

Personas on the contracts' sample organization (`sample_org` of cascade/testing.py: these tests
import the organization file again with a row less):
- fiona: focal point of E00 (she is S000010, a participant in E00, who leads nobody);
- nala: S000003, a manager in E00 (fiona's manager);
- eve: Ethics Office, not in the organization file.

The attack: an import that no longer lists fiona used to leave her account, her logged-in
session and her focal point grant working; she still read E00's names and could submit its
Appendix E.
"""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, RoleGrant, User
from accounts.scope import scope_for
from cascade.testing import PASSWORD, make_user
from core.models import AuditEntry
from core.tabular import read_table
from org.models import Cycle, Entity, Person
from org.services import org_import, people_deactivate
from oversight.certification import certification_submit
from oversight.models import Certification

NOVEMBER = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _november():
    with time_machine.travel(NOVEMBER, tick=True):
        yield


@pytest.fixture
def fiona(sample_org):
    return make_user("fiona@example.org", "S000010", (Role.FOCAL_POINT, "E00"))


@pytest.fixture
def nala(sample_org):
    return make_user("nala@example.org", "S000003")


@pytest.fixture
def eve(sample_org):
    return make_user("eve@example.org", None, (Role.ETHICS_OFFICE, None))


def org_file_without(formats_dir, tmp_path, *index_numbers) -> str:
    """The sample organization file less the rows of these people."""
    lines = (formats_dir / "sample-org.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if line.split(",", 1)[0] not in index_numbers]
    assert len(kept) == len(lines) - len(index_numbers)
    path = tmp_path / "org.csv"
    path.write_text("".join(kept), encoding="utf-8")
    return str(path)


def import_org(path, **options):
    call_command("import_org", str(path), stdout=open("/dev/null", "w"), **options)


def fresh(user) -> User:
    """The user as the next request loads it (no cached scope)."""
    return User.objects.get(pk=user.pk)


def e00_dashboard():
    return reverse("oversight:entity", args=["E00"])


def test_focal_point_removed_by_import_loses_access(client, fiona, formats_dir, tmp_path):
    client.force_login(fiona)
    before = client.get(e00_dashboard())
    assert before.status_code == 200
    assert Person.objects.get(index_number="S000003").name in before.content.decode()  # she read E00's names

    import_org(org_file_without(formats_dir, tmp_path, "S000010"))

    # Her logged-in session no longer works: the next request is anonymous.
    response = client.get(e00_dashboard())
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(reverse("oversight:certification_submit", args=["E00"]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not Certification.objects.filter(entity__code="E00", submitted_by__isnull=False).exists()
    # She cannot log in again.
    assert not client.login(username="fiona@example.org", password=PASSWORD)
    # Even her account object, as a stale request would hold it, has no focal point role left.
    with pytest.raises(PermissionDenied):
        certification_submit(actor=fresh(fiona), entity=Entity.objects.get(code="E00"), cycle=Cycle.objects.get(year=2026), confirmed=True)
    fiona.refresh_from_db()
    assert fiona.is_active is False
    grant = RoleGrant.objects.get(user=fiona)
    assert NOVEMBER <= grant.suspended_at < NOVEMBER + datetime.timedelta(minutes=5)
    entry = AuditEntry.objects.get(action="people.deactivate")
    assert entry.detail == {"people": 1, "accounts": 1, "grants": 1, "source": "org.import"}


def test_reactivated_person_does_not_regain_grants(client, fiona, formats_dir, tmp_path):
    old_session = client.__class__()
    old_session.force_login(fiona)
    import_org(org_file_without(formats_dir, tmp_path, "S000010"))

    import_org(formats_dir / "sample-org.csv")  # she is back in the file

    fiona.refresh_from_db()
    assert fiona.is_active is True
    assert RoleGrant.objects.get(user=fiona).suspended_at is not None
    assert scope_for(fresh(fiona)).focal_entity_ids == frozenset()
    assert AuditEntry.objects.get(action="people.reactivate").detail == {"people": 1, "accounts": 1, "grants_still_suspended": 1, "source": "org.import"}
    # The session she had before she left stays ended; a new login works, without the role.
    response = old_session.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.login(username="fiona@example.org", password=PASSWORD)
    home = client.get(reverse("home"))
    assert home.status_code == 200 and "Welcome, " in home.content.decode() and "王芳 O&#x27;Neil</bdi>" in home.content.decode()
    assert client.get(e00_dashboard()).status_code == 404


def test_session_generation_ends_every_session_of_the_account(client, fiona):
    client.force_login(fiona)
    request = client.get(reverse("home")).wsgi_request
    assert get_user(request).pk == fiona.pk
    User.objects.filter(pk=fiona.pk).update(session_generation=1)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_ethics_office_outside_the_file_keeps_access_after_an_import(client, eve, fiona, formats_dir, tmp_path):
    client.force_login(eve)
    import_org(org_file_without(formats_dir, tmp_path, "S000010"))
    response = client.get(reverse("oversight:entity", args=["E00"]))
    assert response.status_code == 200 and "E00" in response.content.decode()
    assert RoleGrant.objects.get(user=eve).suspended_at is None


def test_unlinked_account_of_someone_who_left_is_closed_too(sample_org, formats_dir, tmp_path):
    """An account made by hand with the person's e-mail, never linked (she never logged in)."""
    person = Person.objects.get(index_number="S000010")
    account = make_user(person.email.upper(), None, (Role.FOCAL_POINT, "E00"))
    bystander = make_user("someone.else@example.org", None, (Role.FOCAL_POINT, "E01"))
    path = org_file_without(formats_dir, tmp_path, "S000010")
    with open(path, "rb") as f:
        preview = org_import(table=read_table(f.read()), dry_run=True)
    assert (preview.accounts_closed, preview.grants_suspended) == (1, 1)

    import_org(path)

    account.refresh_from_db()
    bystander.refresh_from_db()
    assert (account.is_active, bystander.is_active) == (False, True)
    assert RoleGrant.objects.get(user=account).suspended_at is not None
    assert RoleGrant.objects.get(user=bystander).suspended_at is None


def test_a_person_made_inactive_by_other_means_holds_no_grant(fiona):
    """The scoping layer itself: grants of someone whose record is inactive give nothing."""
    Person.objects.filter(index_number="S000010").update(active=False)
    scope = scope_for(fresh(fiona))
    assert scope.focal_entity_ids == frozenset() and scope.person is None


def test_dry_run_counts_accounts_and_grants_and_changes_nothing(fiona, nala, formats_dir, tmp_path):
    path = org_file_without(formats_dir, tmp_path, "S000010")
    with open(path, "rb") as f:
        report = org_import(table=read_table(f.read()), dry_run=True)
    assert (report.deactivated, report.accounts_closed, report.grants_suspended) == (1, 1, 1)
    fiona.refresh_from_db()
    assert fiona.is_active and RoleGrant.objects.get(user=fiona).suspended_at is None
    assert not AuditEntry.objects.filter(action="people.deactivate").exists()


def test_deactivation_is_set_based(sample_org):
    """Closing the access of three people costs the queries of closing one."""
    one = list(Person.objects.filter(index_number__in=["S000020"]).values_list("pk", flat=True))
    three = list(Person.objects.filter(index_number__in=["S000021", "S000022", "S000023"]).values_list("pk", flat=True))
    for index_number in ["S000020", "S000021", "S000022", "S000023"]:
        make_user(f"{index_number}@example.org", index_number, (Role.HEAD_OF_ENTITY, "E00"))
    with CaptureQueriesContext(connection) as for_one:
        people_deactivate(person_ids=one, actor=None, source="test")
    with CaptureQueriesContext(connection) as for_three:
        change = people_deactivate(person_ids=three, actor=None, source="test")
    assert len(for_three) == len(for_one)
    assert (change.people, change.accounts, change.grants) == (3, 3, 3)
    assert not User.objects.filter(person__index_number__in=["S000021", "S000022", "S000023"], is_active=True).exists()


def test_a_suspended_focal_point_gets_no_digest_of_names(fiona, smtp_inbox):
    """The weekly digest lists managers to chase by name: not for a suspended grant, even once
    the account is open again."""
    from org.services import people_reactivate
    from oversight.reminders import send_focal_digests

    people_deactivate(person_ids=[fiona.person_id], actor=None, source="test")
    people_reactivate(person_ids=[fiona.person_id], actor=None, source="test")
    assert send_focal_digests(today=NOVEMBER.date(), now=NOVEMBER) == 0
    RoleGrant.objects.filter(user=fiona).update(suspended_at=None)  # the Ethics Office reinstates it
    assert send_focal_digests(today=NOVEMBER.date(), now=NOVEMBER) == 1
    assert [m["To"] for m in smtp_inbox.messages] == ["fiona@example.org"]
