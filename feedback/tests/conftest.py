"""The feedback tests' session, on the named test people (cascade/testing.py): `d1` is Lena's
(people.leader, who writes in French) session D1 in E1 (Division A > Section B), held five days
ago in this year's cycle and attended by the first two of her reports, Adam and Zoë. The other
personas: people.head (Hugo, head of E1, derived), people.peer (Otto, another manager in E1),
people.focal (Fiona, E1's focal point), people.outsider (Farid, E2's focal point), people.ethics
(Eve, the Ethics Office).
"""

import datetime

import pytest
from django.utils import timezone

from dialogues.models import Attendance, Session
from kit.models import DiscussionQuestion, Kit, Scenario
from org.models import Cycle

TODAY = timezone.localdate()


@pytest.fixture
def d1(people) -> Session:
    cycle = Cycle.objects.create(year=TODAY.year, topic="Speaking up", opens=datetime.date(TODAY.year, 1, 1), deadline=datetime.date(TODAY.year, 12, 31))
    session = Session.objects.create(cycle=cycle, leader=people.leader.person, ref="D1", date=TODAY - datetime.timedelta(days=5))
    for report in people.reports[:2]:
        Attendance.objects.create(session=session, person=report.person)
    return session


@pytest.fixture
def kit(d1):
    """Three scenarios; the first two are chosen for D1."""
    kit = Kit.objects.create(cycle=d1.cycle, published=True)
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
    d1.scenarios.set([gift, post])
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
