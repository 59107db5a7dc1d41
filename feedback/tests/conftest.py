"""Personas of the feedback tests, on a small organization built here:
- lena: leads session D1 in E1 (Division A > Section B), held five days ago; writes in French;
- hugo: head of E1 (derived: no manager);
- otto: another manager in E1;
- fiona: focal point of E1; farid: focal point of E2;
- eve and ezra: Ethics Office.
`org[name]` is the persona's account; `org["lena_person"]` and `org["otto_person"]` their people.
"""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role, RoleGrant, User
from dialogues.models import Attendance, Session
from kit.models import DiscussionQuestion, Kit, Scenario
from org.models import Cycle, Entity, Person, Unit

PASSWORD = "a-long-test-password"
TODAY = timezone.localdate()


def person(index, name, entity, unit=None, manager=None, language="en"):
    return Person.objects.create(
        index_number=index, name=name, email=f"{index.lower()}@example.org", entity=entity, unit=unit, manager=manager, language=language
    )


def account(email, who=None, *grants):
    user = User.objects.create_user(email, PASSWORD, person=who)
    for role, entity in grants:
        RoleGrant.objects.create(user=user, role=role, entity=entity)
    return user


@pytest.fixture
def org(db):
    e1 = Entity.objects.create(code="E1", name="Office One")
    e2 = Entity.objects.create(code="E2", name="Office Two")
    division = Unit.objects.create(entity=e1, path="Division A")
    section = Unit.objects.create(entity=e1, path="Division A > Section B", parent=division)
    hugo = person("P001", "Hugo Head", e1, division)
    lena = person("P002", "Lena Leader", e1, section, hugo, language="fr")
    otto = person("P003", "Otto Other", e1, division, hugo)
    reports = [person(f"P01{i}", name, e1, section, lena) for i, name in enumerate(["Adam Smith", "Zoë Ångström", "مريم حداد"])]
    farid_person = person("P020", "Farid Focal", e2)
    cycle = Cycle.objects.create(year=TODAY.year, topic="Speaking up", opens=datetime.date(TODAY.year, 1, 1), deadline=datetime.date(TODAY.year, 12, 31))
    session = Session.objects.create(cycle=cycle, leader=lena, ref="D1", date=TODAY - datetime.timedelta(days=5))
    for report in reports[:2]:
        Attendance.objects.create(session=session, person=report)
    users = {
        "lena": account("p002@example.org", lena),
        "hugo": account("p001@example.org", hugo),
        "otto": account("p003@example.org", otto),
        "fiona": account("fiona@example.org", None, (Role.FOCAL_POINT, e1)),
        "farid": account("p020@example.org", farid_person, (Role.FOCAL_POINT, e2)),
        "eve": account("eve@example.org", None, (Role.ETHICS_OFFICE, None)),
        "ezra": account("ezra@example.org", None, (Role.ETHICS_OFFICE, None)),
    }
    return {"e1": e1, "e2": e2, "section": section, "lena_person": lena, "otto_person": otto, "reports": reports, "cycle": cycle, "session": session, **users}


@pytest.fixture
def kit(org):
    """Three scenarios; the first two are chosen for D1."""
    kit = Kit.objects.create(cycle=org["cycle"], published=True)
    gift = Scenario.objects.create(
        kit=kit, order=1, title="The gift", text="A supplier sends a present.", key_messages="Say no to gifts that could sway your judgement."
    )
    DiscussionQuestion.objects.create(
        scenario=gift,
        order=1,
        text="What should Ana do with the hamper?",
        important_points="Gifts from suppliers must be refused or declared when above a nominal value.\nThank the sender and explain the rule.",
        references="Staff regulation 1.2 (j)",
    )
    post = Scenario.objects.create(
        kit=kit, order=2, title="The post", text="A colleague posts about work.", key_messages="Personal posts on social media can reflect on the organization."
    )
    DiscussionQuestion.objects.create(
        scenario=post, order=1, text="Is the post a problem?", important_points="Report misconduct through the confidential channel; retaliation is prohibited."
    )
    friend = Scenario.objects.create(kit=kit, order=3, title="The friend", text="A friend applies for a post.")
    org["session"].scenarios.set([gift, post])
    return {"kit": kit, "gift": gift, "post": post, "friend": friend}


def feedback_data(kit, **changes) -> dict:
    """A complete, valid Appendix C submission."""
    data = {
        "participants": 2,
        "unit_personnel": 4,
        "guide_rating": 4,
        "scenarios_used": [kit["gift"].pk, kit["post"].pk],
        "topics_rating": 5,
        "went_well": "Everyone spoke.",
        "went_badly": "We ran out of time.",
        "unanswered_questions": "",
        "recommended_changes": "Shorter scenarios.",
        "recommended_topics": "Artificial intelligence at work",
        "key_contributions": "Declare early, not late.",
    }
    data.update(changes)
    return data
