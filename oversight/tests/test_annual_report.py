"""The Ethics Office's annual report: exact figures of two cycles side by side on a small
organization, who may open it, no name in the page, the PDF or the workbook, and the demo.

The organization (active people; Z has left):

    AAA  H  (head; international, headquarters)
         ├─ A1 national field · A2 international away · A3 non-staff field · A4 (not given)
         ├─ M  international away (a manager, leads S2) ── R national away
         └─ Z  inactive
    BBB  X  (head, reports to H; international field) ── B1 national field, B2 national away

2025: T1 led by H (A1, A2, A3, A4, M, Z, X), T2 led by X (B1). Reached: AAA 6 of 7, BBB 2 of 3.
2026: S1 led by H (A1, A2, X, M), S2 led by M (R). Reached: AAA 5 of 7, BBB 1 of 3.
Appendix E: 2025 AAA certified (7/6), BBB submitted (3/2); 2026 AAA reopened, BBB nothing.
Leader feedback: 2025 T1 guide 2 topics 3, T2 guide 3 topics 4; 2026 S1 guide 4 topics 5.
Facilitator assessments: 2026 S1 five answers (shown), 2025 T2 two answers (hidden).
"""

import datetime
import io
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from cascade.testing import make_user
from dialogues.models import Attendance, Session
from feedback.models import FacilitatorAssessment, Question, QuestionStatus
from feedback.services import leader_feedback_save
from org.models import Cycle, Entity, Person
from oversight.certification import certification_certify, certification_reopen, certification_submit
from oversight.report import annual_report

D = datetime.date

PEOPLE = [
    # index, manager, entity, category, location type, active
    ("H", None, "AAA", "international", "headquarters", True),
    ("A1", "H", "AAA", "national", "field", True),
    ("A2", "H", "AAA", "international", "away", True),
    ("A3", "H", "AAA", "non-staff", "field", True),
    ("A4", "H", "AAA", "", "", True),
    ("M", "H", "AAA", "international", "away", True),
    ("R", "M", "AAA", "national", "away", True),
    ("Z", "H", "AAA", "national", "field", False),
    ("X", "H", "BBB", "international", "field", True),
    ("B1", "X", "BBB", "national", "field", True),
    ("B2", "X", "BBB", "national", "away", True),
]
SESSIONS = {
    2025: [("T1", "H", D(2025, 10, 1), ["A1", "A2", "A3", "A4", "M", "Z", "X"]), ("T2", "X", D(2025, 10, 20), ["B1"])],
    2026: [("S1", "H", D(2026, 9, 10), ["A1", "A2", "X", "M"]), ("S2", "M", D(2026, 10, 5), ["R"])],
}
FEEDBACK = {
    # session: guide, topics, recommended topics, unanswered questions
    "T1": (2, 3, "Speaking up without fear of retaliation", "Can I report misconduct anonymously?"),
    "T2": (3, 4, "Protection against retaliation for consultants", "Are consultants protected when they report misconduct?"),
    "S1": (4, 5, "Conflicts of interest in recruitment\nUsing social media in a personal capacity", "May I accept a hamper from a supplier?"),
}


def answer(session, overall):
    return FacilitatorAssessment(session=session, preparation=4, inclusion=3, safety=5, time_use=4, overall=overall, day=session.date)


