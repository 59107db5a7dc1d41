"""Unanswered questions: from facilitator mode through the feedback form to the Ethics Office's
queue, the answer back to the leader by e-mail and on their page, and the published FAQ; and
the kit points suggested for a question. The named test people (cascade/testing.py) and Lena's
session D1 (conftest.py); `ezra` is a second analyst of the Ethics Office, beside Eve."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from accounts.models import Role
from cascade.testing import login, make_user
from core.models import AuditEntry
from dialogues.models import CaptureKind
from dialogues.running import session_capture_add
from feedback.models import Question, QuestionStatus
from feedback.services import leader_feedback_save, question_update
from feedback.suggest import KitPoint, rank_points

from .conftest import feedback_data

PEOPLE_OF_THE_SESSION = ["Lena Leader", "Adam Smith", "Zoë Ångström", "مريم حداد"]


@pytest.fixture
def ezra(people):
    return make_user("ezra@example.org", None, (Role.ETHICS_OFFICE, None))


def main_of(page: str) -> str:
    """The page's main content (the header holds a random CSRF token)."""
    return page[page.index('<main id="main"') : page.index("</main>")]


def send_feedback(client, people, d1, kit, **changes):
    login(client, people.leader)
    response = client.post(reverse("feedback:leader_feedback", args=[d1.pk]), feedback_data(kit, **changes))
    assert response.status_code == 302, response.context["form"].errors
    return response


def test_a_captured_question_reaches_the_queue_when_the_feedback_is_sent(client, people, d1, kit):
    session_capture_add(session=d1, kind=CaptureKind.QUESTION, text="May I accept a meal from a supplier?", actor=people.leader.user)
    login(client, people.leader)
    assert not Question.objects.exists()  # not before the leader has reviewed it
    prefilled = client.get(reverse("feedback:leader_feedback", args=[d1.pk])).context["form"].initial["unanswered_questions"]
    send_feedback(client, people, d1, kit, unanswered_questions=prefilled + "\nWho reviews declarations?")
    questions = list(Question.objects.order_by("pk"))
    assert [q.text for q in questions] == ["May I accept a meal from a supplier?", "Who reviews declarations?"]
    assert {(q.cycle, q.entity, q.session, q.status) for q in questions} == {(d1.cycle, people.e1, d1, QuestionStatus.NEW)}
    entry = AuditEntry.objects.get(action="feedback.create")
    assert sorted(entry.detail["questions_created"]) == [q.pk for q in questions]


def test_editing_the_feedback_adds_new_lines_and_drops_only_untouched_questions(client, people, d1, kit):
    send_feedback(client, people, d1, kit, unanswered_questions="First?\nSecond?\nThird?")
    second = Question.objects.get(text="Second?")
    question_update(question=second, status=QuestionStatus.IN_PROGRESS, answer="", assigned_to=people.ethics.user, actor=people.ethics.user)
    send_feedback(client, people, d1, kit, unanswered_questions="First?\nFourth?")
    assert sorted(Question.objects.values_list("text", flat=True)) == ["First?", "Fourth?", "Second?"]  # in progress: kept
    assert Question.objects.filter(text="First?").count() == 1


@pytest.mark.parametrize("who", ["leader", "focal", "head"])
def test_only_the_ethics_office_opens_the_queue_and_the_questions(client, people, d1, kit, who):
    send_feedback(client, people, d1, kit, unanswered_questions="First?")
    question = Question.objects.get()
    login(client, getattr(people, who))
    assert client.get(reverse("feedback:question_queue")).status_code == 404
    assert client.get(reverse("feedback:question_detail", args=[question.pk])).status_code == 404
    assert client.post(reverse("feedback:question_detail", args=[question.pk]), {"status": "answered", "answer": "x"}).status_code == 404
    question.refresh_from_db()
    assert question.status == QuestionStatus.NEW


def test_the_queue_shows_questions_without_any_name_and_filters_by_status_and_entity(client, people, d1, kit):
    send_feedback(client, people, d1, kit, unanswered_questions="First?\nSecond?")
    Question.objects.create(cycle=d1.cycle, entity=people.e2, text="From elsewhere?")
    question_update(question=Question.objects.get(text="Second?"), status=QuestionStatus.IN_PROGRESS, answer="", assigned_to=None, actor=people.ethics.user)
    login(client, people.ethics)
    page = client.get(reverse("feedback:question_queue")).content.decode()
    assert "First?" in page and "Second?" in page and "From elsewhere?" in page
    assert not [name for name in PEOPLE_OF_THE_SESSION if name in page]
    by_status = client.get(reverse("feedback:question_queue"), {"status": "in_progress"}).content.decode()
    assert "Second?" in by_status and "First?" not in by_status
    by_entity = client.get(reverse("feedback:question_queue"), {"entity": "E2"}).content.decode()
    assert "From elsewhere?" in by_entity and "First?" not in by_entity


