"""Suppression across everything one viewer sees (Appendix F): the attacks by subtraction
between tables on different pages, and counts below the threshold. The named test people
(cascade/testing.py): people.head (Hugo) heads E1 and sits in Division A with people.peer (Otto);
people.leader (Lena) is in Division A > Section B; people.focal (Fiona) is E1's focal point;
people.ethics (Eve) is the Ethics Office."""

import datetime
import re

from django.urls import reverse

from cascade.testing import login
from dialogues.models import Session
from feedback.anonymity import Group, groups_to_hide
from feedback.models import FacilitatorAssessment
from org.models import Cycle, Entity, Person, Unit

from .assessments import answers
from .test_questions import main_of

RATINGS = 5  # columns of averages in every assessment table


def table_rows(page: str) -> dict[str, list[str]]:
    """{row label: the texts of its cells} of every table row of the page."""
    rows = {}
    for row in page.split('<th scope="row">')[1:]:
        label, rest = row.split("</th>", 1)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", rest.split("</tr>", 1)[0], re.S)
        rows[label.strip()] = [" ".join(cell.split()) for cell in cells]
    return rows


def shown(cells: list[str]) -> bool:
    """Whether a row shows its averages: its count, then one cell per rating."""
    return len(cells) == 1 + RATINGS


def session_of(leader: Person, ref: str, cycle=None, day=None) -> Session:
    cycle = cycle or Cycle.objects.order_by("-year").first()
    return Session.objects.create(cycle=cycle, leader=leader, ref=ref, date=day or datetime.date(cycle.year, 3, 2))


def row_of(rows: dict, ref: str) -> list[str]:
    return next(cells for label, cells in rows.items() if label.startswith(f"{ref},"))


# --- the attacks --------------------------------------------------------------------------------


def test_head_cannot_recover_one_answer_by_subtraction(client, people, d1):
    # Hugo, head of E1, leads H1 (5 answers, overall 4.0); Otto, in Hugo's unit, gets one answer.
    hugo = Person.objects.get(index_number="P001")
    answers(session_of(hugo, "H1"), 5, overall=4)
    answers(session_of(people.peer.person, "O1"), 1, overall=1, preparation=1, inclusion=1, safety=1, time_use=1)
    login(client, people.head)
    mine = client.get(reverse("feedback:my_assessments"))
    entity = client.get(reverse("feedback:entity_assessments", args=["E1"]))
    assert mine.status_code == entity.status_code == 200
    h1 = row_of(table_rows(main_of(mine.content.decode())), "H1")
    units = table_rows(main_of(entity.content.decode()))
    assert units["Division A"][0] == "6" and h1[0] == "5"  # both groups are on his pages
    # 6 × 3.5 − 5 × 4.0 = 1: Otto's one answer. One of the two must stay hidden: the smaller.
    assert not (shown(h1) and shown(units["Division A"]))
    assert shown(units["Division A"]) and units["Division A"][-1] == "3.5"
    assert "Hidden so that a smaller group cannot be worked out" in h1[1]
    # Lena leads no session in Hugo's unit and heads nothing: her own pages are unchanged.
    answers(d1, 5, overall=5)
    login(client, people.leader)
    assert shown(row_of(table_rows(main_of(client.get(reverse("feedback:my_assessments")).content.decode())), "D1"))


def test_head_cannot_recover_a_pool_of_his_sessions_from_his_unit(client, people, d1):
    hugo = Person.objects.get(index_number="P001")
    answers(session_of(hugo, "H1"), 3, overall=4)
    answers(session_of(hugo, "H2"), 2, overall=4)
    answers(session_of(people.peer.person, "O1"), 2, overall=1)
    login(client, people.head)
    rows = table_rows(main_of(client.get(reverse("feedback:my_assessments")).content.decode()))
    units = table_rows(main_of(client.get(reverse("feedback:entity_assessments", args=["E1"])).content.decode()))
    pool = rows["Your sessions with fewer answers, together"]
    assert pool[0] == "5" and units["Division A"][0] == "7"
    assert not (shown(pool) and shown(units["Division A"]))  # 7 − 5 = Otto's two answers


def test_leader_sees_fewer_than_threshold_not_exact_count(client, people, d1):
    answers(d1, 1, overall=2)
    login(client, people.leader)
    response = client.get(reverse("feedback:my_assessments"))
    page = main_of(response.content.decode())
    assert response.status_code == 200
    d1 = row_of(table_rows(page), "D1")
    assert d1[0] == "fewer than 5" and "Results appear after 5 responses" in d1[1]
    assert "<td>1</td>" not in page


