"""Facilitator mode and the sign-in sheet (Appendix A).

The named test people (cascade/testing.py):
- people.leader (Lena): leads session D1 in E1 (Division A > Section B) with her reports;
- people.head (Hugo): head of E1, derived (no manager);
- people.monitor (Mona): a report of Lena, appointed attendance monitor of D1;
- people.focal (Fiona): focal point of E1; people.outsider (Farid): focal point of E2;
- people.ethics (Eve): the Ethics Office;
- people.peer (Otto): another manager in E1.
"""

import datetime
import subprocess
import unicodedata

import pytest
from django.urls import reverse

from cascade.testing import login
from core.models import AuditEntry
from dialogues.models import Attendance, CaptureKind, Session, SessionCapture, UnmatchedParticipant
from dialogues.running import sign_in_sheet
from kit.models import AgendaItem, DiscussionQuestion, Kit, Scenario
from org.models import Cycle

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def d1(people) -> Session:
    """Lena's session D1 of 15 October 2026, Mona its attendance monitor."""
    cycle = Cycle.objects.create(year=2026, topic="Speaking up", opens=datetime.date(2026, 9, 1), deadline=datetime.date(2026, 12, 31))
    return Session.objects.create(cycle=cycle, leader=people.leader.person, ref="D1", date=datetime.date(2026, 10, 15), monitor=people.monitor.person)


@pytest.fixture
def kit(d1):
    kit = Kit.objects.create(cycle=d1.cycle, published=True)
    AgendaItem.objects.create(kit=kit, order=1, title="Introduction", minutes=10, guidance="Welcome everyone and agree the ground rules.")
    AgendaItem.objects.create(kit=kit, order=2, title="Scenario discussions", minutes=65, guidance="Read the scenario aloud, then ask.")
    scenarios = []
    for order, title in enumerate(["The gift", "The post", "The friend"], start=1):
        scenario = Scenario.objects.create(kit=kit, order=order, title=title, text=f"What happens in {title}.")
        DiscussionQuestion.objects.create(
            scenario=scenario,
            order=1,
            text=f"What should be done about {title}?",
            follow_ups=f"Who could help with {title}?",
            important_points=f"Point to remember on {title}\nSecond point on {title}",
            references="Staff regulation 1.2",
        )
        scenarios.append(scenario)
    return {"kit": kit, "scenarios": scenarios}


@pytest.fixture
def attended(people, d1):
    """Adam, Zoë and مريم signed in to D1, and a guest whom the sheet does not match."""
    session = d1
    for report in people.reports[:3]:
        Attendance.objects.create(session=session, person=report.person)
    UnmatchedParticipant.objects.create(session=session, name="Bea Guest")
    return session


def facilitate_url(session):
    return reverse("dialogues:facilitate", args=[session.pk])


# --- facilitator mode ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["monitor", "head", "focal", "ethics", "peer"])
def test_facilitator_page_is_404_for_anyone_but_the_leader(client, people, d1, kit, who):
    login(client, getattr(people, who))
    session = d1
    assert client.get(facilitate_url(session)).status_code == 404
    assert client.get(reverse("dialogues:facilitate_count", args=[session.pk])).status_code == 404
    response = client.post(reverse("dialogues:capture_add", args=[session.pk]), {"kind": "question", "text": "Why?"})
    assert response.status_code == 404
    assert not SessionCapture.objects.exists()


def test_leader_sees_agenda_guidance_and_important_points_of_chosen_scenarios(client, d1, kit, people):
    d1.scenarios.set(kit["scenarios"][:2])
    login(client, people.leader)
    page = client.get(facilitate_url(d1)).content.decode()
    assert "Welcome everyone and agree the ground rules." in page
    assert 'data-minutes="65"' in page
    for title in ("The gift", "The post"):
        assert f"What should be done about {title}?" in page
        assert f"Who could help with {title}?" in page
        assert f"Point to remember on {title}" in page and f"Second point on {title}" in page
    assert "The friend" not in page  # not chosen
    assert "js/facilitator.js" in page and "data-fullscreen" in page
    assert "Do not write names." in page


