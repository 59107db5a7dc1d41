"""A focal point imports sign-in sheets for their own entity only, after a preview.

The named test people (cascade/testing.py), with cycle 2026: people.focal (Fiona) is E1's focal
point; people.leader (Lena, P002) leads Adam (P010) in E1; people.outsider (Farid, P020) is in E2.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cascade.testing import login
from dialogues.models import Attendance, Session

HEADER = "session_ref,date,leader_index_number,participant_index_number,participant_name,mode\n"


@pytest.fixture
def fiona(people):
    call_command("open_cycle", year=2026, topic="Speaking up", opens="2026-09-01", deadline="2026-12-31")
    return people.focal


def upload(client, text):
    return client.post(reverse("dialogues:attendance_upload"), {"cycle": "2026", "file": SimpleUploadedFile("sheet.csv", text.encode())})


def test_focal_point_previews_then_confirms_own_entity_sheet(client, fiona):
    login(client, fiona)
    sheet = HEADER + "P1,2026-10-02,P002,P010,,in_person\nP1,2026-10-02,P002,,Guest Speaker,in_person\n"
    response = upload(client, sheet)
    assert "Confirm and import" in response.content.decode()
    assert not Session.objects.exists()
    response = client.post(reverse("dialogues:attendance_upload"), {"staged": response.context["staged"]})
    assert response.status_code == 302
    session = Session.objects.get(ref="P1")
    assert session.leader.index_number == "P002" and session.cycle.year == 2026
    assert list(Attendance.objects.values_list("person__index_number", flat=True)) == ["P010"]
    assert list(session.unmatched.values_list("name", flat=True)) == ["Guest Speaker"]


def test_focal_point_cannot_import_a_session_of_another_entity(client, fiona):
    login(client, fiona)
    sheet = HEADER + "P2,2026-10-02,P020,,Guest Speaker,video\n"  # P020 (Farid) is in E2
    page = upload(client, sheet).content.decode()
    assert "P020 is not an active person of your entity" in page  # as for an index number nobody has
    assert not Session.objects.exists()


def test_date_outside_the_cycle_is_shown_with_its_row(client, fiona):
    login(client, fiona)
    page = upload(client, HEADER + "P3,2027-01-05,P002,P010,,\n").content.decode()
    assert "2027-01-05 is outside the cycle" in page
    assert not Session.objects.exists()