def test_entity_page_and_insight_show_fewer_than_threshold_not_exact_counts(client, people, d1):
    answers(d1, 2)
    answers(session_of(people.peer.person, "O1"), 9)
    login(client, people.ethics)
    units = table_rows(main_of(client.get(reverse("feedback:entity_assessments", args=["E1"])).content.decode()))
    assert units["Division A &gt; Section B"][0] == "fewer than 5" and units["Division A"][0] == "9"
    answers(Session.objects.create(cycle=d1.cycle, leader=Person.objects.get(index_number="P020"), ref="F1", date=d1.date), 3)
    insight = client.get(reverse("feedback:insight"))
    entities = table_rows(main_of(insight.content.decode()))
    assert insight.status_code == 200 and entities["E2"][0] == "fewer than 5" and entities["E1"][0] == "11"


def test_ethics_office_cannot_recover_small_groups_from_total_entity_and_units(client, people, d1):
    # E1: Section B 1 answer, Division A 5, Division C 5 (11); E2 1 answer; E3 12. Total 24.
    # The insight hides E2 (1), then E1, the smaller of the others. If E1's page then showed
    # Division A and Division C, the total − E3 − Division A − Division C would give the
    # two answers of Section B and E2 together.
    division_c = Unit.objects.create(entity=people.e1, path="Division C")
    carla = Person.objects.create(index_number="P050", name="Carla Chief", email="p050@example.org", entity=people.e1, unit=division_c)
    e3 = Entity.objects.create(code="E3", name="Office Three")
    tara = Person.objects.create(index_number="P060", name="Tara Third", email="p060@example.org", entity=e3)
    answers(d1, 1, overall=1)
    answers(session_of(people.peer.person, "O1"), 5, overall=4)
    answers(session_of(carla, "C1"), 5, overall=5)
    answers(session_of(Person.objects.get(index_number="P020"), "F1"), 1, overall=1)
    answers(session_of(tara, "T1"), 12, overall=3)
    login(client, people.ethics)
    insight = table_rows(main_of(client.get(reverse("feedback:insight")).content.decode()))
    e1 = table_rows(main_of(client.get(reverse("feedback:entity_assessments", args=["E1"])).content.decode()))
    assert insight["All entities"][0] == "24" and e1["Division C"][0] == "5"
    subtracted = [insight["All entities"], insight["E3"], e1["Division A"], e1["Division C"]]
    assert not all(shown(cells) for cells in subtracted)
    assert not shown(e1["E1"]) and shown(insight["All entities"])


def test_unit_beside_its_entity_for_the_focal_point_and_the_ethics_office_alike(client, people, d1):
    # Section B 2 answers and Division A 6: the entity's 8 minus Division A would give
    # Section B. Everyone who sees E1's table sees the same cells hidden.
    answers(d1, 2)
    answers(session_of(people.peer.person, "O1"), 6)
    pages = {}
    for who in ("focal", "ethics", "head"):
        login(client, getattr(people, who))
        response = client.get(reverse("feedback:entity_assessments", args=["E1"]))
        assert response.status_code == 200
        pages[who] = table_rows(main_of(response.content.decode()))
    assert pages["focal"] == pages["ethics"] == pages["head"]
    rows = pages["focal"]
    assert rows["E1"][0] == "8" and shown(rows["E1"])
    assert not shown(rows["Division A"]) and not shown(rows["Division A &gt; Section B"])


def test_previous_cycle_small_count_reads_fewer_than_in_the_report_and_its_insight(client, people, d1):
    this = d1.cycle
    last = Cycle.objects.create(year=this.year - 1, topic="Before", opens=datetime.date(this.year - 1, 1, 1), deadline=datetime.date(this.year - 1, 12, 31))
    answers(session_of(people.peer.person, "L1", cycle=last), 3, overall=1)
    answers(session_of(people.peer.person, "N1", cycle=this), 12, overall=5)
    login(client, people.ethics)
    response = client.get(reverse("oversight:annual_report", args=[this.year]))
    page = main_of(response.content.decode())
    assert response.status_code == 200
    row = table_rows(page)["Facilitator assessments (Appendix F)"]
    # This cycle, the previous one, the change: 12 − 3 would give the previous count.
    assert row == ["12", "fewer than 5", "—"]
    overall = table_rows(page)["Facilitator assessment: Overall"]
    assert overall[:2] == ["5.00", "hidden (too few answers)"] and overall[2] == "—"
    before = table_rows(main_of(client.get(reverse("feedback:insight"), {"cycle": last.year}).content.decode()))
    assert before["All entities"][0] == "fewer than 5" and not shown(before["All entities"])
    sheets = client.get(reverse("oversight:annual_report_export", args=[this.year, "xlsx"]))
    assert sheets.status_code == 200 and b"fewer than 5" in _xlsx_text(sheets.content)