def test_leader_without_chosen_scenarios_chooses_them_on_the_page(client, d1, kit, people):
    login(client, people.leader)
    session = d1
    page = client.get(facilitate_url(session)).content.decode()
    assert 'name="scenarios"' in page and "The friend" in page
    gift, _post, friend = kit["scenarios"]
    response = client.post(reverse("dialogues:facilitate_scenarios", args=[session.pk]), {"scenarios": [gift.pk, friend.pk]})
    assert response.status_code == 302
    assert set(session.scenarios.values_list("title", flat=True)) == {"The gift", "The friend"}
    entry = AuditEntry.objects.get(action="session.choose_scenarios")
    assert entry.actor == people.leader.user and entry.detail == {"scenarios": sorted([gift.pk, friend.pk])}


def test_choosing_a_single_scenario_is_refused(client, d1, kit, people):
    login(client, people.leader)
    session = d1
    response = client.post(reverse("dialogues:facilitate_scenarios", args=[session.pk]), {"scenarios": [kit["scenarios"][0].pk]})
    assert response.status_code == 200
    assert "Choose two or three scenarios." in response.content.decode()
    assert not session.scenarios.exists()
    assert not AuditEntry.objects.filter(action="session.choose_scenarios").exists()


def test_facilitator_page_without_a_kit_says_so(client, d1, people):
    login(client, people.leader)
    page = client.get(facilitate_url(d1)).content.decode()
    assert "has not published this year's dialogue kit yet" in page
    assert "Notes for your feedback" in page  # the capture boxes still work


def test_capture_add_writes_the_capture_and_an_audit_entry(client, d1, people):
    login(client, people.leader)
    session = d1
    response = client.post(reverse("dialogues:capture_add", args=[session.pk]), {"kind": "question", "text": "  Can I accept a pen?  "})
    assert response.status_code == 302 and response.url.endswith("#box-question")
    capture = SessionCapture.objects.get()
    assert (capture.session, capture.kind, capture.text) == (session, CaptureKind.QUESTION, "Can I accept a pen?")
    entry = AuditEntry.objects.get(action="session.capture_add")
    assert entry.actor == people.leader.user and entry.detail == {"capture": capture.pk, "kind": "question"}
    page = client.get(facilitate_url(session)).content.decode()
    assert "Can I accept a pen?" in page


