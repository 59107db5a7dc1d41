"""Facilitator mode and the sign-in sheet (Appendix A).

Personas, on a small organization built here:
- lena: leads session D1 in E1 (Division A > Section B) with her reports;
- hugo: head of E1, derived (no manager);
- mona: a report of lena, appointed attendance monitor of D1;
- fiona: focal point of E1; farid: focal point of E2;
- eve: Ethics Office;
- otto: another manager in E1.
"""

import datetime
import subprocess
import unicodedata

import pytest
from django.urls import reverse

from accounts.models import Role, RoleGrant, User
from core.models import AuditEntry
from dialogues.models import Attendance, CaptureKind, Session, SessionCapture, UnmatchedParticipant
from dialogues.running import sign_in_sheet
from kit.models import AgendaItem, DiscussionQuestion, Kit, Scenario
from org.models import Cycle, Entity, Person, Unit

PASSWORD = "a-long-test-password"
HTMX = {"HTTP_HX_REQUEST": "true"}


def person(index, name, entity, unit=None, manager=None, active=True):
    return Person.objects.create(index_number=index, name=name, email=f"{index}@example.org", entity=entity, unit=unit, manager=manager, active=active)


def user(email, who=None, *grants):
    account = User.objects.create_user(email, PASSWORD, person=who)
    for role, entity in grants:
        RoleGrant.objects.create(user=account, role=role, entity=entity)
    return account


@pytest.fixture
def org(db):
    e1 = Entity.objects.create(code="E1", name="Office One")
    e2 = Entity.objects.create(code="E2", name="Office Two")
    division = Unit.objects.create(entity=e1, path="Division A")
    section = Unit.objects.create(entity=e1, path="Division A > Section B", parent=division)
    hugo = person("P001", "Hugo Head", e1, division)
    lena = person("P002", "Lena Leader", e1, section, hugo)
    otto = person("P003", "Otto Other", e1, division, hugo)
    reports = [
        person("P010", "Adam Smith", e1, section, lena),
        person("P011", "Zoë Ångström", e1, section, lena),
        person("P012", "مريم حداد", e1, section, lena),
        person("P013", "Mona Monitor", e1, section, lena),
    ]
    person("P014", "Gone Away", e1, section, lena, active=False)  # not counted in the unit
    person("P020", "Farid Focal", e2)
    cycle = Cycle.objects.create(year=2026, topic="Speaking up", opens=datetime.date(2026, 9, 1), deadline=datetime.date(2026, 12, 31))
    session = Session.objects.create(cycle=cycle, leader=lena, ref="D1", date=datetime.date(2026, 10, 15), monitor=reports[3])
    return {"e1": e1, "e2": e2, "lena": lena, "otto": otto, "hugo": hugo, "reports": reports, "cycle": cycle, "session": session}


@pytest.fixture
def kit(org):
    kit = Kit.objects.create(cycle=org["cycle"], published=True)
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
def lena(org):
    return user("lena@example.org", org["lena"])


@pytest.fixture
def attended(org):
    session = org["session"]
    for report in org["reports"][:3]:
        Attendance.objects.create(session=session, person=report)
    UnmatchedParticipant.objects.create(session=session, name="Bea Guest")
    return session


def facilitate_url(session):
    return reverse("dialogues:facilitate", args=[session.pk])


# --- facilitator mode ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["monitor", "head", "focal_point", "ethics_office", "other_manager"])
def test_facilitator_page_is_404_for_anyone_but_the_leader(client, org, kit, who):
    accounts = {
        "monitor": lambda: user("mona@example.org", org["reports"][3]),
        "head": lambda: user("hugo@example.org", org["hugo"]),
        "focal_point": lambda: user("fiona@example.org", None, (Role.FOCAL_POINT, org["e1"])),
        "ethics_office": lambda: user("eve@example.org", None, (Role.ETHICS_OFFICE, None)),
        "other_manager": lambda: user("otto@example.org", org["otto"]),
    }
    client.force_login(accounts[who]())
    session = org["session"]
    assert client.get(facilitate_url(session)).status_code == 404
    assert client.get(reverse("dialogues:facilitate_count", args=[session.pk])).status_code == 404
    response = client.post(reverse("dialogues:capture_add", args=[session.pk]), {"kind": "question", "text": "Why?"})
    assert response.status_code == 404
    assert not SessionCapture.objects.exists()