def test_question_goes_from_the_queue_to_the_leaders_inbox_and_the_faq(client, people, d1, kit, smtp_inbox, django_capture_on_commit_callbacks, ezra):
    session_capture_add(session=d1, kind=CaptureKind.QUESTION, text="May I accept a meal from a supplier?", actor=people.leader.user)
    login(client, people.leader)
    prefilled = client.get(reverse("feedback:leader_feedback", args=[d1.pk])).context["form"].initial["unanswered_questions"]
    send_feedback(client, people, d1, kit, unanswered_questions=prefilled)
    question = Question.objects.get()
    detail = reverse("feedback:question_detail", args=[question.pk])

    login(client, people.ethics)
    page = client.get(detail).content.decode()
    assert "May I accept a meal from a supplier?" in page
    assert not [name for name in PEOPLE_OF_THE_SESSION if name in page]
    client.post(detail, {"assigned_to": ezra.pk, "status": "in_progress", "answer": ""})
    question.refresh_from_db()
    assert (question.assigned_to, question.status) == (ezra, QuestionStatus.IN_PROGRESS)

    client.force_login(ezra)
    answer = "A modest meal in the course of work is fine; declare anything more."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail, {"assigned_to": ezra.pk, "status": "answered", "answer": answer})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED and question.answered_at is not None and question.answer == answer

    [message] = smtp_inbox.messages  # received by the SMTP server on loopback
    assert message["To"] == people.leader.person.email
    assert message["Content-Language"] == "fr"
    with translation.override("fr"):
        french_date = date_format(d1.date, "DATE_FORMAT")  # Django's French month names
    body = message.get_body(("plain",)).get_content()
    assert french_date in message["Subject"] and french_date in body
    assert "May I accept a meal from a supplier?" in body and answer in body

    login(client, people.leader)
    mine = client.get(reverse("feedback:my_questions")).content.decode()
    assert "May I accept a meal from a supplier?" in mine and answer in mine

    login(client, people.ethics)
    assert "No question has been published yet." in client.get(reverse("feedback:faq")).content.decode()
    client.post(detail, {"assigned_to": ezra.pk, "status": "published", "answer": answer})
    question.refresh_from_db()
    assert question.status == QuestionStatus.PUBLISHED and question.published_at is not None
    assert len(smtp_inbox.messages) == 1  # publishing does not send the answer again

    login(client, people.peer)  # any logged-in user
    faq = main_of(client.get(reverse("feedback:faq")).content.decode())
    assert "May I accept a meal from a supplier?" in faq and answer in faq
    for hidden in [*PEOPLE_OF_THE_SESSION, "E1", "Office One", ">D1<", "Section B"]:
        assert hidden not in faq
    actions = list(AuditEntry.objects.filter(target=f"question:{question.pk}").order_by("at", "pk").values_list("action", "actor__email", "detail"))
    assert [(a, who) for a, who, _d in actions] == [
        ("question.update", "eve@example.org"),
        ("question.update", "ezra@example.org"),
        ("question.update", "eve@example.org"),
    ]
    assert actions[1][2]["status"] == ["in_progress", "answered"]


def test_the_answer_leaves_only_once_the_change_is_saved(people, d1, kit, smtp_inbox, django_capture_on_commit_callbacks):
    leader_feedback_save(session=d1, data=feedback_data(kit, scenarios_used=[], unanswered_questions="First?"), actor=people.leader.user)
    question = Question.objects.get()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        question_update(question=question, status=QuestionStatus.ANSWERED, answer="Yes.", assigned_to=None, actor=people.ethics.user)
    assert smtp_inbox.messages == [] and len(callbacks) == 1


def test_an_answered_question_needs_an_answer(client, people, d1, kit):
    send_feedback(client, people, d1, kit, unanswered_questions="First?")
    question = Question.objects.get()
    login(client, people.ethics)
    response = client.post(reverse("feedback:question_detail", args=[question.pk]), {"status": "published", "answer": "  "})
    assert response.status_code == 400
    assert "Write the answer before marking the question answered or published." in response.content.decode()
    question.refresh_from_db()
    assert question.status == QuestionStatus.NEW and question.published_at is None


def test_a_question_is_assigned_only_to_the_ethics_office(client, people, d1, kit):
    send_feedback(client, people, d1, kit, unanswered_questions="First?")
    question = Question.objects.get()
    login(client, people.ethics)
    response = client.post(reverse("feedback:question_detail", args=[question.pk]), {"assigned_to": people.focal.user.pk, "status": "in_progress", "answer": ""})
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.assigned_to is None