@pytest.fixture
def org(db):
    entities = {code: Entity.objects.create(code=code, name=f"Entity {code}") for code in ("AAA", "BBB")}
    Person.objects.bulk_create(
        [
            Person(
                index_number=index,
                name=f"Person {index} Named",
                email=f"{index.lower()}@example.org",
                manager_id=manager,
                entity=entities[code],
                category=category,
                location_type=location,
                active=active,
            )
            for index, manager, code, category, location, active in PEOPLE
        ]
    )
    ids = dict(Person.objects.values_list("index_number", "pk"))
    sessions = {}
    for year, planned in SESSIONS.items():
        cycle = Cycle.objects.create(year=year, topic=f"Topic {year}", opens=D(year, 9, 1), deadline=D(year, 12, 31))
        for ref, leader, day, attendees in planned:
            sessions[ref] = Session.objects.create(cycle=cycle, leader_id=ids[leader], ref=ref, date=day)
            Attendance.objects.bulk_create([Attendance(session=sessions[ref], person_id=ids[a]) for a in attendees])
    for ref, (guide, topics, recommended, questions) in FEEDBACK.items():
        data = {"participants": 1, "unit_personnel": 5, "guide_rating": guide, "topics_rating": topics, "went_well": "Open talk.", "went_badly": "Short."}
        leader_feedback_save(session=sessions[ref], data={**data, "recommended_topics": recommended, "unanswered_questions": questions}, actor=None)
    Question.objects.filter(text__startswith="Can I report").update(
        status=QuestionStatus.ANSWERED, answer="Yes.", answered_at=datetime.datetime(2025, 11, 1, tzinfo=datetime.UTC)
    )
    FacilitatorAssessment.objects.bulk_create([answer(sessions["S1"], overall) for overall in (5, 5, 4, 4, 3)])
    FacilitatorAssessment.objects.bulk_create([answer(sessions["T2"], overall) for overall in (2, 3)])
    return {"cycles": {c.year: c for c in Cycle.objects.all()}, "entities": entities}


@pytest.fixture
def eve(org):
    return make_user("eve@example.org", None, (Role.ETHICS_OFFICE, None))


@pytest.fixture
def certified(org, eve):
    """2025: AAA certified, BBB submitted. 2026: AAA submitted, then reopened."""
    fiona = make_user("fiona@example.org", None, (Role.FOCAL_POINT, "AAA"))
    bob = make_user("bob@example.org", None, (Role.FOCAL_POINT, "BBB"))
    hank = make_user("hank@example.org", "H")
    aaa, bbb = org["entities"]["AAA"], org["entities"]["BBB"]
    last, this = org["cycles"][2025], org["cycles"][2026]
    certification_submit(actor=fiona, entity=aaa, cycle=last, confirmed=True)
    certification_certify(actor=hank, entity=aaa, cycle=last, statement_accepted=True, reason="Closed cycle.")
    certification_submit(actor=bob, entity=bbb, cycle=last, confirmed=True)
    certification_submit(actor=fiona, entity=aaa, cycle=this, confirmed=True)
    certification_reopen(actor=eve, entity=aaa, cycle=this, reason="A session was left out.")
    return org


def report_url(year=2026, fmt=None):
    if fmt:
        return reverse("oversight:annual_report_export", args=[year, fmt])
    return reverse("oversight:annual_report", args=[year])


