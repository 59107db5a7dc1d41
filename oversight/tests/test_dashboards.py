"""The dashboards: exact numbers on a small hand-built organization, who may open what, no
name on the Ethics Office's pages, bounded queries, and charts with a table beside them.

The organization (cycle 2026, 1 September to 31 December; "today" is 28 November):

    AAA  H (head, led S1 on 7 Sep: M1, M2, X)
         ├─ M1 (led S2 on 5 Oct: P1; S3 on 20 Nov: N)   in progress, P2 not reached
         │   ├─ P1, P2, Z (inactive)
         │   └─ N (ready since 20 Nov: 8 days) ── N1
         ├─ M2 (ready since 7 Sep: 82 days) ── Q1, M3 (waiting) ── R1, R2
         └─ X  (in BBB, attended S1) ── Y
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from cascade.testing import make_user
from dialogues.models import Attendance, Session
from org.models import Cycle, Entity, Person, Unit
from oversight import dashboards, tree
from oversight.selectors import cascade_states, rollup

TODAY = datetime.date(2026, 11, 28)
D = datetime.date

PEOPLE = [
    # index, manager, entity, unit, category, location type
    ("H", None, "AAA", "Front", "international", "headquarters"),
    ("M1", "H", "AAA", "Ops", "national", "field"),
    ("M2", "H", "AAA", "Ops", "international", "away"),
    ("P1", "M1", "AAA", "Ops", "national", "field"),
    ("P2", "M1", "AAA", "Ops", "", ""),
    ("Z", "M1", "AAA", "Ops", "national", "field"),
    ("N", "M1", "AAA", "Ops", "international", "headquarters"),
    ("N1", "N", "AAA", "Ops", "non-staff", "away"),
    ("Q1", "M2", "AAA", "Ops", "non-staff", "field"),
    ("M3", "M2", "AAA", "Ops > Team", "national", "field"),
    ("R1", "M3", "AAA", "Ops > Team", "national", "field"),
    ("R2", "M3", "AAA", "Ops > Team", "national", "field"),
    ("X", "H", "BBB", "", "international", "field"),
    ("Y", "X", "BBB", "", "national", "field"),
]
SESSIONS = [("S1", "H", D(2026, 9, 7), ["M1", "M2", "X"]), ("S2", "M1", D(2026, 10, 5), ["P1"]), ("S3", "M1", D(2026, 11, 20), ["N"])]


def build_org(people=PEOPLE, sessions=SESSIONS) -> Cycle:
    entities = {code: Entity.objects.get_or_create(code=code, defaults={"name": f"Entity {code}"})[0] for code in {p[2] for p in people}}
    units = {}
    for _index, _manager, code, path, *_rest in people:
        if path and (code, path) not in units:
            parent = units.get((code, path.rsplit(" > ", 1)[0])) if " > " in path else None
            units[(code, path)] = Unit.objects.create(entity=entities[code], path=path, parent=parent)
    Person.objects.bulk_create(
        [
            Person(
                index_number=index,
                name=f"Person {index} Named",
                email=f"{index.lower()}@example.org",
                manager_id=manager,
                entity=entities[code],
                unit=units.get((code, path)),
                category=category,
                location_type=location,
                active=index != "Z",
            )
            for index, manager, code, path, category, location in people
        ]
    )
    cycle = Cycle.objects.create(year=2026, topic="Speaking up", opens=D(2026, 9, 1), deadline=D(2026, 12, 31))
    ids = dict(Person.objects.values_list("index_number", "pk"))
    for ref, leader, day, attendees in sessions:
        session = Session.objects.create(cycle=cycle, leader_id=ids[leader], ref=ref, date=day)
        Attendance.objects.bulk_create([Attendance(session=session, person_id=ids[a]) for a in attendees])
    return cycle


@pytest.fixture
def cycle(db):
    return build_org()


def entity_id(code):
    return Entity.objects.get(code=code).pk


def person_id(index):
    return Person.objects.get(index_number=index).pk


@pytest.fixture
def fiona(cycle):
    """Focal point of AAA."""
    return make_user("fiona@example.org", None, (Role.FOCAL_POINT, "AAA"))


@pytest.fixture
def eve(cycle):
    """Ethics Office."""
    return make_user("eve@example.org", None, (Role.ETHICS_OFFICE, None))


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("oversight.views.dashboards.timezone.localdate", lambda value=None: TODAY)
    return TODAY


# -- numbers --------------------------------------------------------------------------------------


def pairs(rows):
    return {row.key: (row.personnel, row.participants) for row in rows}


def test_coverage_by_category_and_location_type(cycle):
    breakdown = dashboards.progress_report(cycle, entity_ids=[entity_id("AAA")], today=TODAY).breakdown[entity_id("AAA")]
    assert pairs(breakdown.category) == {"international": (3, 3), "national": (5, 2), "non-staff": (2, 0), "": (1, 0)}
    assert pairs(breakdown.location) == {"headquarters": (2, 2), "away": (2, 1), "field": (6, 2), "": (1, 0)}


def test_coverage_breakdown_of_everyone_adds_up_to_the_rollup(cycle):
    everyone = dashboards.progress_report(cycle, today=TODAY).breakdown[None]
    total = rollup(cycle)
    assert sum(r.personnel for r in everyone.category) == sum(e.personnel for e in total) == 13
    assert sum(r.participants for r in everyone.location) == sum(e.participants for e in total) == 6


def test_entity_states_agree_with_the_cascade_contract(cycle):
    aaa = entity_id("AAA")
    contract = {}
    for m in cascade_states(cycle, entity_ids=[aaa]):
        contract[m.state] = contract.get(m.state, 0) + 1
    counts = tree.entity_cascade(cycle, aaa, today=TODAY).counts
    assert counts == {"waiting": 1, "ready": 2, "in_progress": 1, "complete": 1}
    assert {k: v for k, v in counts.items() if v} == contract


def test_tree_starts_at_the_top_of_the_entity_and_expands_one_level(cycle):
    aaa = entity_id("AAA")
    [top] = tree.tree_level(cycle, aaa)
    assert (top.index_number, top.state, top.reports, top.reports_reached, top.sub_managers) == ("H", "complete", 3, 3, 2)
    assert top.people_below is None  # not blocked
    below_h = {n.index_number: n for n in tree.tree_level(cycle, aaa, parent="H")}
    assert list(below_h) == ["M1", "M2"]  # X belongs to BBB
    assert (below_h["M2"].state, below_h["M2"].ready_since, below_h["M2"].people_below) == ("ready", D(2026, 9, 7), 4)
    [m3] = tree.tree_level(cycle, aaa, parent="M2")
    assert (m3.index_number, m3.state, m3.people_below, m3.sub_managers) == ("M3", "waiting", 2, 0)
    # The dashboard's single query gives the same level.
    assert tree.entity_cascade(cycle, aaa, today=TODAY, parent="H").level == list(below_h.values())
    assert tree.entity_cascade(cycle, aaa, today=TODAY).level == [top]


def test_people_below_counts_the_whole_active_subtree(cycle):
    ids = {person_id(i): i for i in ("H", "M1", "M2", "M3", "N")}
    counts = {ids[pk]: n for pk, n in tree.people_below(list(ids)).items()}
    assert counts == {"H": 12, "M1": 4, "M2": 4, "M3": 2, "N": 1}  # Z is inactive, X and Y count below H


def ready_list(cycle, today):
    return tree.entity_cascade(cycle, entity_id("AAA"), today=today).ready_too_long.managers


def test_ready_for_more_than_14_days_lists_only_the_old_ones(cycle):
    chase = tree.entity_cascade(cycle, entity_id("AAA"), today=TODAY).ready_too_long
    assert [(m.index_number, m.ready_since, m.people_below) for m in chase.managers] == [("M2", D(2026, 9, 7), 4)]
    assert chase.total == 1
    # N became ready on 20 November: 14 days later is not yet "more than 14 days".
    assert [m.index_number for m in ready_list(cycle, D(2026, 12, 4))] == ["M2"]
    assert [m.index_number for m in ready_list(cycle, D(2026, 12, 5))] == ["M2", "N"]


def test_reports_not_reached_lists_managers_with_sessions_and_missing_reports(cycle):
    chase = tree.entity_cascade(cycle, entity_id("AAA"), today=TODAY).reports_not_reached
    assert [(m.index_number, m.sessions_led, m.reports, m.unreached) for m in chase.managers] == [("M1", 2, 3, 1)]


def test_sessions_not_reported_lists_held_sessions_without_feedback(cycle):
    not_reported = tree.sessions_not_reported(cycle, entity_id("AAA"), today=TODAY)
    assert not_reported.total == 3
    dates = [s.date for s in not_reported.sessions]
    assert dates == [D(2026, 9, 7), D(2026, 10, 5), D(2026, 11, 20)]  # none has feedback yet
    # Two days after the last one, it is not yet "not reported".
    assert D(2026, 11, 20) not in [s.date for s in tree.sessions_not_reported(cycle, entity_id("AAA"), today=D(2026, 11, 22)).sessions]


def test_weekly_progress_is_cumulative_by_iso_week(cycle):
    weeks = dashboards.progress_report(cycle, entity_ids=[entity_id("AAA")], today=TODAY).weeks
    assert weeks[0].start == D(2026, 8, 31) and weeks[-1].start == D(2026, 11, 23)
    by_week = {w.start: (w.new, w.cumulative) for w in weeks}
    assert by_week[D(2026, 9, 7)] == (3, 3)  # H led, M1 and M2 attended
    assert by_week[D(2026, 9, 28)] == (0, 3)
    assert by_week[D(2026, 10, 5)] == (1, 4)  # P1
    assert by_week[D(2026, 11, 16)] == (1, 5)  # N
    assert by_week[D(2026, 11, 23)] == (0, 5)
    everyone = dashboards.progress_report(cycle, today=TODAY).weeks
    assert everyone[-1].cumulative == 6 and {w.start: w.new for w in everyone}[D(2026, 9, 7)] == 4  # X too


def test_entity_progress_pace_forecast_and_risk(cycle):
    report = dashboards.progress_report(cycle, today=TODAY)
    aaa, bbb = report.entities
    assert (aaa.code, aaa.personnel, aaa.participants, aaa.recent) == ("AAA", 11, 5, 1)
    # 6 people left at 1 person per 28 days: 168 days, after the deadline.
    assert aaa.forecast == TODAY + datetime.timedelta(days=168) and not aaa.on_time and aaa.risk == "late"
    assert (bbb.personnel, bbb.participants, bbb.recent, bbb.forecast, bbb.risk) == (2, 1, 0, None, "pace")
    assert (report.total.personnel, report.total.participants, report.total.recent) == (13, 6, 1)
    assert [(r.entity, r.personnel, r.participants) for r in rollup(cycle)] == [("AAA", 11, 5), ("BBB", 2, 1)]


def test_forecast_is_linear_on_the_last_four_weeks():
    # 40 left, 40 reached in the last 28 days: 28 more days.
    assert dashboards.forecast_date(personnel=100, participants=60, recent=40, today=TODAY) == D(2026, 12, 26)
    assert dashboards.forecast_date(personnel=100, participants=60, recent=0, today=TODAY) is None
    assert dashboards.forecast_date(personnel=100, participants=100, recent=0, today=TODAY) == TODAY


def test_risk_rule():
    deadline = D(2026, 12, 31)
    on_time = D(2026, 12, 26)
    assert dashboards.risk_of(personnel=100, participants=60, forecast=on_time, deadline=deadline, weeks_left=4.7) == ""
    assert dashboards.risk_of(personnel=100, participants=40, forecast=on_time, deadline=deadline, weeks_left=4.7) == "low"
    assert dashboards.risk_of(personnel=100, participants=40, forecast=on_time, deadline=deadline, weeks_left=8) == ""
    assert dashboards.risk_of(personnel=100, participants=90, forecast=D(2027, 1, 2), deadline=deadline, weeks_left=4.7) == "late"
    assert dashboards.risk_of(personnel=100, participants=90, forecast=None, deadline=deadline, weeks_left=4.7) == "pace"
    assert dashboards.risk_of(personnel=100, participants=100, forecast=None, deadline=deadline, weeks_left=0) == ""


# -- pages and scope ------------------------------------------------------------------------------


def entity_page(client, user, code="AAA", **query):
    client.force_login(user)
    return client.get(reverse("oversight:entity", args=[code]), query)


def test_focal_point_sees_tree_chase_lists_and_sessions_with_names(client, fiona, today):
    response = entity_page(client, fiona)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Person H Named" in page and "Person M2 Named" not in page.split('id="chase-heading"')[0].split('class="tree"')[1].split("</ul>")[0]
    chase = page.split('id="chase-heading"')[1].split('id="sessions-heading"')[0]
    assert "Person M2 Named" in chase and "Person M1 Named" in chase
    assert reverse("dialogues:session_detail", args=[Session.objects.get(ref="S2").pk]) in page
    sessions = page.split('id="sessions-heading"')[1]
    assert sessions.index(">S3<") < sessions.index(">S2<") < sessions.index(">S1<")  # latest first
    assert '<td class="num">3</td></tr>' in sessions  # S1's three participants
    assert "?manager=H" in page  # the link that opens H's managers without JavaScript


def test_tree_link_without_javascript_opens_the_level_with_the_path(client, fiona, today):
    page = entity_page(client, fiona, manager="M2").content.decode()
    assert "<html" in page and 'aria-current="location"><bdi>Person M2 Named</bdi>' in page
    assert "Person M3 Named" in page and "2 people below, waiting" in page


def test_tree_fragment_for_htmx(client, fiona, today):
    client.force_login(fiona)
    response = client.get(reverse("oversight:entity", args=["AAA"]), {"manager": "H"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page and page.strip().startswith('<ul class="tree">')
    assert "Person M1 Named" in page and "Person M2 Named" in page and "Person X Named" not in page
    assert "4 people below, waiting" in page
    assert "HX-Request" in response["Vary"]


def test_tree_of_a_manager_of_another_entity_is_404(client, fiona, today):
    assert entity_page(client, fiona, manager="X").status_code == 404
    assert entity_page(client, fiona, manager="nobody").status_code == 404


def test_focal_point_gets_404_for_other_entity_dashboard(client, fiona, today):
    assert entity_page(client, fiona, "BBB").status_code == 404


def test_manager_without_grants_gets_404(client, cycle, today):
    nina = make_user("m1@example.org", "M1")  # a manager, not a head (H is above her in AAA)
    assert entity_page(client, nina).status_code == 404
    assert client.get(reverse("oversight:ethics_office")).status_code == 404


def test_head_of_entity_opens_own_dashboard(client, cycle, today):
    head = make_user("h@example.org", "H")
    assert entity_page(client, head).status_code == 200
    assert entity_page(client, head, "BBB").status_code == 404


def test_ethics_office_dashboard_is_404_for_a_focal_point(client, fiona):
    client.force_login(fiona)
    assert client.get(reverse("oversight:ethics_office")).status_code == 404


def test_ethics_office_sees_entity_numbers_without_names_or_tree(client, eve, today):
    response = entity_page(client, eve)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ops &gt; Team" in page and 'class="tree"' not in page
    assert "3 sessions led by people of the entity, 5 attendances recorded." in page
    assert "dialogues/sessions/" not in page  # no link to a sign-in sheet
    for name in Person.objects.values_list("name", flat=True):
        assert name not in page
    assert entity_page(client, eve, manager="H").status_code == 404


def test_ethics_office_dashboard_numbers(client, eve, today):
    client.force_login(eve)
    page = client.get(reverse("oversight:ethics_office")).content.decode()
    assert reverse("oversight:entity", args=["BBB"]) in page
    assert "Nobody reached in the last 4 weeks." in page  # BBB
    assert "after the deadline" in page  # AAA
    for name in Person.objects.values_list("name", flat=True):
        assert name not in page


@pytest.mark.parametrize("url_name", ["oversight:ethics_office", "oversight:entity"])
def test_charts_are_images_with_a_title_and_a_table_below(client, eve, today, url_name):
    client.force_login(eve)
    page = client.get(reverse(url_name, args=["AAA"] if url_name == "oversight:entity" else [])).content.decode()
    charts = re.findall(r'<svg class="chart"[^>]*role="img"[^>]*aria-labelledby="([\w-]+)-title [\w-]+-desc"', page)
    assert charts
    for chart_id in charts:
        assert f'<title id="{chart_id}-title">' in page
        after = page.split(f'<title id="{chart_id}-title">')[1]
        assert "<table" in after.split("<svg")[0]  # a table before the next chart
    assert "deadline" in page.lower()


# -- no names for the Ethics Office, on the demo --------------------------------------------------


def test_ethics_office_pages_of_the_demo_hold_no_name(client, db):
    call_command("demo", stdout=open("/dev/null", "w"))
    eve = make_user("eve-demo@example.org", None, (Role.ETHICS_OFFICE, None))
    client.force_login(eve)
    pages = [client.get(reverse("oversight:ethics_office"))]
    pages += [client.get(reverse("oversight:entity", args=[code])) for code in Entity.objects.values_list("code", flat=True)]
    assert all(p.status_code == 200 for p in pages)
    names = list(Person.objects.filter(active=True).values_list("name", flat=True))
    assert len(names) > 100
    for response in pages:
        html = response.content.decode()
        found = [name for name in names if name in html]
        assert not found, f"{response.request['PATH_INFO']} shows {found[:3]}"


# -- queries stay bounded ------------------------------------------------------------------------


def grow(n: int) -> None:
    """Add n teams of five under M3, each with a session: more people, managers and sessions."""
    extra = [(f"T{i}", "M3", "AAA", "Ops > Team", "national", "field") for i in range(n)]
    extra += [(f"T{i}R{j}", f"T{i}", "AAA", "Ops > Team", "national", "field") for i in range(n) for j in range(5)]
    ops = Unit.objects.get(path="Ops > Team")
    entity = Entity.objects.get(code="AAA")
    Person.objects.bulk_create(
        [Person(index_number=i, name=f"Extra {i}", email=f"{i.lower()}@example.org", manager_id=m, entity=entity, unit=ops) for i, m, *_r in extra]
    )
    cycle = Cycle.objects.get()
    ids = dict(Person.objects.values_list("index_number", "pk"))
    for i in range(n):
        session = Session.objects.create(cycle=cycle, leader_id=ids[f"T{i}"], ref=f"X{i}", date=D(2026, 11, 2))
        Attendance.objects.bulk_create([Attendance(session=session, person_id=ids[f"T{i}R{j}"]) for j in range(3)])


@pytest.mark.parametrize("teams", [0, 40])
def test_dashboards_queries_are_bounded(client, fiona, eve, today, django_assert_max_num_queries, teams):
    """The same number of queries for 14 people or 254, 3 sessions or 43 (today on SQLite: 16, 17,
    9 and 8, the certification status and the count of sessions not reported being one query
    each on a full entity page; PostgreSQL adds one, the SET LOCAL that turns JIT off)."""
    grow(teams)
    url = reverse("oversight:entity", args=["AAA"])
    client.force_login(fiona)
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(19):
        assert client.get(url, {"manager": "M3"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url, {"manager": "M3"}, headers={"HX-Request": "true"}).status_code == 200
    client.force_login(eve)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("oversight:ethics_office")).status_code == 200
