"""The named test people of cascade/testing.py hold the roles their docstring gives them."""

from django.urls import reverse

from accounts.scope import scope_for, visible_entities
from cascade.testing import PASSWORD, login


def test_each_persona_holds_the_scope_the_docstring_gives(people):
    scope = {name: scope_for(getattr(people, name).user) for name in ("ethics", "admin", "head", "leader", "peer", "focal", "monitor", "participant", "outsider", "left")}
    assert scope["ethics"].ethics_office and not scope["ethics"].named_entity_ids and scope["ethics"].person is None
    assert scope["admin"].org_admin and not scope["admin"].ethics_office and not scope["admin"].named_entity_ids
    assert scope["head"].head_entity_ids == {people.e1.pk} and scope["head"].is_manager and not scope["head"].focal_entity_ids
    assert scope["focal"].focal_entity_ids == {people.e1.pk} and not scope["focal"].head_entity_ids and not scope["focal"].is_manager
    assert scope["leader"].is_manager and not scope["leader"].named_entity_ids
    assert scope["peer"].is_manager and not scope["peer"].named_entity_ids
    for plain in ("monitor", "participant"):
        assert not scope[plain].is_manager and not scope[plain].named_entity_ids and not scope[plain].ethics_office
    assert scope["outsider"].named_entity_ids == {people.e2.pk} and list(visible_entities(scope["outsider"])) == [people.e2]
    assert scope["left"].person is None and not people.left.user.is_active and not people.left.person.active


def test_reports_are_the_leaders_active_direct_reports_in_index_order(people):
    assert [p.person.index_number for p in people.reports] == ["P010", "P011", "P012", "P013"]
    assert all(p.person.manager_id == people.leader.person.index_number for p in people.reports)
    assert len({p.user.pk for p in people}) == 12


def test_every_persona_but_the_one_who_left_logs_in_with_the_one_password(client, people):
    for persona in people:
        assert client.login(username=persona.email, password=PASSWORD) is persona.user.is_active, persona.email
        client.logout()
    login(client, people.leader)
    response = client.get(reverse("home"))
    assert response.status_code == 200 and '<bdi dir="ltr">Lena Leader</bdi></h1>' in response.content.decode()