def test_capture_add_with_htmx_answers_the_box_fragment(client, d1, people):
    login(client, people.leader)
    session = d1
    response = client.post(reverse("dialogues:capture_add", args=[session.pk]), {"kind": "contribution", "text": "Ask before you post."}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="box-contribution"' in body and "Ask before you post." in body
    assert 'hx-swap-oob="innerHTML"' in body and "Note saved." in body
    assert "<html" not in body
    assert SessionCapture.objects.get().kind == CaptureKind.CONTRIBUTION


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_capture_add_rejects_empty_text(client, d1, people, headers):
    login(client, people.leader)
    response = client.post(reverse("dialogues:capture_add", args=[d1.pk]), {"kind": "question", "text": "   "}, **headers)
    assert "Write something before saving." in response.content.decode()
    assert not SessionCapture.objects.exists()
    assert not AuditEntry.objects.filter(action="session.capture_add").exists()


def test_capture_delete_removes_it_and_writes_an_audit_entry(client, d1, people):
    session = d1
    keep = SessionCapture.objects.create(session=session, kind=CaptureKind.QUESTION, text="Keep me")
    drop = SessionCapture.objects.create(session=session, kind=CaptureKind.QUESTION, text="Drop me")
    login(client, people.leader)
    response = client.post(reverse("dialogues:capture_delete", args=[session.pk, drop.pk]), **HTMX)
    body = response.content.decode()
    assert "Keep me" in body and "Drop me" not in body
    assert list(SessionCapture.objects.values_list("pk", flat=True)) == [keep.pk]
    entry = AuditEntry.objects.get(action="session.capture_delete")
    assert entry.actor == people.leader.user and entry.detail == {"capture": drop.pk}


def test_capture_of_another_session_cannot_be_deleted(client, d1, people):
    other = Session.objects.create(cycle=d1.cycle, leader=people.peer.person, ref="O1", date=datetime.date(2026, 10, 1))
    capture = SessionCapture.objects.create(session=other, kind=CaptureKind.QUESTION, text="Not yours")
    login(client, people.leader)
    assert client.post(reverse("dialogues:capture_delete", args=[d1.pk, capture.pk])).status_code == 404
    assert SessionCapture.objects.filter(pk=capture.pk).exists()


def test_live_count_fragment_shows_matched_and_unmatched_sign_ins(client, attended, people):
    login(client, people.leader)
    response = client.get(reverse("dialogues:facilitate_count", args=[attended.pk]), **HTMX)
    body = response.content.decode()
    assert '<span class="fac-count-figure">4</span> people signed in' in body
    assert 'hx-trigger="every 10s"' in body and "<html" not in body


def test_live_count_stops_polling_once_logged_out(client, d1):
    response = client.get(reverse("dialogues:facilitate_count", args=[d1.pk]), **HTMX)
    assert response.status_code == 286


# --- Appendix A --------------------------------------------------------------------------------


def test_sign_in_sheet_shows_every_field_and_numbered_names(client, attended, people):
    login(client, people.leader)
    response = client.get(reverse("dialogues:sheet", args=[attended.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Sign-in sheet", "Speaking up", "Lena Leader", "E1 — Office One", "Division A &gt; Section B", "Oct. 15, 2026", "D1"):
        assert text in page
    assert "<dt>Number of participants</dt><dd>4</dd>" in page
    # The unit's active people: Lena and her four active reports (not the one who left).
    assert "<dt>Total personnel in the unit</dt><dd>5</dd>" in page
    assert '<td class="num">1</td><td><bdi dir="ltr">Adam Smith</bdi></td>' in page
    assert '<td class="num">2</td><td><bdi dir="ltr">Zoë Ångström</bdi></td>' in page
    assert '<td class="num">4</td><td><bdi dir="ltr">Bea Guest</bdi></td>' in page  # unmatched after matched
    assert '<td class="num">25</td><td></td>' in page and '<td class="num">26</td>' not in page


def test_sign_in_sheet_of_a_large_session_has_a_line_per_participant(d1):
    session = d1
    UnmatchedParticipant.objects.bulk_create(UnmatchedParticipant(session=session, name=f"Guest {i:02}") for i in range(30))
    sheet = sign_in_sheet(session)
    assert sheet.participants == 30
    assert sheet.lines[-1] == (30, "Guest 29")


def test_sign_in_sheet_pdf_holds_the_names(client, attended, people):
    login(client, people.leader)
    response = client.get(reverse("dialogues:sheet_pdf", args=[attended.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="sign-in-sheet-D1-2026-10-15.pdf"'
    assert response.content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
    text = unicodedata.normalize("NFKC", text)
    for name in ("Adam Smith", "Zoë Ångström", "Bea Guest", "Lena Leader", "Division A > Section B"):
        assert name in text
    # Arabic comes out of the PDF as shaped letters; compare its letters, whatever their order.
    assert set("مريمحداد") <= set(text)


def test_sign_in_sheet_pdf_speaks_the_users_language(client, attended, people):
    login(client, people.leader)
    client.cookies.load({"django_language": "fr"})
    response = client.get(reverse("dialogues:sheet_pdf", args=[attended.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
    assert "octobre" in text  # the date in French; the labels follow once translated


def test_ethics_office_gets_404_for_the_sheet_and_its_pdf(client, people, attended):
    login(client, people.ethics)
    assert client.get(reverse("dialogues:sheet", args=[attended.pk])).status_code == 404
    assert client.get(reverse("dialogues:sheet_pdf", args=[attended.pk])).status_code == 404


def test_focal_point_of_the_entity_sees_the_sheet(client, people, attended):
    login(client, people.focal)
    response = client.get(reverse("dialogues:sheet", args=[attended.pk]))
    assert response.status_code == 200 and "Zoë Ångström" in response.content.decode()
    assert client.get(reverse("dialogues:sheet_pdf", args=[attended.pk])).status_code == 200


def test_focal_point_of_another_entity_gets_404_for_the_sheet(client, people, d1, attended):
    login(client, people.outsider)
    assert client.get(reverse("dialogues:sheet", args=[attended.pk])).status_code == 404
    assert client.get(reverse("dialogues:sheet_pdf", args=[attended.pk])).status_code == 404


def test_head_of_entity_sees_the_sheet(client, people, d1, attended):
    login(client, people.head)
    assert client.get(reverse("dialogues:sheet", args=[attended.pk])).status_code == 200


def test_facilitator_page_reads_a_fixed_number_of_queries(client, d1, kit, people, django_assert_max_num_queries):
    d1.scenarios.set(kit["scenarios"])
    for scenario in kit["scenarios"]:
        DiscussionQuestion.objects.create(scenario=scenario, order=2, text="And then?")
    login(client, people.leader)
    # Login and scope take 6; the page 9, whatever the number of scenarios and questions.
    with django_assert_max_num_queries(15):
        assert client.get(facilitate_url(d1)).status_code == 200
