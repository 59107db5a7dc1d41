"""The Ethics Office's feedback insight: rating distributions, suppressed Appendix F cells,
themes of the answers, and the CSV and XLSX exports. The named test people (cascade/testing.py)
and Lena's session D1 (conftest.py)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from cascade.testing import login
from dialogues.models import Session
from feedback.insight import safe_cell
from feedback.services import leader_feedback_save
from feedback.themes import choose_k, themes
from org.models import Person

from .assessments import answers
from .conftest import feedback_data
from .test_questions import main_of

# --- themes, a pure function ---------------------------------------------------------------

TEXTS = (
    ["We ran out of time"] * 6
    + ["Not enough time for the scenarios"] * 4
    + ["Nous avons manqué de temps"] * 3
    + ["The video did not play"] * 5
    + ["La vidéo ne fonctionnait pas"] * 3
    + ["视频无法播放"] * 3
    + ["Everyone spoke openly"] * 6
)


def test_choose_k_is_sqrt_of_half_capped_at_12():
    assert [choose_k(n) for n in (1, 2, 8, 50, 200, 5000)] == [1, 1, 2, 5, 10, 12]


def test_themes_group_similar_answers_with_a_label_a_count_and_examples():
    result = themes(TEXTS)
    assert sum(t.count for t in result) == len(TEXTS)
    assert len(result) == choose_k(len(TEXTS))  # 5
    assert all(1 <= len(t.examples) <= 3 and len(set(t.examples)) == len(t.examples) for t in result)
    assert all(t.label for t in result)
    assert [t.count for t in result] == sorted((t.count for t in result), reverse=True)
    by_example = {example: theme for theme in result for example in theme.examples}
    assert by_example["We ran out of time"] is not by_example["Everyone spoke openly"]
    assert themes(TEXTS) == result  # deterministic


def test_themes_label_answers_without_spaces_by_their_first_words():
    result = themes(["视频无法播放"] * 3 + ["时间不够"] * 3)
    assert {t.label for t in result} <= {"视频无法播放", "时间不够"}


def test_themes_of_nothing_is_nothing():
    assert themes(["", "  "]) == []


def test_safe_cell_neutralises_formulas():
    assert [safe_cell(v) for v in ["=1+1", "+1", "-2", "@SUM(A1)", "fine", 3]] == ["'=1+1", "'+1", "'-2", "'@SUM(A1)", "fine", 3]


# --- the page and its exports --------------------------------------------------------------


@pytest.fixture
def reported(people, d1, kit):
    leader_feedback_save(
        session=d1,
        data=feedback_data(
            kit, scenarios_used=[kit["gift"]], guide_rating=2, topics_rating=5, went_well='=HYPERLINK("http://x")', recommended_topics="Working with AI\nGifts"
        ),
        actor=people.leader.user,
    )
    return d1


@pytest.mark.parametrize("who", ["leader", "focal", "head"])
def test_only_the_ethics_office_opens_the_insight(client, people, reported, who):
    login(client, getattr(people, who))
    assert client.get(reverse("feedback:insight")).status_code == 404
    assert client.get(reverse("feedback:insight_export", args=[reported.cycle.year, "csv"])).status_code == 404


def test_the_insight_shows_leader_ratings_and_themes(client, people, reported):
    login(client, people.ethics)
    page = main_of(client.get(reverse("feedback:insight")).content.decode())
    assert '<th scope="row">E1</th><td>1</td>' in page
    assert "Working with AI" in page and "We ran out of time." in page
    for name in ("Lena Leader", "Adam Smith", "Zoë Ångström"):
        assert name not in page


def _e2_session(people, d1, ref="X1"):
    leader = Person.objects.create(index_number=f"P9{ref}", name="Xavier Two", email=f"{ref}@example.org", entity=people.e2)
    return Session.objects.create(cycle=d1.cycle, leader=leader, ref=ref, date=d1.date)


def test_assessment_cells_are_suppressed_per_entity(client, people, reported):
    answers(reported, 3, overall=1)
    answers(_e2_session(people, reported), 7, overall=5)
    login(client, people.ethics)
    page = main_of(client.get(reverse("feedback:insight")).content.decode())
    assessments = page[page.index("Facilitator assessments (Appendix F)") : page.index("Themes of the answers")]
    rows = {row.split("</th>")[0]: row for row in assessments.split('<th scope="row">')[1:]}
    assert "Results appear after 5 responses" in rows["E1"]  # 3 answers
    assert "Hidden so that a smaller group cannot be worked out" in rows["E2"]  # else the total minus E2 gives E1
    assert "<td>10</td>" in rows["All entities"] and "<td>3.8</td>" in rows["All entities"]  # (3 × 1 + 7 × 5) / 10


def test_participants_comments_appear_only_from_10_answers_in_the_entity(client, people, reported):
    session = _e2_session(people, reported)
    answers(session, 9, comment="The facilitator listened carefully", topic_suggestion="Ethics of data")
    login(client, people.ethics)
    page = main_of(client.get(reverse("feedback:insight")).content.decode())
    assert "Facilitator assessments (Appendix F)" in page and "Working with AI" in page  # the page rendered, with D1's themes
    assert "listened carefully" not in page and "Ethics of data" not in page
    answers(session, 1, comment="The facilitator listened carefully")
    page = main_of(client.get(reverse("feedback:insight")).content.decode())
    assert "The facilitator listened carefully" in page and "Ethics of data" in page


def test_the_csv_export_neutralises_formulas_and_names_its_file(client, people, reported):
    login(client, people.ethics)
    year = reported.cycle.year
    response = client.get(reverse("feedback:insight_export", args=[year, "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="feedback-insight-{year}.csv"'
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert "Working with AI" in cells


def test_the_xlsx_export_has_one_sheet_per_table_and_no_formula(client, people, reported):
    login(client, people.ethics)
    year = reported.cycle.year
    response = client.get(reverse("feedback:insight_export", args=[year, "xlsx"]))
    assert response["Content-Disposition"] == f'attachment; filename="feedback-insight-{year}.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Leader ratings", "Facilitator assessments", "Themes"]
    assert workbook["Leader ratings"]["A2"].value == "E1" and workbook["Leader ratings"]["D2"].value == 1  # guide rated 2
    values = [cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://x")' in values
    assert not [v for v in values if isinstance(v, str) and v[:1] in ("=", "+", "-", "@")]


def test_a_theme_is_named_by_its_most_typical_answer_in_its_own_words():
    result = themes(TEXTS)
    for theme in result:
        assert theme.label.rstrip("…") in " ".join(TEXTS)  # the start of an answer, not a list of words
        assert theme.label.rstrip("…").split()[0] in theme.examples[0]
    assert all(" · " not in t.label for t in result)