def test_the_faq_needs_a_login(client, d1):
    response = client.get(reverse("feedback:faq"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- suggestions ---------------------------------------------------------------------


def test_suggestion_ranks_the_related_point_first_in_english():
    points = [
        KitPoint("important_point", "Report misconduct through the confidential channel; retaliation is prohibited."),
        KitPoint("key_message", "Personal posts on social media can reflect on the organization."),
        KitPoint("important_point", "Gifts from suppliers must be refused or declared when above a nominal value."),
        KitPoint("reference", "Staff rule 1.2: outside activities"),
    ]
    suggestions = rank_points("Can I accept a gift from a supplier who has a contract with us?", points)
    assert suggestions[0].point == points[2]
    assert len(suggestions) <= 5 and all(0 < s.score <= 1 for s in suggestions)
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)


def test_suggestion_ranks_the_related_point_first_in_arabic_and_chinese():
    arabic = [
        KitPoint("important_point", "الإبلاغ عن سوء السلوك محمي من الانتقام."),
        KitPoint("important_point", "يجب رفض الهدايا المقدمة من الموردين أو الإفصاح عنها."),
        KitPoint("key_message", "المنشورات الشخصية على وسائل التواصل الاجتماعي تعكس صورة المنظمة."),
    ]
    assert rank_points("هل يمكنني قبول هدية من أحد الموردين؟", arabic)[0].point == arabic[1]
    chinese = [
        KitPoint("important_point", "举报不当行为的人受到保护，不得报复。"),
        KitPoint("key_message", "在社交媒体上发表的个人观点也会影响本组织的形象。"),
        KitPoint("important_point", "供应商赠送的礼物必须拒绝或申报。"),
    ]
    assert rank_points("我可以接受供应商送的礼物吗？", chinese)[0].point == chinese[2]


def test_suggestion_keeps_the_top_five_and_nothing_for_an_empty_kit():
    points = [KitPoint("key_message", f"Gift rule number {i}") for i in range(8)]
    assert len(rank_points("gift", points)) == 5
    assert rank_points("gift", []) == []
    assert rank_points("   ", points) == []


def test_the_question_page_suggests_kit_points(client, people, d1, kit):
    send_feedback(client, people, d1, kit, unanswered_questions="Can I keep a gift hamper a supplier sent me?")
    login(client, people.ethics)
    response = client.get(reverse("feedback:question_detail", args=[Question.objects.get().pk]))
    suggestions = response.context["suggestions"]
    assert 1 <= len(suggestions) <= 5
    assert "supplier" in suggestions[0].point.text.lower() or "hamper" in suggestions[0].point.text.lower()
    page = response.content.decode()
    assert "Related points of the dialogue kit" in page
    # Closeness in words, never a bare similarity number.
    assert str(suggestions[0].closeness) in page and f"{suggestions[0].score:.2f}" not in page


def test_a_leader_asks_about_the_materials_before_the_session_and_gets_the_answer(client, people, d1, smtp_inbox, django_capture_on_commit_callbacks):
    login(client, people.leader)
    page = client.get(reverse("feedback:my_questions")).content.decode()
    assert "Ask about the materials before your session" in page
    client.post(reverse("feedback:my_questions"), {"text": "Does scenario 2 apply to consultants too?"})
    question = Question.objects.get()
    assert (question.kind, question.asked_by, question.session, question.entity) == ("materials", people.leader.person, None, people.e1)
    assert AuditEntry.objects.filter(action="question.ask", actor=people.leader.user).exists()

    login(client, people.ethics)
    queue = client.get(reverse("feedback:question_queue")).content.decode()
    assert "Before a session" in queue and "Does scenario 2 apply to consultants too?" in queue
    assert "Lena Leader" not in queue
    answer = "Yes: the same standards apply to everyone who works for the organization."
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("feedback:question_detail", args=[question.pk]), {"status": "answered", "answer": answer, "assigned_to": ""})
    [message] = smtp_inbox.messages
    assert message["To"] == people.leader.person.email and answer in message.get_body(("plain",)).get_content()

    login(client, people.leader)
    mine = client.get(reverse("feedback:my_questions")).content.decode()
    assert "Does scenario 2 apply to consultants too?" in mine and answer in mine


def test_an_empty_question_is_refused_and_someone_without_reports_cannot_ask(client, people, d1):
    login(client, people.leader)
    response = client.post(reverse("feedback:my_questions"), {"text": "   "})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    login(client, people.participant)  # leads nobody
    page = client.get(reverse("feedback:my_questions"))
    assert page.status_code == 200 and "<h1>Your questions to the Ethics Office</h1>" in page.content.decode()
    assert "Ask about the materials" not in page.content.decode()
    assert client.post(reverse("feedback:my_questions"), {"text": "Mine?"}).status_code == 404
    assert not Question.objects.exists()
