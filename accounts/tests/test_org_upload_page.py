"""The organization administrator's upload (olga): preview first, write only on confirmation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role, RoleGrant, User
from cascade.testing import PASSWORD
from core.models import AuditEntry
from org.models import Person

HEADER = "index_number,name,email,manager_index_number,entity\n"
GOOD = HEADER + "A1,Ana Top,ana@example.org,,HQ\nA2,Ben Low,ben@example.org,A1,HQ\n"


@pytest.fixture
def olga(db):
    user = User.objects.create_user("olga@example.org", PASSWORD)
    RoleGrant.objects.create(user=user, role=Role.ORG_ADMIN)
    return user


def upload(client, text, name="org.csv"):
    return client.post(reverse("org:upload"), {"file": SimpleUploadedFile(name, text.encode())})


def test_preview_shows_counts_and_writes_nothing_until_confirmed(client, olga):
    client.force_login(olga)
    response = upload(client, GOOD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Confirm and import" in page and "Ana Top" in page
    assert not Person.objects.exists()
    staged = response.context["staged"]
    response = client.post(reverse("org:upload"), {"staged": staged})
    assert response.status_code == 302
    assert sorted(Person.objects.values_list("index_number", flat=True)) == ["A1", "A2"]
    assert AuditEntry.objects.filter(action="org.import", actor=olga).count() == 1


def test_rejected_file_lists_row_column_and_problem_and_writes_nothing(client, olga):
    client.force_login(olga)
    bad = HEADER + "A1,Ana Top,not-an-address,,HQ\nA2,Ben Low,ben@example.org,ZZ9,HQ\n"
    page = upload(client, bad).content.decode()
    assert "The file was rejected" in page
    assert "not-an-address" in page and "is not a valid e-mail address" in page
    assert "ZZ9 is not the index number of any row" in page
    assert "Confirm and import" not in page
    assert not Person.objects.exists()


def test_a_confirmation_cannot_be_replayed(client, olga):
    client.force_login(olga)
    staged = upload(client, GOOD).context["staged"]
    client.post(reverse("org:upload"), {"staged": staged})
    response = client.post(reverse("org:upload"), {"staged": staged}, follow=True)
    assert "expired" in response.content.decode()
    assert AuditEntry.objects.filter(action="org.import").count() == 1


def test_another_user_cannot_confirm_someone_elses_preview(client, olga):
    client.force_login(olga)
    staged = upload(client, GOOD).context["staged"]
    other = User.objects.create_user("oscar@example.org", PASSWORD)
    RoleGrant.objects.create(user=other, role=Role.ORG_ADMIN)
    client.force_login(other)
    client.post(reverse("org:upload"), {"staged": staged})
    assert not Person.objects.exists()


def test_unreadable_file_is_explained(client, olga):
    client.force_login(olga)
    page = upload(client, "\n\n").content.decode()
    assert "the first row must hold the column names" in page or "the file is empty" in page