def _xlsx_text(content: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return b" ".join(archive.read(name) for name in archive.namelist() if name.endswith(".xml"))


def test_insight_export_shows_fewer_than_threshold(client, people, d1):
    answers(d1, 3)
    login(client, people.ethics)
    response = client.get(reverse("feedback:insight_export", args=[d1.cycle.year, "csv"]))
    text = response.content.decode()
    assert response.status_code == 200 and "E1,fewer than 5," in text and "E1,3," not in text


# --- the one function ---------------------------------------------------------------------------


def groups(*specs):
    """Groups from (key, members, rank); sizes of the atoms follow."""
    return [Group(key, frozenset(members), rank) for key, members, rank in specs]


def test_the_smaller_of_two_nested_groups_is_hidden_when_they_differ_by_fewer_than_the_minimum():
    sizes = {"mine": 5, "other": 1}
    hidden = groups_to_hide(groups(("session", ["mine"], 0), ("unit", ["mine", "other"], 2)), sizes, minimum=5)
    assert hidden == {"session"}


def test_a_group_below_the_minimum_is_hidden_and_its_complement_too():
    sizes = {"A": 6, "B": 2, "C": 8, "D": 0}
    specs = [(name, [name], 1) for name in sizes] + [("total", list(sizes), 2)]
    assert groups_to_hide(groups(*specs), sizes, minimum=5) == {"A", "B"}


def test_the_total_is_hidden_when_no_part_can_cover_the_hidden_one():
    assert groups_to_hide(groups(("A", ["A"], 1), ("total", ["A"], 2)), {"A": 3}, minimum=5) == {"A", "total"}
    hidden = groups_to_hide(groups(("A", ["A"], 1), ("B", ["B"], 1), ("total", ["A", "B"], 2)), {"A": 2, "B": 9}, minimum=5)
    assert hidden == {"A", "B"}


def test_parts_of_a_hidden_entity_do_not_add_up_to_it_under_a_shown_total():
    # E1 = U1 + U2 (6 + 7) is hidden to cover E2 (2) under the total; showing both units would
    # give E1, then E2. One unit goes too.
    sizes = {"U1": 6, "U2": 7, "E2": 2, "E3": 20}
    specs = [("U1", ["U1"], 1), ("U2", ["U2"], 1), ("E1", ["U1", "U2"], 2), ("E2", ["E2"], 2), ("E3", ["E3"], 2), ("total", list(sizes), 3)]
    hidden = groups_to_hide(groups(*specs), sizes, minimum=5)
    assert {"E1", "E2", "U1"} <= hidden and "total" not in hidden and "E3" not in hidden


def test_fixed_decisions_are_kept_and_the_viewers_own_groups_give_way():
    # The unit is published (shown for everyone): the viewer's own session inside it is hidden.
    sizes = {"mine": 6, "rest": 1}
    specs = [("session", ["mine"], 0), ("unit", ["mine", "rest"], 2)]
    assert groups_to_hide(groups(*specs), sizes, minimum=5, fixed={"unit": False}) == {"session"}
    assert groups_to_hide(groups(*specs), sizes, minimum=5, fixed={"unit": True}) == {"unit"}


def test_identical_groups_are_not_a_difference():
    sizes = {"a": 7}
    assert groups_to_hide(groups(("session", ["a"], 0), ("unit", ["a"], 2), ("entity", ["a"], 3)), sizes, minimum=5) == set()


def test_answers_stored_for_a_cancelled_session_count_nowhere(client, people, d1):
    answers(d1, 6)
    d1.status = "cancelled"
    d1.save(update_fields=["status"])
    login(client, people.focal)
    rows = table_rows(main_of(client.get(reverse("feedback:entity_assessments", args=["E1"])).content.decode()))
    assert rows["E1"][0] == "0" and FacilitatorAssessment.objects.count() == 6