def figures(rows):
    return {row.key: (row.personnel, row.participants.current, row.participants.previous, row.rate.current, row.rate.previous, row.rate.change) for row in rows}


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def workbook(content: bytes) -> dict[str, list[list]]:
    from openpyxl import load_workbook

    def trimmed(row) -> list:  # rows come padded to the widest row of the sheet
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        return row

    book = load_workbook(io.BytesIO(content))
    return {sheet.title: [trimmed(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


# --- the figures ---------------------------------------------------------------------------------


def test_participation_by_entity_for_both_cycles(certified):
    report = annual_report(certified["cycles"][2026])
    assert report.previous.year == 2025
    assert figures(report.participation.entities) == {
        "AAA": (7, 5, 6, 71.4, 85.7, -14.3),
        "BBB": (3, 1, 2, 33.3, 66.7, -33.4),
    }
    total = report.participation.total
    assert (total.personnel, total.participants.current, total.participants.previous, total.rate.current, total.rate.previous, total.rate.change) == (
        10,
        6,
        8,
        60.0,
        80.0,
        -20.0,
    )


def test_participation_by_category_and_location_type_for_both_cycles(certified):
    report = annual_report(certified["cycles"][2026])
    assert figures(report.participation.categories) == {
        "international": (4, 4, 4, 100.0, 100.0, 0.0),
        "national": (4, 2, 2, 50.0, 50.0, 0.0),
        "non-staff": (1, 0, 1, 0.0, 100.0, -100.0),
        "": (1, 0, 1, 0.0, 100.0, -100.0),
    }
    assert figures(report.participation.locations) == {
        "headquarters": (1, 1, 1, 100.0, 100.0, 0.0),
        "away": (4, 3, 2, 75.0, 50.0, 25.0),
        "field": (4, 2, 4, 50.0, 100.0, -50.0),
        "": (1, 0, 1, 0.0, 100.0, -100.0),
    }


def test_certification_status_of_both_cycles(certified):
    report = annual_report(certified["cycles"][2026])
    rows = {r.code: (r.current.status, r.current.participants, r.previous.status, r.previous.personnel, r.previous.participants) for r in report.certification}
    assert rows == {"AAA": ("reopened", None, "certified", 7, 6), "BBB": ("draft", None, "submitted", 3, 2)}
    counts = {row.label: (row.figure.current, row.figure.previous) for row in report.certification_counts}
    assert counts == {"Certified": (0, 1), "Submitted, awaiting certification": (0, 1), "Reopened": (1, 0), "Not submitted": (1, 0)}


def test_summary_counts_sessions_forms_assessments_and_questions(certified):
    report = annual_report(certified["cycles"][2026])
    summary = {row.label: (row.figure.current, row.figure.previous, row.figure.change) for row in report.summary}
    assert summary == {
        "Personnel (today's organization file)": (10, 10, 0),
        "Participants": (6, 8, -2),
        "Share of personnel reached": (60.0, 80.0, -20.0),
        "Sessions held": (2, 2, 0),
        "Leader feedback forms (Appendix C)": (1, 2, -1),
        "Facilitator assessments (Appendix F)": (5, None, None),  # 2025: two answers, "fewer than 5", no change
        "Questions forwarded to the Ethics Office": (1, 2, -1),
        "Questions answered": (0, 1, -1),
        "Entities that certified Appendix E": (0, 1, -1),
    }
    assessed = next(row.figure for row in report.summary if row.label == "Facilitator assessments (Appendix F)")
    assert assessed.previous_hidden and not assessed.current_hidden


def test_ratings_averages_and_hidden_small_groups(certified):
    report = annual_report(certified["cycles"][2026])
    ratings = {row.label: row.figure for row in report.ratings}
    guide = ratings["Leader feedback: quality and ease of use of the guide"]
    assert (guide.current, guide.previous, guide.change) == (4.0, 2.5, 1.5)
    topics = ratings["Leader feedback: the topics"]
    assert (topics.current, topics.previous, topics.change) == (5.0, 3.5, 1.5)
    overall = ratings["Facilitator assessment: Overall"]
    # 2026: five answers, shown; 2025: two answers, below the threshold of five, hidden.
    assert (overall.current, overall.previous, overall.previous_hidden, overall.change) == (4.2, None, True, None)
    assert [(r.code, r.forms.current, r.forms.previous, r.guide.current, r.guide.previous) for r in report.entity_ratings] == [
        ("AAA", 1, 1, 4.0, 2.0),
        ("BBB", 0, 1, None, 3.0),
    ]


def test_topics_and_questions_of_each_cycle(certified):
    report = annual_report(certified["cycles"][2026])
    this, last = report.topics
    assert (this.year, this.answers, last.year, last.answers) == (2026, 2, 2025, 2)
    assert "Conflicts of interest in recruitment" in [e for theme in this.themes for e in theme.examples]
    assert "Protection against retaliation for consultants" in [e for theme in last.themes for e in theme.examples]
    this, last = report.questions
    assert (this.answers, last.answers) == (1, 2)
    assert [e for theme in this.themes for e in theme.examples] == ["May I accept a hamper from a supplier?"]
    assert sorted(e for theme in last.themes for e in theme.examples) == [
        "Are consultants protected when they report misconduct?",
        "Can I report misconduct anonymously?",
    ]


def test_the_first_cycle_has_no_previous_column(certified):
    report = annual_report(certified["cycles"][2025])
    assert report.previous is None and report.topics[1] is None
    assert figures(report.participation.entities)["AAA"] == (7, 6, None, 85.7, None, None)


# --- the page and the files ---------------------------------------------------------------------


def test_the_page_shows_both_cycles_side_by_side(client, certified, eve):
    client.force_login(eve)
    response = client.get(report_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="col" class="num">Participants, 2025</th>' in page and "Rate, 2026" in page
    aaa = page.split('<th scope="row">AAA')[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in aaa.split('<td class="num">')[1:]] == ["7", "5", "6", "71.4\xa0%", "85.7\xa0%", "−14.3 points"]
    assert "May I accept a hamper from a supplier?" in page and "Conflicts of interest in recruitment" in page
    assert "status-reopened" in page and "6 of 7" in page  # AAA 2025, as certified
    assert "hidden (too few answers)" in page
    assert reverse("oversight:annual_report", args=[2025]) in page
    assert report_url(fmt="pdf") in page and report_url(fmt="xlsx") in page


def test_the_ethics_office_dashboard_links_the_report(client, certified, eve):
    client.force_login(eve)
    assert report_url() in client.get(reverse("oversight:ethics_office")).content.decode()


def test_xlsx_has_a_sheet_per_table_with_the_numbers(client, certified, eve):
    client.force_login(eve)
    response = client.get(report_url(fmt="xlsx"))
    assert response.status_code == 200 and 'filename="annual-report-2026-en.xlsx"' in response["Content-Disposition"]
    sheets = workbook(response.content)
    assert list(sheets) == ["Summary", "Entities", "Categories", "Locations", "Certification", "Ratings", "Recommended topics", "Recurring questions"]
    assert sheets["Entities"][0] == [
        "Entity",
        "Name",
        "Personnel",
        "Participants, 2026",
        "Participants, 2025",
        "Participants, change",
        "Rate (%), 2026",
        "Rate (%), 2025",
        "Rate (%), change",
    ]
    assert ["AAA", "Entity AAA", 7, 5, 6, -1, 71.4, 85.7, -14.3] in sheets["Entities"]
    assert ["Total", None, 10, 6, 8, -2, 60, 80, -20] in sheets["Entities"]
    assert ["Not given", 1, 0, 1, -1, 0, 100, -100] in sheets["Categories"]
    assert ["AAA", "Entity AAA", "Reopened", None, None, "Certified", 7, 6] in sheets["Certification"]
    assert ["Leader feedback: the topics", 5, 3.5, 1.5] in sheets["Ratings"]
    assert ["Facilitator assessment: Overall", 4.2, "hidden (too few answers)"] in sheets["Ratings"]
    questions = [row for row in sheets["Recurring questions"][1:] if row[0] == 2026]
    assert questions and questions[0][2:4] == [1, "May I accept a hamper from a supplier?"]


def test_pdf_holds_the_tables_in_the_readers_language(client, certified, eve):
    client.force_login(eve)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(report_url(fmt="pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="annual-report-2026-fr.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    with translation.override("fr"):
        certified_fr = translation.gettext("Certified")
    assert certified_fr != "Certified" and certified_fr in text
    assert "AAA" in text and "71,4 %" in text and "85,7 %" in text  # French decimals
    assert "May I accept a hamper from a supplier?" in text


def test_no_name_in_the_page_the_pdf_or_the_workbook(client, certified, eve):
    client.force_login(eve)
    page = client.get(report_url()).content.decode()
    text = pdf_text(client.get(report_url(fmt="pdf")).content)
    cells = " ".join(str(v) for rows in workbook(client.get(report_url(fmt="xlsx")).content).values() for row in rows for v in row if v is not None)
    names = list(Person.objects.values_list("name", flat=True))
    assert len(names) == len(PEOPLE)
    for where, content in (("page", page), ("PDF", text), ("XLSX", cells)):
        assert "AAA" in content, where
        assert not [name for name in names if name in content], where


# --- who may open it ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        ("fiona@example.org", None, (Role.FOCAL_POINT, "AAA")),  # focal point
        ("hank@example.org", "H"),  # head of AAA
        ("xena@example.org", "X"),  # head of BBB
        ("mia@example.org", "M"),  # a session leader
        ("rob@example.org", "R"),  # a participant
    ],
)
def test_everyone_but_the_ethics_office_gets_404(client, org, who):
    client.force_login(make_user(*who))
    for url in (report_url(), report_url(fmt="pdf"), report_url(fmt="xlsx"), report_url(2025)):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_log_in(client, org):
    response = client.get(report_url(fmt="xlsx"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_year_without_a_cycle_or_an_unknown_format_is_404(client, org, eve):
    client.force_login(eve)
    assert client.get(report_url(2024)).status_code == 404
    assert client.get(report_url(2024, "pdf")).status_code == 404
    assert client.get(report_url(2026, "docx")).status_code == 404
    assert client.get(report_url(2025)).status_code == 200


def test_the_number_of_queries_does_not_grow_with_people_sessions_or_feedback(client, certified, eve):
    client.force_login(eve)

    def queries() -> int:
        assert client.get(report_url()).status_code == 200  # fills the shared cache of themes
        with CaptureQueriesContext(connection) as captured:
            assert client.get(report_url()).status_code == 200
        return len(captured)

    before = queries()
    ccc = Entity.objects.create(code="CCC")
    Person.objects.bulk_create(
        [Person(index_number=f"C{i}", name=f"C {i}", email=f"c{i}@example.org", entity=ccc, manager_id="C0" if i else None) for i in range(40)]
    )
    cycle, people = certified["cycles"][2026], list(Person.objects.filter(entity=ccc))
    for n in range(4):
        session = Session.objects.create(cycle=cycle, leader=people[0], ref=f"C{n}", date=D(2026, 11, 2))
        Attendance.objects.bulk_create([Attendance(session=session, person=p) for p in people[1 + 9 * n : 10 + 9 * n]])
        data = {"participants": 9, "unit_personnel": 40, "guide_rating": 3, "topics_rating": 3, "went_well": "Good.", "went_badly": "Late."}
        leader_feedback_save(session=session, data={**data, "unanswered_questions": f"Question {n}?"}, actor=None)
    assert annual_report(cycle).participation.total.participants.current == 6 + 37
    assert queries() == before <= 30  # SQLite: 25 with the login and the savepoint, 4 reads of cached themes; PostgreSQL adds SET LOCAL


# --- the demo ------------------------------------------------------------------------------------


def test_the_demo_report_compares_two_cycles_and_names_nobody(client, db):
    call_command("demo", stdout=io.StringIO())
    eve = make_user("eve-demo@example.org", None, (Role.ETHICS_OFFICE, None))
    client.force_login(eve)
    year = Cycle.objects.order_by("-year").first().year
    report = annual_report(Cycle.objects.get(year=year))
    assert report.previous is not None and report.previous.year == year - 1
    assert report.participation.total.participants.previous > report.participation.total.participants.current > 0
    assert any(row.previous.status == "certified" for row in report.certification)
    assert report.topics[0].themes and report.topics[1].themes and report.questions[0].themes and report.questions[1].themes
    page = client.get(report_url(year)).content.decode()
    text = pdf_text(client.get(report_url(year, "pdf")).content)
    cells = " ".join(str(v) for rows in workbook(client.get(report_url(year, "xlsx")).content).values() for row in rows for v in row if v is not None)
    names = list(Person.objects.values_list("name", flat=True))
    assert len(names) > 100
    for where, content in (("page", page), ("PDF", text), ("XLSX", cells)):
        found = [name for name in names if name in content]
        assert not found, f"the {where} shows {found[:3]}"


def test_the_report_and_its_pdf_carry_the_participation_chart(client, org):
    eve = make_user("eve-chart@example.org", None, (Role.ETHICS_OFFICE, None))
    client.force_login(eve)
    page = client.get(reverse("oversight:annual_report", args=[2026])).content.decode()
    assert 'id="report-participation-title"' in page and "<rect class=\"bar\"" in page
    pdf = client.get(reverse("oversight:annual_report_export", args=[2026, "pdf"]))
    assert pdf.status_code == 200
    svg_bars = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "25 %" in svg_bars and "75 %" in svg_bars  # the chart's scale, drawn in the PDF
