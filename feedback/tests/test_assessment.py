"""The anonymous facilitator assessment (Appendix F): one token per attendee, used once, an
answer that no table ties to a person, and thresholds on what leaders and entities see.
The named test people (cascade/testing.py) and Lena's session D1 (conftest.py); attendees and
answers from assessments.py."""

import datetime
import hashlib
import json
import secrets
import uuid

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session as WebSession
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cascade.testing import PASSWORD, login
from core.models import AuditEntry
from dialogues.models import Session
from feedback.anonymity import assessment_submit, assessment_token_issue
from feedback.checks import check_anonymity_thresholds
from feedback.models import AssessmentToken, FacilitatorAssessment, TokenIssue
from org.models import Person, Unit

from .assessments import METHODS, answer, answers, assess_url, attendee, ratings
from .test_questions import main_of

# --- tokens ---------------------------------------------------------------------------------


def test_an_attendee_gets_one_token_and_a_reload_gets_none(people, d1):
    adam = people.reports[0].person
    token = assessment_token_issue(session=d1, person=adam)
    assert len(token) >= 43
    assert assessment_token_issue(session=d1, person=adam) is None
    assert TokenIssue.objects.filter(session=d1, person=adam).count() == 1
    stored = AssessmentToken.objects.get()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(AssessmentToken.objects.values_list("id", "token_hash")), default=str)


def test_the_token_table_has_no_person_no_time_and_a_random_key():
    columns = {f.name: f for f in AssessmentToken._meta.concrete_fields}
    assert set(columns) == {"id", "session", "token_hash"}
    assert isinstance(columns["id"], models.UUIDField)
    assert {f.name for f in TokenIssue._meta.concrete_fields} == {"id", "session", "person"}


def test_someone_who_did_not_attend_gets_no_token(client, people, d1):
    with pytest.raises(ValidationError):
        assessment_token_issue(session=d1, person=people.peer.person)
    login(client, people.peer)
    assert client.post(reverse("feedback:assess_issue", args=[d1.pk])).status_code == 404
    assert not TokenIssue.objects.exists()


