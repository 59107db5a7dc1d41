"""The session leader's feedback (Appendix C): prefill, validation, access, certification, and
the sessions not reported 3 days after their date. The named test people (cascade/testing.py) and
Lena's session D1 (conftest.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cascade.testing import login
from core.models import AuditEntry
from dialogues.models import Attendance, CaptureKind, Session, SessionStatus, UnmatchedParticipant
from dialogues.running import session_capture_add
from feedback import selectors
from feedback.models import LeaderFeedback
from feedback.selectors import held_sessions, sessions_not_reported
from feedback.services import leader_feedback_save

from .conftest import TODAY, feedback_data


def url(session):
    return reverse("feedback:leader_feedback", args=[session.pk])


def test_form_is_prefilled_from_the_session_and_facilitator_mode(client, people, d1, kit):
    session = d1
    session_capture_add(session=session, kind=CaptureKind.QUESTION, text="May I accept a meal\nfrom a supplier?", actor=people.leader.user)
    session_capture_add(session=session, kind=CaptureKind.QUESTION, text="Who reviews declarations?", actor=people.leader.user)
    session_capture_add(session=session, kind=CaptureKind.CONTRIBUTION, text="Ask before you accept.", actor=people.leader.user)
    login(client, people.leader)
    response = client.get(url(session))
    initial = response.context["form"].initial
    assert initial["unanswered_questions"] == "May I accept a meal from a supplier?\nWho reviews declarations?"
    assert initial["key_contributions"] == "Ask before you accept."
    assert initial["participants"] == 2 and initial["unit_personnel"] == 5  # Section B: Lena and her four active reports, not Gone
    assert sorted(initial["scenarios_used"]) == sorted([kit["gift"].pk, kit["post"].pk])
    page = response.content.decode()
    for known in ["Lena Leader", "E1 — Office One", "Division A &gt; Section B", "May I accept a meal from a supplier?", "Ask before you accept."]:
        assert known in page


def test_leader_sends_the_feedback_and_it_is_saved_with_an_audit_entry(client, people, d1, kit):
    login(client, people.leader)
    response = client.post(url(d1), feedback_data(kit))
    assert response.status_code == 302 and response["Location"] == reverse("feedback:my_reports")
    feedback = LeaderFeedback.objects.get(session=d1)
    assert (feedback.entity, feedback.unit, feedback.participants, feedback.unit_personnel) == (people.e1, people.section, 2, 4)
    assert (feedback.guide_rating, feedback.topics_rating) == (4, 5)
    assert set(feedback.scenarios_used.all()) == {kit["gift"], kit["post"]}
    assert feedback.went_well == "Everyone spoke." and feedback.recommended_topics == "Artificial intelligence at work"
    assert feedback.submitted_by == people.leader.user
    entry = AuditEntry.objects.get(action="feedback.create")
    assert entry.actor == people.leader.user and entry.target == f"session:{d1.pk}"


def test_required_fields_are_named_in_clear_messages(client, people, d1, kit):
    login(client, people.leader)
    empty = {name: "" for name in feedback_data(kit)} | {"scenarios_used": []}
    response = client.post(url(d1), empty)
    assert response.status_code == 400
    page = response.content.decode()
    for message in [
        "Give the number of participants.",
        "Give the total personnel of the unit.",
        "Rate the guide from 1 to 5.",
        "Rate the topics from 1 to 5.",
        "Tick the scenarios you discussed.",
        "Tell us what went well.",
        "There is a problem",
    ]:
        assert message in page
    assert not LeaderFeedback.objects.exists()


def test_a_rating_outside_1_to_5_is_refused(client, people, d1, kit):
    login(client, people.leader)
    response = client.post(url(d1), feedback_data(kit, guide_rating=7, topics_rating=0))
    assert response.status_code == 400
    assert response.context["form"].errors["guide_rating"] == ["Choose a rating from 1 (poor) to 5 (excellent)."]
    assert response.context["form"].errors["topics_rating"] == ["Choose a rating from 1 (poor) to 5 (excellent)."]
    assert not LeaderFeedback.objects.exists()


def test_the_service_refuses_a_rating_out_of_range(people, d1, kit):
    with pytest.raises(ValidationError):
        leader_feedback_save(session=d1, data=feedback_data(kit, guide_rating=6, scenarios_used=[]), actor=people.leader.user)
    assert not LeaderFeedback.objects.exists()


def test_ratings_are_labelled_radio_buttons_in_a_fieldset_with_a_legend(client, people, d1, kit):
    login(client, people.leader)
    page = client.get(url(d1)).content.decode()
    guide = page[page.index("<fieldset", page.index("id_participants")) :]
    guide = guide[: guide.index("</fieldset>")]
    assert "<legend>How would you rate the quality and ease of use of the leader&#x27;s guide?" in guide
    assert guide.count('type="radio"') == 5
    assert "1 — poor" in guide and "5 — excellent" in guide


@pytest.mark.parametrize("who", ["peer", "head", "focal", "ethics"])
def test_only_the_leader_may_open_or_send_the_feedback(client, people, d1, kit, who):
    login(client, getattr(people, who))
    assert client.get(url(d1)).status_code == 404
    assert client.post(url(d1), feedback_data(kit)).status_code == 404
    assert not LeaderFeedback.objects.exists()


def test_the_leader_edits_the_feedback_until_the_entity_is_certified(client, people, d1, kit, monkeypatch):
    login(client, people.leader)
    client.post(url(d1), feedback_data(kit))
    client.post(url(d1), feedback_data(kit, went_well="Everyone spoke, even the shy ones."))
    feedback = LeaderFeedback.objects.get(session=d1)
    assert feedback.went_well == "Everyone spoke, even the shy ones."
    assert AuditEntry.objects.filter(action="feedback.update", actor=people.leader.user).count() == 1

    monkeypatch.setattr(selectors, "entity_is_certified", lambda entity, cycle: True)
    page = client.get(url(d1))
    assert "can no longer change" in page.content.decode() and 'name="went_well"' not in page.content.decode()
    refused = client.post(url(d1), feedback_data(kit, went_well="Rewritten later."))
    assert refused.status_code == 409
    with pytest.raises(ValidationError, match="can no longer change"):
        leader_feedback_save(session=d1, data=feedback_data(kit, went_well="Rewritten later.", scenarios_used=[]), actor=people.leader.user)
    feedback.refresh_from_db()
    assert feedback.went_well == "Everyone spoke, even the shy ones."


def test_the_certification_hook_says_not_certified_for_now(people, d1):
    assert selectors.entity_is_certified(people.e1, d1.cycle) is False


def test_a_session_not_started_cannot_be_reported_yet(client, people, d1, kit):
    later = Session.objects.create(
        cycle=d1.cycle, leader=people.leader.person, ref="D2", date=TODAY + datetime.timedelta(days=3), starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    login(client, people.leader)
    response = client.get(url(later), follow=True)
    assert "You can report a session once it has been held." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("feedback:my_reports")


def test_held_means_signed_in_or_started_and_not_cancelled(people, d1):
    cycle, lena = d1.cycle, people.leader.person
    soon = timezone.now() + datetime.timedelta(days=2)
    future = Session.objects.create(cycle=cycle, leader=lena, ref="F", date=soon.date(), starts_at=soon)
    signed = Session.objects.create(cycle=cycle, leader=lena, ref="S", date=soon.date(), starts_at=soon)
    Attendance.objects.create(session=signed, person=people.reports[0].person)
    guest = Session.objects.create(cycle=cycle, leader=lena, ref="G", date=soon.date(), starts_at=soon)
    UnmatchedParticipant.objects.create(session=guest, name="A consultant")
    Session.objects.create(cycle=cycle, leader=lena, ref="T", date=TODAY, starts_at=timezone.now() - datetime.timedelta(minutes=5))
    cancelled = Session.objects.create(cycle=cycle, leader=lena, ref="C", date=TODAY - datetime.timedelta(days=1), status=SessionStatus.CANCELLED)
    held = set(held_sessions(cycle).values_list("ref", flat=True))
    assert held == {"D1", "S", "G", "T"}
    assert future.ref not in held and cancelled.ref not in held


def test_not_reported_from_3_days_after_the_date_and_not_before(people, d1, kit):
    session = d1
    day = session.date
    assert list(sessions_not_reported(d1.cycle, today=day + datetime.timedelta(days=2))) == []
    assert list(sessions_not_reported(d1.cycle, today=day + datetime.timedelta(days=3))) == [session]
    assert list(sessions_not_reported(d1.cycle, entity_ids=[people.e2.pk], today=day + datetime.timedelta(days=3))) == []
    assert list(sessions_not_reported(d1.cycle, leader=people.peer.person, today=day + datetime.timedelta(days=3))) == []
    leader_feedback_save(session=session, data=feedback_data(kit, scenarios_used=[]), actor=people.leader.user)
    assert list(sessions_not_reported(d1.cycle, today=day + datetime.timedelta(days=3))) == []


def test_the_leaders_page_lists_sessions_to_report_and_flags_those_not_reported(client, people, d1, kit):
    recent = Session.objects.create(cycle=d1.cycle, leader=people.leader.person, ref="D2", date=TODAY - datetime.timedelta(days=1))
    login(client, people.leader)
    response = client.get(reverse("feedback:my_reports"))
    rows = {session.ref: overdue for session, _due, overdue in response.context["to_report"]}
    assert rows == {"D1": True, "D2": False}
    page = response.content.decode()
    assert reverse("feedback:leader_feedback", args=[recent.pk]) in page and "Not reported" in page
    leader_feedback_save(session=d1, data=feedback_data(kit, scenarios_used=[]), actor=people.leader.user)
    response = client.get(reverse("feedback:my_reports"))
    assert [s.ref for s, _due, _o in response.context["to_report"]] == ["D2"]
    assert [s.ref for s in response.context["reported"]] == ["D1"]


def test_focal_point_sees_the_leaders_of_sessions_not_reported(client, people, d1):
    login(client, people.focal)
    page = client.get(reverse("feedback:entity_not_reported", args=["E1"])).content.decode()
    assert "Lena Leader" in page and "D1" in page and "1 session not reported" in page


def test_focal_point_gets_404_for_another_entity(client, people, d1):
    login(client, people.outsider)
    assert client.get(reverse("feedback:entity_not_reported", args=["E1"])).status_code == 404
    login(client, people.leader)
    assert client.get(reverse("feedback:entity_not_reported", args=["E1"])).status_code == 404


def test_ethics_office_sees_how_many_sessions_are_not_reported_but_no_name(client, people, d1):
    login(client, people.ethics)
    page = client.get(reverse("feedback:entity_not_reported", args=["E1"])).content.decode()
    assert "1 session not reported" in page and "Lena Leader" not in page
