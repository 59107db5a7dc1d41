"""`manage.py demo` on any day: a cycle in progress with at least three weeks behind us, dated up
to today; the cycle before it over, further along, reported and certified; the leaders' reports
that are due. In the first three weeks of January, the cycle in progress is the one whose
deadline has just passed (`demo_data.cycle_year`)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo import people as demo_data
from dialogues.models import Session
from feedback.models import LeaderFeedback
from feedback.selectors import REPORT_WITHIN_DAYS
from org.models import Cycle
from oversight.models import Certification
from oversight.selectors import CascadeState, cascade_states, rollup

D = datetime.date


@pytest.mark.parametrize(
    "today, year, opens",
    [
        (D(2027, 1, 1), 2026, D(2026, 9, 1)),  # New Year's Day: the cycle just closed
        (D(2027, 1, 3), 2026, D(2026, 9, 1)),
        (D(2027, 1, 21), 2026, D(2026, 9, 1)),
        (D(2027, 1, 22), 2027, D(2027, 1, 1)),  # three weeks of the new year behind us
        (D(2027, 3, 10), 2027, D(2027, 1, 9)),  # before September: opened 60 days ago
        (D(2027, 9, 21), 2027, D(2027, 7, 23)),
        (D(2027, 9, 22), 2027, D(2027, 9, 1)),  # the real opening day is three weeks behind us
        (D(2027, 12, 31), 2027, D(2027, 9, 1)),
    ],
)
def test_the_demo_cycle_has_three_weeks_behind_it_on_any_day(today, year, opens):
    assert demo_data.cycle_year(today) == year
    assert demo_data.cycle_window(today) == (opens, D(year, 12, 31))
    assert (min(today, D(year, 12, 31)) - opens).days >= demo_data.MIN_DAYS_BEHIND
    assert demo_data.previous_cycle_window(today) == (D(year - 1, 9, 1), D(year - 1, 12, 31), D(year - 1, 12, 19))


@pytest.mark.clock
@pytest.mark.django_db
def test_the_demo_makes_sense_today(capsys):
    call_command("demo")
    output = capsys.readouterr().out
    today = timezone.localdate()
    cycle = Cycle.objects.current()
    previous = Cycle.objects.get(year=cycle.year - 1)

    assert f"Cycle {cycle.year}," in output and f"Previous cycle {previous.year}," in output
    assert cycle.deadline == D(cycle.year, 12, 31) and (min(today, cycle.deadline) - cycle.opens).days >= demo_data.MIN_DAYS_BEHIND
    dates = list(Session.objects.filter(cycle=cycle).values_list("date", flat=True))
    assert dates and all(cycle.opens <= day <= min(today, cycle.deadline) for day in dates)
    assert previous.deadline < today
    assert all(previous.opens <= day <= previous.deadline for day in Session.objects.filter(cycle=previous).values_list("date", flat=True))
    # In progress: entities at different stages, every state; the previous cycle further along everywhere.
    rates = {e.entity: e.rate for e in rollup(cycle)}
    assert min(rates.values()) < 0.15 and 0.9 < max(rates.values()) < 1
    assert {m.state for m in cascade_states(cycle)} == set(CascadeState)
    assert all(rate > rates[code] for code, rate in ((e.entity, e.rate) for e in rollup(previous)))
    assert list(Certification.objects.filter(cycle=previous).values_list("entity__code", "status")) == [("OHC", "certified")]
    # Leaders reported part of what is due, and nothing held less than the reporting delay ago.
    reported_by = today - datetime.timedelta(days=REPORT_WITHIN_DAYS)
    for each in (cycle, previous):
        forms = LeaderFeedback.objects.filter(session__cycle=each)
        assert 0.5 * Session.objects.filter(cycle=each).count() < forms.count() < Session.objects.filter(cycle=each).count()
        assert not forms.filter(session__date__gt=reported_by).exists()
