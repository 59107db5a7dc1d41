"""Whose names a user may see (`nameable_people`), whom a session's uploads may match
(`recordable_people`), and the resolver of typed index numbers and e-mail addresses.

Personas (personas.two_entities): in OPS, hana heads; leo leads rita → gus → gia (three levels)
and ian (inactive); pia and fay (the focal point) report to hana. In FIN, fred heads; olive
and gwen report to fred.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from accounts.scope import above_pairs, chain_below, scope_for
from accounts.tests.personas import two_entities
from cascade.testing import make_user
from dialogues.models import Attendance, Invitation, Session
from dialogues.scope import Purpose, nameable_people, recordable_people, refusal_message, resolve_people
from org.models import Cycle, Person


@pytest.fixture
def people(db):
    return two_entities()


@pytest.fixture
def cycle(db):
    return Cycle.objects.create(year=2026, topic="Speaking up", opens=datetime.date(2026, 9, 1), deadline=datetime.date(2026, 12, 31))


def session_of(leader, cycle, ref="S1", **fields):
    return Session.objects.create(cycle=cycle, leader=leader, ref=ref, date=datetime.date(2026, 10, 15), **fields)


def keys(people, queryset):
    by_pk = {p.pk: key for key, p in people.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}


def scope_of(people, key, *grants):
    return scope_for(make_user(f"{key}@example.org", people[key].index_number, *grants))


# -- the chain below someone -------------------------------------------------------------------


def test_chain_below_reaches_three_levels_down_and_no_further_up_or_sideways(people):
    assert keys(people, chain_below(people["leo"])) == {"rita", "gus", "gia", "ian"}
    assert keys(people, chain_below(people["gus"])) == {"gia"}
    assert keys(people, chain_below(people["gia"])) == set()


def test_chain_below_is_one_query(people, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(list(chain_below(people["hana"]))) == 7  # everyone of OPS but hana


def test_chain_below_ends_on_a_loop_in_the_reporting_lines(people):
    Person.objects.filter(pk=people["leo"].pk).update(manager_id="D100005")  # gia manages leo: a loop
    assert keys(people, chain_below(people["leo"])) == {"rita", "gus", "gia", "ian"}


def test_above_pairs_keeps_only_managers_above_the_person_at_any_depth(people):
    asked = {("D100002", "D100005"), ("D100003", "D100005"), ("D100006", "D100005"), ("D100005", "D100002"), ("D100001", "D100102")}
    assert above_pairs(asked) == {("D100002", "D100005"), ("D100003", "D100005")}


# -- whose names -------------------------------------------------------------------------------


def test_leader_names_themselves_their_chain_and_people_of_their_sessions(people, cycle):
    session = session_of(people["leo"], cycle)
    Invitation.objects.create(session=session, person=people["gwen"])  # a guest from FIN
    assert keys(people, nameable_people(scope_of(people, "leo"))) == {"leo", "rita", "gus", "gia", "ian", "gwen"}


def test_participant_names_themselves_and_the_leader_of_the_session_they_attended(people, cycle):
    session = session_of(people["leo"], cycle)
    Attendance.objects.create(session=session, person=people["rita"])
    Attendance.objects.create(session=session, person=people["olive"])
    assert keys(people, nameable_people(scope_of(people, "olive"))) == {"olive", "leo"}  # not rita, her fellow attendee
    assert keys(people, nameable_people(scope_of(people, "pia"))) == {"pia"}


def test_focal_point_names_their_entity_and_the_guests_of_its_sessions_only(people, cycle):
    session = session_of(people["leo"], cycle)
    Invitation.objects.create(session=session, person=people["gwen"])
    named = keys(people, nameable_people(scope_of(people, "fay", (Role.FOCAL_POINT, "OPS"))))
    assert named == {"hana", "leo", "rita", "gus", "gia", "pia", "fay", "ian", "gwen"}  # not fred nor olive


def test_monitor_names_the_people_of_the_monitored_session_only(people, cycle):
    session = session_of(people["leo"], cycle, monitor=people["olive"])
    Invitation.objects.create(session=session, person=people["gus"])
    # The session: its leader and its invitees; not the rest of the leader's team.
    assert keys(people, nameable_people(scope_of(people, "olive"))) == {"olive", "leo", "gus"}


def test_ethics_office_as_such_names_nobody(people, cycle):
    Invitation.objects.create(session=session_of(people["leo"], cycle), person=people["rita"])
    eve = make_user("eve@example.org", None, (Role.ETHICS_OFFICE, None))
    assert not nameable_people(scope_for(eve)).exists()
    assert Person.objects.count() == 11


def test_uploads_of_a_session_match_its_invitees_and_the_leaders_chain_only(people, cycle):
    session = session_of(people["leo"], cycle, monitor=people["pia"])
    Invitation.objects.create(session=session, person=people["gwen"])
    assert keys(people, recordable_people(scope_of(people, "leo"), session)) == {"rita", "gus", "gia", "ian", "gwen"}
    # The monitor: the session's invitees (and attendees) only, not the leader's team.
    assert keys(people, recordable_people(scope_of(people, "pia"), session)) == {"gwen"}
    assert keys(people, recordable_people(scope_of(people, "olive"), session)) == set()


# -- the resolver ------------------------------------------------------------------------------


def test_resolver_matches_index_numbers_and_addresses_within_the_chain(people):
    result = resolve_people(scope_of(people, "leo"), ["D100005", "RITA@example.org", " D100005 "], purpose=Purpose.INVITE)
    assert [p.index_number for p in result.found] == ["D100005", "D100003"]
    assert result.refused == []


def test_unknown_and_out_of_scope_index_get_same_message(people):
    result = resolve_people(scope_of(people, "leo"), ["D100102", "D100999", "olive@example.org", "nobody@example.org", "D100006"], purpose=Purpose.INVITE)
    assert result.found == []
    assert result.refused == ["D100102", "D100999", "olive@example.org", "nobody@example.org", "D100006"]
    existing, missing = result.messages()[0], result.messages()[1]
    assert existing == "D100102: not someone you can invite — ask your focal point"
    assert existing.replace("D100102", "D100999") == missing


def test_resolver_takes_two_reads_whether_or_not_anyone_exists(people):
    scope = scope_of(people, "leo")
    counts = []
    for entries in (["D100102", "D100103"], ["D109998", "D109999"], ["D100005", "D100003"]):
        with CaptureQueriesContext(connection) as queries:
            resolve_people(scope, entries, purpose=Purpose.INVITE)
        counts.append(len(queries))
        assert len([q for q in queries if q["sql"].startswith("SELECT") or q["sql"].startswith("WITH")]) == 2
    assert len(set(counts)) == 1  # savepoints and settings included


@pytest.mark.parametrize("who, grants", [("leo", ()), ("gus", ()), ("olive", ()), ("fay", ((Role.FOCAL_POINT, "OPS"),)), ("hana", ())])
def test_asking_about_some_people_answers_as_the_whole_rule_does(people, cycle, who, grants):
    session = session_of(people["leo"], cycle, monitor=people["olive"])
    Invitation.objects.create(session=session, person=people["gwen"])
    Attendance.objects.create(session=session, person=people["fred"])
    scope = scope_of(people, who, *grants)
    everyone = [p.pk for p in people.values()]
    assert keys(people, nameable_people(scope, among=everyone)) == keys(people, nameable_people(scope))
    assert keys(people, recordable_people(scope, session, among=everyone)) == keys(people, recordable_people(scope, session))
    some = [people["gia"].pk, people["olive"].pk]
    assert keys(people, nameable_people(scope, among=some)) == keys(people, nameable_people(scope)) & {"gia", "olive"}


def test_resolver_refuses_someone_who_left(people):
    result = resolve_people(scope_of(people, "leo"), ["D100008"], purpose=Purpose.INVITE)
    assert result.found == [] and result.refused == ["D100008"]


def test_record_resolution_needs_the_session_and_keeps_to_it(people, cycle):
    session = session_of(people["leo"], cycle)
    with pytest.raises(ValueError):
        resolve_people(scope_of(people, "leo"), ["D100003"], purpose=Purpose.RECORD)
    result = resolve_people(scope_for(people["leo"].user), ["D100003", "D100102", "D100002"], purpose=Purpose.RECORD, session=session)
    assert [p.index_number for p in result.found] == ["D100003"]
    assert result.messages() == [refusal_message("D100102", Purpose.RECORD), refusal_message("D100002", Purpose.RECORD)]


def test_guest_needs_index_number_and_address_of_the_same_person(people, cycle):
    session = session_of(people["leo"], cycle)
    fay = scope_of(people, "fay", (Role.FOCAL_POINT, "OPS"))
    entries = ["D100103 gwen@example.org", "D100102 gwen@example.org", "D100102", "olive@example.org"]
    result = resolve_people(fay, entries, purpose=Purpose.GUEST, session=session)
    assert [p.index_number for p in result.found] == ["D100103"]
    assert result.refused == entries[1:]


def test_guest_of_a_session_outside_the_users_entities_resolves_nobody(people, cycle):
    fred_session = session_of(people["fred"], cycle)
    fay = scope_of(people, "fay", (Role.FOCAL_POINT, "OPS"))
    result = resolve_people(fay, ["D100102 olive@example.org"], purpose=Purpose.GUEST, session=fred_session)
    assert result.found == [] and result.refused == ["D100102 olive@example.org"]


def test_head_names_the_focal_point_from_another_entity_who_submitted_their_certification(people, cycle):
    from core.models import AuditEntry
    from oversight.models import Certification

    former = make_user("olive@example.org", "D100102")  # of FIN; no longer focal point of OPS
    # As certification_submit writes it: the certification and its audit entry ("<code>/<year>"),
    # which is what names the signatory (the scope reads the audit trail, not the certification).
    Certification.objects.create(entity=people["hana"].entity, cycle=cycle, status="submitted", submitted_by=former)
    AuditEntry.objects.create(actor=former, action="certification.submit", target="OPS/2026")
    AuditEntry.objects.create(actor=make_user("gwen@example.org", "D100103"), action="certification.submit", target="OPS/2026")
    AuditEntry.objects.create(actor=make_user("fred@example.org", "D100101"), action="certification.reopen", target="OPS/2026")
    named = keys(people, nameable_people(scope_of(people, "hana")))
    assert {"olive", "gwen"} <= named and "fred" not in named
