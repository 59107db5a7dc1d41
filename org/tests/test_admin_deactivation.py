"""The Django admin ends a person's access the way the import does: through `people_deactivate`.

Personas: ada, a superuser; fiona, focal point of HQ (person A2); ben, a participant (A3).
"""

import pytest
from django.urls import reverse

from accounts.models import Role, RoleGrant, User
from cascade.testing import PASSWORD, make_user
from core.models import AuditEntry
from org.models import Entity, Person


@pytest.fixture
def people(db):
    hq = Entity.objects.create(code="HQ", name="Headquarters")
    Person.objects.create(index_number="A1", name="Ana Top", email="ana@example.org", entity=hq)
    Person.objects.create(index_number="A2", name="Fiona Focal", email="fiona@example.org", entity=hq, manager_id="A1")
    Person.objects.create(index_number="A3", name="Ben Low", email="ben@example.org", entity=hq, manager_id="A1")


@pytest.fixture
def ada(people):
    return User.objects.create_superuser("ada@example.org", PASSWORD)


@pytest.fixture
def fiona(people):
    return make_user("fiona@example.org", "A2", (Role.FOCAL_POINT, "HQ"))


@pytest.fixture
def ben(people):
    return make_user("ben@example.org", "A3")


def change_form_data(person: Person, **changes) -> dict:
    data = {
        "index_number": person.index_number,
        "name": person.name,
        "email": person.email,
        "manager": person.manager_id or "",
        "entity": person.entity_id,
        "unit": person.unit_id or "",
        "category": person.category,
        "location_type": person.location_type,
        "duty_station": person.duty_station,
        "language": person.language,
    }
    if person.active:
        data["active"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_saving_a_person_inactive_in_the_admin_ends_their_access(client, ada, fiona):
    fiona_session = client.__class__()
    fiona_session.force_login(fiona)
    assert fiona_session.get(reverse("home")).status_code == 200
    person = Person.objects.get(index_number="A2")
    client.force_login(ada)

    response = client.post(reverse("admin:org_person_change", args=[person.pk]), change_form_data(person, active=None))

    assert response.status_code == 302
    person.refresh_from_db()
    fiona.refresh_from_db()
    assert person.active is False and fiona.is_active is False
    assert RoleGrant.objects.get(user=fiona).suspended_at is not None
    entry = AuditEntry.objects.get(action="people.deactivate")
    assert entry.actor == ada and entry.detail == {"people": 1, "accounts": 1, "grants": 1, "source": "admin"}
    response = fiona_session.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_saving_a_person_active_again_reopens_the_account_but_not_the_grant(client, ada, fiona):
    person = Person.objects.get(index_number="A2")
    client.force_login(ada)
    client.post(reverse("admin:org_person_change", args=[person.pk]), change_form_data(person, active=None))
    person.refresh_from_db()

    client.post(reverse("admin:org_person_change", args=[person.pk]), change_form_data(person, active="on"))

    fiona.refresh_from_db()
    assert fiona.is_active is True
    assert RoleGrant.objects.get(user=fiona).suspended_at is not None


def test_editing_an_active_person_leaves_their_access_alone(client, ada, fiona):
    person = Person.objects.get(index_number="A2")
    client.force_login(ada)
    response = client.post(reverse("admin:org_person_change", args=[person.pk]), change_form_data(person, name="Fiona Renamed"))
    assert response.status_code == 302
    fiona.refresh_from_db()
    assert fiona.is_active and RoleGrant.objects.get(user=fiona).suspended_at is None
    assert not AuditEntry.objects.filter(action__startswith="people.").exists()


def test_admin_action_deactivates_the_selected_people_and_their_access(client, ada, fiona, ben):
    client.force_login(ada)
    selected = list(Person.objects.filter(index_number__in=["A2", "A3"]).values_list("pk", flat=True))

    response = client.post(reverse("admin:org_person_changelist"), {"action": "deactivate_people", "_selected_action": selected}, follow=True)

    assert response.status_code == 200
    assert "2 people deactivated: 2 accounts closed, 1 role grant suspended." in response.content.decode()
    assert set(Person.objects.filter(active=False).values_list("index_number", flat=True)) == {"A2", "A3"}
    assert not User.objects.filter(pk__in=[fiona.pk, ben.pk], is_active=True).exists()
    assert RoleGrant.objects.get(user=fiona).suspended_at is not None
    assert Person.objects.get(index_number="A1").active


def test_an_account_closed_in_the_admin_loses_its_sessions_even_once_reopened(client, ada, ben):
    ben_session = client.__class__()
    ben_session.force_login(ben)
    client.force_login(ada)
    data = {"email": ben.email, "person": ben.person_id, "is_staff": "", "is_superuser": ""}
    inline = {"grants-TOTAL_FORMS": "0", "grants-INITIAL_FORMS": "0", "grants-MIN_NUM_FORMS": "0", "grants-MAX_NUM_FORMS": "1000"}
    assert client.post(reverse("admin:accounts_user_change", args=[ben.pk]), {**data, **inline}).status_code == 302  # closed
    assert client.post(reverse("admin:accounts_user_change", args=[ben.pk]), {**data, **inline, "is_active": "on"}).status_code == 302  # reopened
    ben.refresh_from_db()
    assert ben.is_active and ben.session_generation == 1
    response = ben_session.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
