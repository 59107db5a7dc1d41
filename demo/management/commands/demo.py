"""Load the demonstration organization with this year's cycle in progress and last year's cycle
over, and print one login per role, so that anyone can try every screen of Cascade a minute
after installing it. (In the first weeks of January, "this year's" cycle is the one whose deadline
has just passed: see `demo_data.cycle_year`.)

The organization goes through the same import service as a real file, the cycles through
`cycle_open`, the sessions through the attendance import, the leaders' feedback through the
feedback service and last year's certification through the certification services: the demo
obeys the production rules. Running it again gives the same state and prints the same text: the
people come out unchanged, sessions are replaced under the same references, accounts are updated
rather than duplicated, feedback already given and a certification already made are kept.
"""

import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, RoleGrant, User
from demo import people as demo_data
from demo.kit import load_demo_kit
from dialogues.models import Session
from dialogues.services import attendance_import, cycle_open
from feedback.models import LeaderFeedback, Question
from feedback.selectors import REPORT_WITHIN_DAYS
from feedback.services import leader_feedback_save
from kit.models import Scenario
from org.models import Entity, Person
from org.services import org_import
from oversight.certification import certification_certify, certification_submit
from oversight.models import Certification, CertificationStatus
from oversight.selectors import CascadeState, cascade_states, rollup

