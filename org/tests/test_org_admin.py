"""The organization administrator (issue 10, item 6): loads the organization file and sees its
people, and nothing of attendance or feedback. The Ethics Office no longer imports it.

Personas on the contracts' sample organization (`sample_org` of cascade/testing.py, cycle 2026,
sessions R1 to R10: these tests import the organization file again with a row less):
- olga: organization administrator, not in the organization file;
- eve: Ethics Office, not in the organization file.
"""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Role, RoleGrant
from accounts.scope import scope_for
from cascade.testing import make_user
from dialogues.models import Session
from org.models import Entity, Person


@pytest.fixture(autouse=True)
def _november():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture
def olga(sample_org):
    return make_user("olga@example.org", None, (Role.ORG_ADMIN, None))


@pytest.fixture
def eve(sample_org):
    return make_user("eve@example.org", None, (Role.ETHICS_OFFICE, None))


def sample_without(formats_dir, index_number) -> bytes:
    lines = (formats_dir / "sample-org.csv").read_bytes().splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith(index_number.encode() + b","))


def upload(client, data: bytes):
    return client.post(reverse("org:upload"), {"file": SimpleUploadedFile("org.csv", data)})


def test_ethics_office_cannot_import_org(client, eve, formats_dir):
    client.force_login(eve)
    home = client.get(reverse("home"))
    assert home.status_code == 200 and "All entities" in home.content.decode()
    assert reverse("org:upload") not in home.content.decode()  # no link to the import
    assert client.get(reverse("org:upload")).status_code == 404
    assert upload(client, sample_without(formats_dir, "S000058")).status_code == 404
    assert Person.objects.get(index_number="S000058").active


def test_org_admin_imports_but_sees_no_attendance_or_feedback(client, olga, formats_dir):
    client.force_login(olga)
    home = client.get(reverse("home"))
    assert home.status_code == 200 and reverse("org:upload") in home.content.decode()
    leaver = Person.objects.get(index_number="S000058")

    preview = upload(client, sample_without(formats_dir, "S000058"))
    assert preview.status_code == 200
    assert leaver.name in preview.content.decode()  # the organization file's people, by name
    confirmed = client.post(reverse("org:upload"), {"staged": preview.context["staged"]})
    assert confirmed.status_code == 302
    leaver.refresh_from_db()
    assert leaver.active is False

    r7 = Session.objects.get(ref="R7").pk
    for url in (
        reverse("oversight:ethics_office"),
        reverse("oversight:entity", args=["E00"]),
        reverse("oversight:certification", args=["E00"]),
        reverse("oversight:annual_report", args=[2026]),
        reverse("feedback:insight"),
        reverse("feedback:question_queue"),
        reverse("feedback:entity_assessments", args=["E00"]),
        reverse("feedback:entity_not_reported", args=["E00"]),
        reverse("dialogues:session_detail", args=[r7]),
        reverse("dialogues:sheet", args=[r7]),
        reverse("dialogues:attendance_upload"),
        reverse("suspended_grants"),
    ):
        assert client.get(url).status_code == 404, url
    # Her home page has no entity table: no numbers of attendance either.
    page = client.get(reverse("home")).content.decode()
    assert "Welcome" in page and "E00" not in page and "Participants" not in page


def test_org_admin_scope_holds_no_entity_and_no_ethics_office(olga):
    scope = scope_for(olga)
    assert scope.org_admin and not scope.ethics_office
    assert scope.named_entity_ids == frozenset() and scope.person is None


def test_org_admin_role_is_granted_without_entity(olga):
    entity = Entity.objects.get(code="E00")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=olga, role=Role.ORG_ADMIN, entity=entity)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=olga, role=Role.FOCAL_POINT, entity=None)


def test_preview_tells_how_many_accounts_close_and_grants_are_suspended(client, olga, formats_dir):
    leaver = make_user("leaver@example.org", "S000058", (Role.FOCAL_POINT, "E01"))
    client.force_login(olga)
    page = upload(client, sample_without(formats_dir, "S000058")).content.decode()
    assert "People who leave lose their access: 1 account closed, 1 role grant suspended" in " ".join(page.split())
    leaver.refresh_from_db()
    assert leaver.is_active and RoleGrant.objects.get(user=leaver).suspended_at is None  # a preview changes nothing