def test_leader_sees_agenda_guidance_and_important_points_of_chosen_scenarios(client, org, kit, lena):
    org["session"].scenarios.set(kit["scenarios"][:2])
    client.force_login(lena)
    page = client.get(facilitate_url(org["session"])).content.decode()
    assert "Welcome everyone and agree the ground rules." in page
    assert 'data-minutes="65"' in page
    for title in ("The gift", "The post"):
        assert f"What should be done about {title}?" in page
        assert f"Who could help with {title}?" in page
        assert f"Point to remember on {title}" in page and f"Second point on {title}" in page
    assert "The friend" not in page  # not chosen
    assert "js/facilitator.js" in page and "data-fullscreen" in page
    assert "Do not write names." in page


def test_leader_without_chosen_scenarios_chooses_them_on_the_page(client, org, kit, lena):
    client.force_login(lena)
    session = org["session"]
    page = client.get(facilitate_url(session)).content.decode()
    assert 'name="scenarios"' in page and "The friend" in page
    gift, _post, friend = kit["scenarios"]
    response = client.post(reverse("dialogues:facilitate_scenarios", args=[session.pk]), {"scenarios": [gift.pk, friend.pk]})
    assert response.status_code == 302
    assert set(session.scenarios.values_list("title", flat=True)) == {"The gift", "The friend"}
    entry = AuditEntry.objects.get(action="session.choose_scenarios")
    assert entry.actor == lena and entry.detail == {"scenarios": sorted([gift.pk, friend.pk])}


def test_choosing_a_single_scenario_is_refused(client, org, kit, lena):
    client.force_login(lena)
    session = org["session"]
    response = client.post(reverse("dialogues:facilitate_scenarios", args=[session.pk]), {"scenarios": [kit["scenarios"][0].pk]})
    assert response.status_code == 200
    assert "Choose two or three scenarios." in response.content.decode()
    assert not session.scenarios.exists()
    assert not AuditEntry.objects.filter(action="session.choose_scenarios").exists()


def test_facilitator_page_without_a_kit_says_so(client, org, lena):
    client.force_login(lena)
    page = client.get(facilitate_url(org["session"])).content.decode()
    assert "has not published this year's dialogue kit yet" in page
    assert "Notes for your feedback" in page  # the capture boxes still work


def test_capture_add_writes_the_capture_and_an_audit_entry(client, org, lena):
    client.force_login(lena)
    session = org["session"]
    response = client.post(reverse("dialogues:capture_add", args=[session.pk]), {"kind": "question", "text": "  Can I accept a pen?  "})
    assert response.status_code == 302 and response.url.endswith("#box-question")
    capture = SessionCapture.objects.get()
    assert (capture.session, capture.kind, capture.text) == (session, CaptureKind.QUESTION, "Can I accept a pen?")
    entry = AuditEntry.objects.get(action="session.capture_add")
    assert entry.actor == lena and entry.detail == {"capture": capture.pk, "kind": "question"}
    page = client.get(facilitate_url(session)).content.decode()
    assert "Can I accept a pen?" in page