PASSWORD = "cascade-demo"  # noqa: S105 (the demo's published password)
URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "Load the demonstration organization with a cycle in progress and last year's over, and print a login per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even though the database holds people who are not the demo's (they become inactive)",
        )

    def handle(self, *args, force, **options):
        # The import is a complete snapshot: on a real database it would deactivate everyone.
        outsiders = Person.objects.active().exclude(email__iendswith="@" + demo_data.EMAIL_DOMAIN).count()
        if outsiders and not force:
            raise CommandError(
                f"{outsiders} active people are not part of the demo and would become inactive; use --force to go ahead",
                returncode=2,
            )
        today = timezone.localdate()
        people = demo_data.build_people()
        sessions = demo_data.plan_sessions(people)
        opens, deadline = demo_data.cycle_window(today)
        last = min(today, deadline)
        previous_sessions = demo_data.plan_sessions(people, seed=demo_data.PREVIOUS_PLAN_SEED, progress=demo_data.PREVIOUS_PROGRESS, guests=())
        previous_opens, previous_deadline, previous_last = demo_data.previous_cycle_window(today)
        personas = demo_data.choose_personas(people, sessions)
        with transaction.atomic():
            org = org_import(table=demo_data.org_table(people))
            if not org.ok:
                raise CommandError("the demo organization was rejected: " + "; ".join(map(str, org.errors[:5])))
            cycle, _created = cycle_open(year=demo_data.cycle_year(today), topic=demo_data.TOPIC, opens=opens, deadline=deadline)
            kit = load_demo_kit(cycle)
            held = attendance_import(table=demo_data.attendance_table(sessions, opens, last), cycle=cycle)
            if not held.ok:
                raise CommandError("the demo sessions were rejected: " + "; ".join(map(str, held.errors[:5])))
            # Last year's cycle, over: the annual report compares this year with it.
            previous, _created = cycle_open(year=cycle.year - 1, topic=demo_data.PREVIOUS_TOPIC, opens=previous_opens, deadline=previous_deadline)
            held_before = attendance_import(table=demo_data.attendance_table(previous_sessions, previous_opens, previous_last), cycle=previous)
            if not held_before.ok:
                raise CommandError("last year's demo sessions were rejected: " + "; ".join(map(str, held_before.errors[:5])))
            logins = _accounts(people, personas)
        # Leaders report through the feedback service, one durable transaction per form as from the
        # form itself, so after the block above. This year, only sessions at least the reporting
        # delay old; last year's feedback comes before its certification, which freezes it.
        reported_by = today - datetime.timedelta(days=REPORT_WITHIN_DAYS)
        due = [s for s in sessions if demo_data.session_date(s.when, opens, last) <= reported_by]
        _leader_feedback(cycle, demo_data.plan_feedback(people, due, **_feedback_options("current"), scenarios=kit.scenarios.count()))
        _leader_feedback(previous, demo_data.plan_feedback(people, previous_sessions, **_feedback_options("previous")))
        _certify(previous, personas)
        self._report(cycle, held, previous, held_before, logins)

    def _report(self, cycle, held, previous, held_before, logins):
        out = self.stdout.write
        entities = rollup(cycle)
        states = dict.fromkeys(sorted(CascadeState.values), 0)
        for manager in cascade_states(cycle):
            states[manager.state] += 1
        names = dict(Entity.objects.values_list("code", "name"))
        out(f"Cascade demo: {len(entities)} entities, {sum(e.personnel for e in entities)} people.")
        out(f"Cycle {cycle.year}, “{cycle.topic}”, {cycle.opens} to {cycle.deadline}.")
        out(f"Sessions held: {len(held.sessions)}, sign-ins {held.participants}, guests not in the organization file {held.unmatched}.")
        out("Managers: " + ", ".join(f"{state.replace('_', ' ')} {count}" for state, count in states.items()) + ".")
        certified = (
            Certification.objects.filter(cycle=previous, status=CertificationStatus.CERTIFIED).order_by("entity__code").values_list("entity__code", flat=True)
        )
        out(
            f"Previous cycle {previous.year}, “{previous.topic}”: sessions held {len(held_before.sessions)}, sign-ins {held_before.participants}, Appendix E certified by {', '.join(certified) or 'nobody'}."
        )
        forms = {c.year: LeaderFeedback.objects.filter(session__cycle=c).count() for c in (cycle, previous)}
        asked = {c.year: Question.objects.filter(cycle=c).count() for c in (cycle, previous)}
        out(
            f"Leader feedback forms: {forms[cycle.year]} in {cycle.year}, {forms[previous.year]} in {previous.year}; questions forwarded to the Ethics Office: {asked[cycle.year]} and {asked[previous.year]}."
        )
        out("")
        width = max(len(name) for name in names.values())
        for e in entities:
            out(f"  {e.entity:<5} {names[e.entity]:<{width}}  {e.participants:>3} of {e.personnel:>3} reached  {e.rate:>4.0%}")
        out("")
        out(f"Open {URL} and log in with one of these (the Django admin is at {URL}admin/):")
        out("")
        rows = [("role", "e-mail", "password")] + [(role, user.email, PASSWORD) for role, user in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        for role, email, password in rows:
            out(f"  {role:<{widths[0]}}  {email:<{widths[1]}}  {password}")


def _feedback_options(which: str) -> dict:
    return {
        "seed": f"{demo_data.FEEDBACK_SEED}-{which}",
        "share": demo_data.FEEDBACK_SHARE[which],
        "ratings": demo_data.FEEDBACK_RATINGS[which],
        "questions": demo_data.QUESTIONS[which],
    }


def _leader_feedback(cycle, planned: list[demo_data.DemoFeedback]) -> None:
    """Appendix C for the planned sessions of the cycle that have none yet, through the service
    a leader's form calls (which also forwards their unanswered questions). Feedback already
    given is kept: a certified entity's is frozen, and a leader may have edited theirs."""
    waiting = {(s.leader.index_number, s.ref): s for s in Session.objects.filter(cycle=cycle, feedback__isnull=True).select_related("leader")}
    scenarios = {s.order: s for s in Scenario.objects.filter(kit__cycle=cycle)}
    for feedback in planned:
        session = waiting.get((feedback.leader, feedback.ref))
        if session is None:
            continue
        data = {
            "participants": feedback.participants,
            "unit_personnel": feedback.unit_personnel,
            "guide_rating": feedback.guide_rating,
            "topics_rating": feedback.topics_rating,
            "scenarios_used": [scenarios[order] for order in feedback.scenarios],
            "went_well": feedback.went_well,
            "went_badly": feedback.went_badly,
            "recommended_topics": feedback.recommended_topics,
            "unanswered_questions": feedback.unanswered_questions,
        }
        leader_feedback_save(session=session, data=data, actor=None)


def _certify(cycle, personas: demo_data.Personas) -> None:
    """The personas' entity certified the cycle: its focal point submits, its head certifies,
    through the certification services. Once certified, a second run leaves it alone."""
    entity = Entity.objects.get(code=personas.entity)
    status = Certification.objects.filter(entity=entity, cycle=cycle).values_list("status", flat=True).first()
    if status == CertificationStatus.CERTIFIED:
        return
    if status != CertificationStatus.SUBMITTED:
        certification_submit(actor=User.objects.get(person__index_number=personas.focal_point), entity=entity, cycle=cycle, confirmed=True)
    certification_certify(
        actor=User.objects.get(person__index_number=personas.head),
        entity=entity,
        cycle=cycle,
        statement_accepted=True,
        reason="The cycle is closed; the people not reached had left or were on extended leave.",
    )


def _accounts(people: list[demo_data.DemoPerson], personas: demo_data.Personas) -> list[tuple[str, User]]:
    """The demo's accounts and grants, created once and brought back to the same state after."""
    # One hash for every account: PBKDF2 is slow on purpose, and this password is public anyway.
    encoded = _PasswordOnce()
    by_index = {p.index_number: p for p in people}
    wanted = [personas.head, personas.focal_point, personas.ready_manager, personas.participant]
    persons = dict(Person.objects.filter(index_number__in=wanted).values_list("index_number", "pk"))
    entity = Entity.objects.get(code=personas.entity)

    def account(index_number: str, grants: list[tuple[str, Entity | None]]) -> User:
        p = by_index[index_number]
        return _user(p.email, encoded, first=p.first, last=p.last, person_id=persons[index_number], grants=grants)

    first, last = demo_data.ETHICS_OFFICER
    admin_first, admin_last = demo_data.ORG_ADMINISTRATOR
    code = personas.entity
    return [
        ("Ethics Office", _user(demo_data.email_for(first, last), encoded, first=first, last=last, grants=[(Role.ETHICS_OFFICE, None)])),
        (
            "Organization administrator",
            _user(demo_data.email_for(admin_first, admin_last), encoded, first=admin_first, last=admin_last, grants=[(Role.ORG_ADMIN, None)]),
        ),
        (f"Head of entity ({code})", account(personas.head, [(Role.HEAD_OF_ENTITY, entity)])),
        (f"Focal point ({code})", account(personas.focal_point, [(Role.FOCAL_POINT, entity)])),
        (f"Session leader, ready to lead ({code})", account(personas.ready_manager, [])),
        (f"Participant ({code})", account(personas.participant, [])),
        ("Django admin", _user(f"admin@{demo_data.EMAIL_DOMAIN}", encoded, first="Demo", last="Administrator", superuser=True)),
    ]


class _PasswordOnce:
    """The demo password's hash, made at most once per run; an account whose stored hash
    already matches keeps it, so a second run rewrites nothing."""

    def __init__(self):
        self.verified: set[str] = set()

    def keeps(self, stored: str) -> bool:
        if stored in self.verified:
            return True
        if stored and check_password(PASSWORD, stored):
            self.verified.add(stored)
            return True
        return False

    def new(self) -> str:
        if not self.verified:
            self.verified.add(make_password(PASSWORD))
        return next(iter(self.verified))


def _user(email, encoded: _PasswordOnce, *, first, last, person_id=None, superuser=False, grants=()) -> User:
    user = User.objects.filter(email=email).first() or User(email=email)
    if not encoded.keeps(user.password):
        user.password = encoded.new()
    user.first_name, user.last_name, user.person_id = first, last, person_id
    user.is_active, user.is_staff, user.is_superuser = True, superuser, superuser
    user.save()
    kept = [RoleGrant.objects.get_or_create(user=user, role=role, entity=entity)[0].pk for role, entity in grants]
    RoleGrant.objects.filter(pk__in=kept, suspended_at__isnull=False).update(suspended_at=None)
    RoleGrant.objects.filter(user=user).exclude(pk__in=kept).delete()
    return user
