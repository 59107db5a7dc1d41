"""Record a session's Microsoft Teams attendance report (printing matched, guests, unmatched and warnings as JSON): the same path as the
leader's upload on the session's page, run without a user.

The report is matched as if the session's leader uploaded it: within what the leader may record
(`dialogues.scope.recordable_people`). A name that fits several of those people is not recorded
(the leader chooses on the page); it is listed in `unmatched`. Prints one JSON object on
standard output; a rejected file exits 1 with its problems on standard error (`row N: column:
message`) and writes nothing; wrong usage (no such session, no such file) exits 2.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scope import Scope, scope_for
from core.commands import RejectedInput, print_problems
from core.tabular import Problem, Purpose, TableError, limits_for
from dialogues.models import Session
from dialogues.signin import SigninError, attendance_record_conference
from org.models import Person


def leader_scope(leader: Person) -> Scope:
    """What the leader may do, as if they had uploaded the report themselves: their login's
    scope, or, for a leader without a login, the scope such a login would have (no granted
    roles)."""
    user = User.objects.filter(person=leader).first()
    if user is not None:
        return scope_for(user)
    heads = frozenset()
    if leader.manager_id is None or Person.objects.filter(index_number=leader.manager_id).exclude(entity_id=leader.entity_id).exists():
        heads = frozenset({leader.entity_id})
    return Scope(
        person=leader if leader.active else None,
        ethics_office=False,
        focal_entity_ids=frozenset(),
        head_entity_ids=heads if leader.active else frozenset(),
        is_manager=Person.objects.active().filter(manager_id=leader.index_number).exists(),
    )


class Command(BaseCommand):
    help = "Record a session's Microsoft Teams attendance report (CSV or XLSX, any layout or language Teams exports)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--session", required=True, metavar="REF", help="the session's reference, as shown on its page")
        parser.add_argument("--leader", metavar="EMAIL", help="the session leader's e-mail address, when several leaders use REF")
        parser.add_argument("--cycle", type=int, metavar="YEAR", help="the cycle's year, when the leader used REF in several cycles")
        parser.add_argument("--dry-run", action="store_true", help="match and print the result without writing")

    def handle(self, *args, file, session, leader, cycle, dry_run, **options):
        the_session = self._session(session, leader, cycle)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file", returncode=2)
        limits = limits_for(Purpose.CONFERENCE_REPORT)
        try:
            if path.stat().st_size > limits.bytes:
                raise TableError(Problem(1, "file", limits.too_large()))
            report = attendance_record_conference(
                session=the_session, data=path.read_bytes(), actor=None, dry_run=dry_run, scope=leader_scope(the_session.leader)
            )
        except TableError as exc:
            print_problems([exc.problem], [])
            raise RejectedInput() from exc
        except SigninError as exc:
            print_problems([Problem(1, "session", str(exc))], [])
            raise RejectedInput() from exc
        if not report.ok:
            print_problems(report.errors, report.warnings)
            raise RejectedInput()
        warnings = [str(w) for w in report.warnings]
        for item in report.ambiguous:
            message = _("%(name)s fits %(count)d people the leader can record; not recorded: the leader chooses who it is on the session’s page")
            warnings.append(str(Problem(item.row, "name", message % {"name": item.name, "count": len(item.candidates)})))
        result = {
            "matched": sorted(person.index_number for person in report.people),
            "guests": len(report.unmatched),
            "unmatched": [item.name for item in report.ambiguous],
            "warnings": warnings,
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _session(self, ref: str, leader: str | None, cycle: int | None) -> Session:
        sessions = Session.objects.filter(ref=ref).select_related("leader__entity", "cycle")
        if leader:
            sessions = sessions.filter(leader__email__iexact=leader.strip())
        if cycle is not None:
            sessions = sessions.filter(cycle__year=cycle)
        found = list(sessions.order_by("-cycle__year", "leader__email")[:20])
        if not found:
            raise CommandError(f"no session with reference {ref!r}" + (f" led by {leader}" if leader else "") + (f" in {cycle}" if cycle else ""), returncode=2)
        if len(found) > 1:
            choices = "; ".join(f"{s.cycle.year} {s.leader.email}" for s in found)
            raise CommandError(f"several sessions have reference {ref!r} ({choices}): give --leader EMAIL or --cycle YEAR", returncode=2)
        return found[0]