def test_capture_add_with_htmx_answers_the_box_fragment(client, org, lena):
    client.force_login(lena)
    session = org["session"]
    response = client.post(reverse("dialogues:capture_add", args=[session.pk]), {"kind": "contribution", "text": "Ask before you post."}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="box-contribution"' in body and "Ask before you post." in body
    assert 'hx-swap-oob="innerHTML"' in body and "Note saved." in body
    assert "<html" not in body
    assert SessionCapture.objects.get().kind == CaptureKind.CONTRIBUTION


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_capture_add_rejects_empty_text(client, org, lena, headers):
    client.force_login(lena)
    response = client.post(reverse("dialogues:capture_add", args=[org["session"].pk]), {"kind": "question", "text": "   "}, **headers)
    assert "Write something before saving." in response.content.decode()
    assert not SessionCapture.objects.exists()
    assert not AuditEntry.objects.filter(action="session.capture_add").exists()


def test_capture_delete_removes_it_and_writes_an_audit_entry(client, org, lena):
    session = org["session"]
    keep = SessionCapture.objects.create(session=session, kind=CaptureKind.QUESTION, text="Keep me")
    drop = SessionCapture.objects.create(session=session, kind=CaptureKind.QUESTION, text="Drop me")
    client.force_login(lena)
    response = client.post(reverse("dialogues:capture_delete", args=[session.pk, drop.pk]), **HTMX)
    body = response.content.decode()
    assert "Keep me" in body and "Drop me" not in body
    assert list(SessionCapture.objects.values_list("pk", flat=True)) == [keep.pk]
    entry = AuditEntry.objects.get(action="session.capture_delete")
    assert entry.actor == lena and entry.detail == {"capture": drop.pk}


def test_capture_of_another_session_cannot_be_deleted(client, org, lena):
    other = Session.objects.create(cycle=org["cycle"], leader=org["otto"], ref="O1", date=datetime.date(2026, 10, 1))
    capture = SessionCapture.objects.create(session=other, kind=CaptureKind.QUESTION, text="Not yours")
    client.force_login(lena)
    assert client.post(reverse("dialogues:capture_delete", args=[org["session"].pk, capture.pk])).status_code == 404
    assert SessionCapture.objects.filter(pk=capture.pk).exists()


def test_live_count_fragment_shows_matched_and_unmatched_sign_ins(client, attended, lena):
    client.force_login(lena)
    response = client.get(reverse("dialogues:facilitate_count", args=[attended.pk]), **HTMX)
    body = response.content.decode()
    assert '<span class="fac-count-figure">4</span> people signed in' in body
    assert 'hx-trigger="every 10s"' in body and "<html" not in body


def test_live_count_stops_polling_once_logged_out(client, org):
    response = client.get(reverse("dialogues:facilitate_count", args=[org["session"].pk]), **HTMX)
    assert response.status_code == 286


# --- Appendix A --------------------------------------------------------------------------------


def test_sign_in_sheet_shows_every_field_and_numbered_names(client, attended, lena):
    client.force_login(lena)
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


def test_sign_in_sheet_of_a_large_session_has_a_line_per_participant(org):
    session = org["session"]
    UnmatchedParticipant.objects.bulk_create(UnmatchedParticipant(session=session, name=f"Guest {i:02}") for i in range(30))
    sheet = sign_in_sheet(session)
    assert sheet.participants == 30
    assert sheet.lines[-1] == (30, "Guest 29")


def test_sign_in_sheet_pdf_holds_the_names(client, attended, lena):
    client.force_login(lena)
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


def test_sign_in_sheet_pdf_speaks_the_users_language(client, attended, lena):
    client.force_login(lena)
    client.cookies.load({"django_language": "fr"})
    response = client.get(reverse("dialogues:sheet_pdf", args=[attended.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
    assert "octobre" in text  # the date in French; the labels follow once translated


def test_ethics_office_gets_404_for_the_sheet_and_its_pdf(client, attended):
    client.force_login(user("eve@example.org", None, (Role.ETHICS_OFFICE, None)))
    assert client.get(reverse("dialogues:sheet", args=[attended.pk])).status_code == 404
    assert client.get(reverse("dialogues:sheet_pdf", args=[attended.pk])).status_code == 404


def test_focal_point_of_the_entity_sees_the_sheet(client, attended):
    client.force_login(user("fiona@example.org", None, (Role.FOCAL_POINT, attended.leader.entity)))
    response = client.get(reverse("dialogues:sheet", args=[attended.pk]))
    assert response.status_code == 200 and "Zoë Ångström" in response.content.decode()
    assert client.get(reverse("dialogues:sheet_pdf", args=[attended.pk])).status_code == 200


def test_focal_point_of_another_entity_gets_404_for_the_sheet(client, org, attended):
    client.force_login(user("farid@example.org", None, (Role.FOCAL_POINT, org["e2"])))
    assert client.get(reverse("dialogues:sheet", args=[attended.pk])).status_code == 404
    assert client.get(reverse("dialogues:sheet_pdf", args=[attended.pk])).status_code == 404


def test_head_of_entity_sees_the_sheet(client, org, attended):
    client.force_login(user("hugo@example.org", org["hugo"]))
    assert client.get(reverse("dialogues:sheet", args=[attended.pk])).status_code == 200


def test_facilitator_page_reads_a_fixed_number_of_queries(client, org, kit, lena, django_assert_max_num_queries):
    org["session"].scenarios.set(kit["scenarios"])
    for scenario in kit["scenarios"]:
        DiscussionQuestion.objects.create(scenario=scenario, order=2, text="And then?")
    client.force_login(lena)
    # Login and scope take 6; the page 9, whatever the number of scenarios and questions.
    with django_assert_max_num_queries(15):
        assert client.get(facilitate_url(org["session"])).status_code == 200
