"""The Ethics Office's list of role grants suspended because their holder left, to reinstate,
remove or give to someone else.

Personas: eve (Ethics Office, not in the file); fiona, focal point of HQ (person A2), who left;
hank, head of HQ by grant (person A4), who left; bob (person A3), who stays; olga, the
organization administrator.
"""

import pytest
from django.urls import reverse

from accounts.models import Role, RoleGrant
from accounts.scope import scope_for
from cascade.testing import make_user
from core.models import AuditEntry
from org.models import Entity, Person
from org.services import people_deactivate, people_reactivate


@pytest.fixture
def people(db):
    hq = Entity.objects.create(code="HQ", name="Headquarters")
    Person.objects.create(index_number="A1", name="Ana Top", email="ana@example.org", entity=hq)
    for index, name in (("A2", "Fiona Focal"), ("A3", "Bob Stays"), ("A4", "Hank Head")):
        Person.objects.create(index_number=index, name=name, email=f"{name.split()[0].lower()}@example.org", entity=hq, manager_id="A1")


@pytest.fixture
def eve(people):
    return make_user("eve@example.org", None, (Role.ETHICS_OFFICE, None))


@pytest.fixture
def olga(people):
    return make_user("olga@example.org", None, (Role.ORG_ADMIN, None))


@pytest.fixture
def bob(people):
    return make_user("bob@example.org", "A3")


@pytest.fixture
def fiona(people):
    """Focal point of HQ, who left."""
    user = make_user("fiona@example.org", "A2", (Role.FOCAL_POINT, "HQ"))
    people_deactivate(person_ids=[user.person_id], actor=None, source="test")
    return user


@pytest.fixture
def hank(people):
    """Head of HQ by grant, who left."""
    user = make_user("hank@example.org", "A4", (Role.HEAD_OF_ENTITY, "HQ"))
    people_deactivate(person_ids=[user.person_id], actor=None, source="test")
    return user


def grant_of(user) -> RoleGrant:
    return RoleGrant.objects.get(user=user)


def act(client, grant, action, **data):
    return client.post(reverse("suspended_grant_action", args=[grant.pk]), {"action": action, **data}, follow=True)


def test_ethics_office_lists_suspended_grants(client, eve, fiona, hank, bob):
    client.force_login(eve)
    response = client.get(reverse("suspended_grants"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "fiona@example.org" in page and "hank@example.org" in page
    assert "Focal point" in page and "Head of entity" in page and "HQ" in page
    assert "bob@example.org" not in page  # nothing of his is suspended
    for name in Person.objects.values_list("name", flat=True):
        assert name not in page  # accounts and roles, not people's names


def test_ethics_office_home_links_the_suspended_grants(client, eve, fiona):
    client.force_login(eve)
    page = client.get(reverse("home")).content.decode()
    assert reverse("suspended_grants") in page and "1 role grant to reassign" in page


@pytest.mark.parametrize("who", ["bob", "olga", "fiona_back"])
def test_only_the_ethics_office_sees_suspended_grants(client, request, fiona, who):
    if who == "fiona_back":
        people_reactivate(person_ids=[fiona.person_id], actor=None, source="test")
        fiona.refresh_from_db()  # reopened, with the session generation of her closing
        user = fiona
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("suspended_grants")).status_code == 404
    assert client.post(reverse("suspended_grant_action", args=[grant_of(fiona).pk]), {"action": "reinstate"}).status_code == 404
    assert grant_of(fiona).suspended_at is not None


def test_reinstating_a_grant_of_someone_back_gives_the_role_again(client, eve, fiona):
    people_reactivate(person_ids=[fiona.person_id], actor=None, source="test")
    client.force_login(eve)
    page = act(client, grant_of(fiona), "reinstate").content.decode()
    assert "The role is given back to fiona@example.org." in page
    assert grant_of(fiona).suspended_at is None
    assert scope_for(type(fiona).objects.get(pk=fiona.pk)).focal_entity_ids == {Entity.objects.get(code="HQ").pk}
    entry = AuditEntry.objects.get(action="grant.reinstate")
    assert entry.actor == eve and entry.target == "focal_point/HQ" and entry.detail == {"user": "fiona@example.org"}


def test_a_grant_of_a_closed_account_cannot_be_reinstated(client, eve, fiona):
    client.force_login(eve)
    page = act(client, grant_of(fiona), "reinstate").content.decode()
    assert "The account fiona@example.org is closed" in page
    assert grant_of(fiona).suspended_at is not None
    assert not AuditEntry.objects.filter(action="grant.reinstate").exists()


def test_the_role_is_given_to_another_user_by_email(client, eve, fiona, bob):
    client.force_login(eve)
    old = grant_of(fiona)
    page = act(client, old, "reassign", email="BOB@example.org").content.decode()
    assert "Focal point (HQ) is now held by bob@example.org." in page
    assert not RoleGrant.objects.filter(pk=old.pk).exists()
    assert grant_of(bob).role == Role.FOCAL_POINT and grant_of(bob).suspended_at is None
    assert scope_for(bob).focal_entity_ids == {Entity.objects.get(code="HQ").pk}
    entry = AuditEntry.objects.get(action="grant.reassign")
    assert entry.actor == eve and entry.detail == {"user": "fiona@example.org", "to": "bob@example.org"}


def test_the_role_is_not_given_to_an_unknown_email(client, eve, fiona):
    client.force_login(eve)
    page = act(client, grant_of(fiona), "reassign", email="nobody@example.org").content.decode()
    assert "No open account uses the e-mail address nobody@example.org." in page
    assert RoleGrant.objects.count() == 2  # eve's and fiona's suspended one
    assert not AuditEntry.objects.filter(action="grant.reassign").exists()


@pytest.mark.parametrize("target", ["eve", "olga"])
def test_the_ethics_office_cannot_give_an_entity_role_to_itself_or_the_org_admin(client, request, eve, fiona, target):
    """Names of an entity are not for the Ethics Office, nor for the organization administrator."""
    user = request.getfixturevalue(target)
    client.force_login(eve)
    page = act(client, grant_of(fiona), "reassign", email=user.email).content.decode()
    assert f"{user.email} may not hold an entity’s role" in page
    assert list(RoleGrant.objects.filter(role=Role.FOCAL_POINT).values_list("user__email", flat=True)) == ["fiona@example.org"]


def test_a_suspended_grant_is_removed(client, eve, fiona):
    client.force_login(eve)
    old = grant_of(fiona)
    page = act(client, old, "remove").content.decode()
    assert "The role is removed from fiona@example.org." in page
    assert not RoleGrant.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.get(action="grant.remove").target == "focal_point/HQ"


def test_a_grant_in_force_is_not_handled_here(client, eve, bob):
    grant = RoleGrant.objects.create(user=bob, role=Role.FOCAL_POINT, entity=Entity.objects.get(code="HQ"))
    client.force_login(eve)
    assert client.post(reverse("suspended_grant_action", args=[grant.pk]), {"action": "remove"}).status_code == 404
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