@pytest.mark.parametrize("method", METHODS)
def test_an_attendee_however_recorded_assesses_from_their_sessions_page(client, d1, method):
    person = attendee(d1, name="Rita Recorded", method=method)
    rita = User.objects.create_user("rita@example.org", PASSWORD, person=person)
    client.force_login(rita)
    page = client.get(reverse("feedback:my_sessions")).content.decode()
    assert "Assess the facilitator" in page and "Lena Leader" in page
    response = client.post(reverse("feedback:assess_issue", args=[d1.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/feedback/assess/")
    form = client.get(response["Location"])
    assert form.status_code == 200 and "Lena Leader" in form.content.decode()
    page = main_of(client.get(reverse("feedback:my_sessions")).content.decode())
    # Not sent yet: this device may go back to the form (test_assessment_resume.py).
    assert "Continue your assessment" in page and "Assess the facilitator</button>" not in page


def test_a_second_click_does_not_issue_a_second_token(client, d1):
    person = attendee(d1)
    user = User.objects.create_user("twice@example.org", PASSWORD, person=person)
    client.force_login(user)
    url = reverse("feedback:assess_issue", args=[d1.pk])
    assert client.post(url)["Location"].startswith("/feedback/assess/")
    client.cookies.clear()  # another device: it does not hold the token
    client.force_login(user)
    again = client.post(url, follow=True)
    assert again.redirect_chain[-1][0] == reverse("feedback:my_sessions")
    assert "You already received your assessment link for this session" in again.content.decode()
    assert AssessmentToken.objects.count() == 1 and TokenIssue.objects.count() == 1


def test_a_token_works_once(client, people, d1):
    token = assessment_token_issue(session=d1, person=people.reports[0].person)
    first = client.post(assess_url(token), ratings(overall=5, comment="Clear and kind."))
    assert first.status_code == 302 and first["Location"] == reverse("feedback:assess_thanks")
    assert not AssessmentToken.objects.exists()
    saved = FacilitatorAssessment.objects.get()
    assert (saved.session, saved.overall, saved.comment, saved.day) == (d1, 5, "Clear and kind.", timezone.localdate())
    second = client.post(assess_url(token), ratings(overall=1))
    assert second.status_code == 404
    assert "This assessment link is not valid or has already been used." in second.content.decode()
    assert FacilitatorAssessment.objects.count() == 1
    with pytest.raises(ValidationError):
        assessment_submit(token=token, data=ratings())


def test_a_random_outsider_token_is_rejected(client, people, d1):
    assessment_token_issue(session=d1, person=people.reports[0].person)
    outsider = secrets.token_urlsafe(32)
    assert client.get(assess_url(outsider)).status_code == 404
    response = client.post(assess_url(outsider), ratings())
    assert response.status_code == 404 and "not valid" in response.content.decode()
    assert not FacilitatorAssessment.objects.exists() and AssessmentToken.objects.count() == 1


def test_the_form_needs_no_login_and_leaks_no_referrer(client, people, d1):
    token = assessment_token_issue(session=d1, person=people.reports[0].person)
    response = client.get(assess_url(token))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin" and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "<legend" in page and 'type="radio"' in page and 'for="id_comment"' in page


def test_a_missing_rating_is_reported_and_the_token_kept(client, people, d1):
    token = assessment_token_issue(session=d1, person=people.reports[0].person)
    data = ratings()
    del data["safety"]
    response = client.post(assess_url(token), data)
    assert response.status_code == 400
    assert "Rate how safe people felt to speak from 1 to 5." in response.content.decode()
    assert AssessmentToken.objects.count() == 1 and not FacilitatorAssessment.objects.exists()


# --- anonymity in the database ------------------------------------------------------------------


def test_an_answer_holds_the_session_the_answers_and_the_day_only():
    fields = {f.name: f for f in FacilitatorAssessment._meta.concrete_fields}
    assert set(fields) == {"id", "session", "preparation", "inclusion", "safety", "time_use", "overall", "comment", "topic_suggestion", "day"}
    assert isinstance(fields["id"], models.UUIDField)
    assert type(fields["day"]) is models.DateField
    assert [f.name for f in fields.values() if f.is_relation] == ["session"]


def _typed(value):
    # (type, value), so that True and 1, or "3" and 3, do not count as the same value.
    return (type(value).__name__, str(value))


def _rows():
    """Every row of every table (many-to-many tables included) as (model, {column: value}).
    Web sessions are decoded, since their data is stored encoded."""
    for model in apps.get_models(include_auto_created=True):
        columns = [f.attname for f in model._meta.concrete_fields]
        for values in model.objects.values_list(*columns):
            row = dict(zip(columns, values, strict=True))
            if model is WebSession:
                row["session_data"] = SessionStore().decode(row["session_data"])
            yield model, row


def test_no_table_ties_an_attendee_to_their_answer(client, d1):
    """Six attendees, recorded in four ways, each answer with their own overall rating, comment
    and topic. Every column of every row of every table is then compared with the answers."""
    session, day = d1, timezone.localdate()
    attendees = []
    for i in range(6):
        person = attendee(session, name=f"Witness {i}", method=METHODS[i % 4])
        user = User.objects.create_user(f"witness{i}@example.org", PASSWORD, person=person)
        attendees.append((person, user, i % 5 + 1, f"comment-{uuid.uuid4().hex}", f"topic-{uuid.uuid4().hex}"))
    for _person, user, overall, comment, topic in attendees:
        client.force_login(user)
        location = client.post(reverse("feedback:assess_issue", args=[session.pk]))["Location"]
        assert client.post(location, ratings(overall=overall, comment=comment, topic_suggestion=topic)).status_code == 302
        client.logout()
    answers = list(FacilitatorAssessment.objects.all())
    assert sorted((a.overall, a.comment) for a in answers) == sorted((o, c) for _p, _u, o, c, _t in attendees)

    allowed = {_typed(session.pk), _typed(day)}
    own = {a.pk: {_typed(a.pk), _typed(a.session_id), _typed(a.comment), _typed(a.topic_suggestion), _typed(a.day)} for a in answers}
    secrets_of_answers = [s for a in answers for s in (str(a.pk), a.pk.hex, a.comment, a.topic_suggestion)]
    person_keys = {p.pk: i for i, (p, *_rest) in enumerate(attendees)}
    user_keys = {u.pk: i for i, (_p, u, *_rest) in enumerate(attendees)}
    checked = 0
    for model, row in _rows():
        if model is FacilitatorAssessment:
            continue
        checked += 1
        text = json.dumps(row, default=str)
        # 1. Nothing that belongs to one answer (its key, its texts) is stored anywhere else.
        assert not [s for s in secrets_of_answers if s in text], (model, row)
        # 2. No row shares a value with an answer beyond the session and the day.
        values = {_typed(v) for v in row.values()}
        for answer_values in own.values():
            assert values & answer_values <= allowed, (model, row)
        # 3. A row about an attendee holds none of their answers' values, not even the rating.
        linked = {person_keys.get(row[f.attname]) for f in model._meta.concrete_fields if f.is_relation and f.related_model is Person}
        linked |= {user_keys.get(row[f.attname]) for f in model._meta.concrete_fields if f.is_relation and f.related_model is User}
        plain = {_typed(row[f.attname]) for f in model._meta.concrete_fields if not f.is_relation and not f.primary_key}
        for index in linked - {None}:
            _p, _u, overall, comment, topic = attendees[index]
            assert not plain & {_typed(overall), _typed(comment), _typed(topic)}, (model, row)
    assert checked > 20
    # The audit trail says nothing of who assessed: no entry for tokens or answers.
    assert not AuditEntry.objects.filter(action__startswith="assessment").exists()
    assert TokenIssue.objects.filter(session=session).count() == 6 and not AssessmentToken.objects.exists()


def test_each_write_rewrites_the_sessions_rows_with_new_keys(people, d1):
    session = d1
    answer(session, overall=3)
    first_key = FacilitatorAssessment.objects.get().pk
    answer(session, overall=4)
    assert first_key not in set(FacilitatorAssessment.objects.values_list("pk", flat=True))
    assert sorted(FacilitatorAssessment.objects.values_list("overall", flat=True)) == [3, 4]
    assessment_token_issue(session=session, person=people.reports[0].person)
    before = set(AssessmentToken.objects.values_list("pk", flat=True))
    assessment_token_issue(session=session, person=people.reports[1].person)
    assert not before & set(AssessmentToken.objects.values_list("pk", flat=True))
    assert AssessmentToken.objects.count() == 2


# --- what the leader sees ---------------------------------------------------------------------


def test_the_leader_sees_results_appear_after_5_responses_with_3(client, people, d1):
    answers(d1, 3, overall=5)
    login(client, people.leader)
    page = main_of(client.get(reverse("feedback:my_assessments")).content.decode())
    assert "Results appear after 5 responses" in page
    assert "4.0" not in page and "5.0" not in page


def test_the_leader_sees_the_averages_with_5(client, people, d1):
    answers(d1, 4, overall=5)
    answer(d1, overall=3)
    login(client, people.leader)
    page = main_of(client.get(reverse("feedback:my_assessments")).content.decode())
    assert "Results appear after 5 responses" not in page
    assert "<td>4.6</td>" in page  # overall: (4 × 5 + 3) / 5
    assert "<td>3.0</td>" in page  # inclusion


def test_the_leader_sees_sessions_below_the_threshold_pooled(client, people, d1):
    second = Session.objects.create(cycle=d1.cycle, leader=people.leader.person, ref="D2", date=d1.date)
    answers(d1, 3, overall=5)
    answers(second, 2, overall=2)
    login(client, people.leader)
    page = main_of(client.get(reverse("feedback:my_assessments")).content.decode())
    assert "Your sessions with fewer answers, together" in page
    assert "<td>3.8</td>" in page  # (3 × 5 + 2 × 2) / 5


def test_a_pool_of_one_session_beside_a_shown_one_stays_hidden(people, d1):
    from accounts.scope import scope_for
    from feedback.results import leader_assessment_results

    second = Session.objects.create(cycle=d1.cycle, leader=people.leader.person, ref="D2", date=d1.date)
    answers(d1, 6)
    answers(second, 3)
    results = leader_assessment_results(d1.cycle, scope_for(people.leader.user))
    assert [cell.hidden for _s, cell in results.sessions] == [False, True]
    assert results.pool.hidden  # else the total minus D1 would give D2


def test_comments_are_hidden_below_10(client, people, d1):
    answers(d1, 9, comment="Kept us on time.")
    login(client, people.leader)
    page = main_of(client.get(reverse("feedback:my_assessments")).content.decode())
    assert "Kept us on time." not in page and "Comments appear after 10 responses." in page
    answer(d1, comment="Listened well.", topic_suggestion="Working with AI")
    page = main_of(client.get(reverse("feedback:my_assessments")).content.decode())
    assert "Kept us on time." in page and "Listened well." in page and "Working with AI" in page


def test_thresholds_come_from_settings(client, people, d1, settings):
    settings.CASCADE_MIN_RESPONSES = 3
    answers(d1, 3, overall=2)
    login(client, people.leader)
    page = main_of(client.get(reverse("feedback:my_assessments")).content.decode())
    assert "Results appear after" not in page and "<td>2.0</td>" in page


def test_another_manager_sees_nothing_of_lenas_assessments(client, people, d1):
    answers(d1, 5, overall=1)
    login(client, people.peer)
    page = main_of(client.get(reverse("feedback:my_assessments")).content.decode())
    assert "<td>1.0</td>" not in page and "You have not led a session this cycle." in page


# --- entity tables and suppression -------------------------------------------------------------


def test_the_entity_table_suppresses_the_complementary_unit(client, people, d1):
    # Section B (Lena's unit): 2 answers; Division A (Otto's): 6; a third unit: 9.
    third = Unit.objects.create(entity=people.e1, path="Division C")
    carla = Person.objects.create(index_number="P050", name="Carla Chief", email="p050@example.org", entity=people.e1, unit=third)
    otto_session = Session.objects.create(cycle=d1.cycle, leader=people.peer.person, ref="O1", date=d1.date)
    carla_session = Session.objects.create(cycle=d1.cycle, leader=carla, ref="C1", date=d1.date)
    answers(d1, 2, overall=1)
    answers(otto_session, 6, overall=3)
    answers(carla_session, 9, overall=5)
    for who in ("focal", "ethics"):
        login(client, getattr(people, who))
        page = main_of(client.get(reverse("feedback:entity_assessments", args=["E1"])).content.decode())
        rows = {row.split("</th>")[0].rsplit(">", 1)[-1]: row for row in page.split('<th scope="row">')[1:]}
        assert "Results appear after 5 responses" in rows["Division A &gt; Section B"]
        assert "Hidden so that a smaller group cannot be worked out" in rows["Division A"]  # the next smallest
        assert "<td>9</td>" in rows["Division C"] and "<td>5.0</td>" in rows["Division C"]
        assert "<td>17</td>" in rows["E1"] and "<td>3.8</td>" in rows["E1"]  # the total: (2 + 18 + 45) / 17
    login(client, people.outsider)
    assert client.get(reverse("feedback:entity_assessments", args=["E1"])).status_code == 404


# --- the system check -------------------------------------------------------------------------


def test_the_system_check_refuses_thresholds_below_3(db, settings):
    assert check_anonymity_thresholds() == []
    settings.CASCADE_MIN_RESPONSES = 2
    settings.CASCADE_MIN_COMMENTS = 1
    assert [e.id for e in check_anonymity_thresholds()] == ["feedback.E001", "feedback.E002"]
    with pytest.raises(Exception, match="CASCADE_MIN_RESPONSES"):
        call_command("check")


def test_the_day_is_a_date_without_a_time(d1):
    answer(d1)
    assert FacilitatorAssessment.objects.get().day == timezone.localdate()
    assert isinstance(FacilitatorAssessment.objects.values_list("day", flat=True)[0], datetime.date)
