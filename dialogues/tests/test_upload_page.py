"""A focal point imports sign-in sheets for their own entity only, after a preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role, RoleGrant, User
from dialogues.models import Attendance, Session
from org.models import Entity, Person

HEADER = "session_ref,date,leader_index_number,participant_index_number,participant_name,mode\n"


@pytest.fixture
def fiona(db, formats_dir):
    call_command("import_org", str(formats_dir / "sample-org.csv"))
    call_command("open_cycle", year=2026, topic="Speaking up", opens="2026-09-01", deadline="2026-12-31")
    user = User.objects.create_user("fiona@example.org", "a-long-test-password", person=Person.objects.get(index_number="S000010"))
    RoleGrant.objects.create(user=user, role=Role.FOCAL_POINT, entity=Entity.objects.get(code="E00"))
    return user


def upload(client, text):
    return client.post(reverse("dialogues:attendance_upload"), {"cycle": "2026", "file": SimpleUploadedFile("sheet.csv", text.encode())})


def test_focal_point_previews_then_confirms_own_entity_sheet(client, fiona):
    client.force_login(fiona)
    sheet = HEADER + "P1,2026-10-02,S000003,S000005,,in_person\nP1,2026-10-02,S000003,,Guest Speaker,in_person\n"
    response = upload(client, sheet)
    assert "Confirm and import" in response.content.decode()
    assert not Session.objects.exists()
    response = client.post(reverse("dialogues:attendance_upload"), {"staged": response.context["staged"]})
    assert response.status_code == 302
    session = Session.objects.get(ref="P1")
    assert session.leader.index_number == "S000003" and session.cycle.year == 2026
    assert list(Attendance.objects.values_list("person__index_number", flat=True)) == ["S000005"]
    assert list(session.unmatched.values_list("name", flat=True)) == ["Guest Speaker"]


def test_focal_point_cannot_import_a_session_of_another_entity(client, fiona):
    client.force_login(fiona)
    sheet = HEADER + "P2,2026-10-02,S000040,S000045,,video\n"  # S000040 leads in E01
    page = upload(client, sheet).content.decode()
    assert "S000040 is not an active person of your entity" in page  # as for an index number nobody has
    assert not Session.objects.exists()


def test_date_outside_the_cycle_is_shown_with_its_row(client, fiona):
    client.force_login(fiona)
    page = upload(client, HEADER + "P3,2027-01-05,S000003,S000005,,\n").content.decode()
    assert "2027-01-05 is outside the cycle" in page
    assert not Session.objects.exists()
