"""Named test people, one per role, in the spirit of healthchecks' alice, bob and charlie
(`hc/test.py`): every app's tests ask for the `people` fixture (registered by the root
conftest.py) instead of building an organization of their own, and log in with one PASSWORD.

The organization (index numbers, e-mail addresses `<first name>@example.org`, languages):

    E1 — Office One
      P001 Hugo Head (en), Division A ............................ people.head
        P002 Lena Leader (fr), Division A > Section B .............. people.leader
          P010 Adam Smith (en) ................................... people.participant
          P011 Zoë Ångström (es)
          P012 مريم حداد (ar, right to left)
          P013 Mona Monitor (no language given) .................. people.monitor
          P014 Gone Away (inactive: left the organization) ....... people.left
        P003 Otto Other (en), Division A ........................... people.peer
          P004 Fiona Focal (fr), Division A ........................ people.focal
    E2 — Office Two
      P020 Farid Outsider (ru), Liaison Office ..................... people.outsider
    Not in the organization file:
      Eve, eve@example.org ....................................... people.ethics
      Olga, olga@example.org ..................................... people.admin

Each persona has `.user` (an account whose e-mail is the person's, so that the login links
them as `accounts.services.user_link_person` would) and `.person` (None for the two central
roles, who are not in the organization file). What each may see (accounts/scope.py):

- ethics (Eve): the Ethics Office, granted; aggregates of every entity, never a name, never a
  session or a sign-in sheet.
- admin (Olga): the organization administrator, granted; loads the organization file and sees
  its people; no attendance, no feedback, no entity numbers.
- head (Hugo): head of E1, derived from the reporting lines (no manager); names and sheets of
  E1; leads Lena, Otto.
- focal (Fiona): focal point of E1, granted; names and sheets of E1 only; a participant who
  leads nobody (she reports to Otto).
- leader (Lena): a session leader, with four active direct reports (Adam, Zoë, مريم, Mona) and
  one who left (Gone); sees her reports and her own sessions, nothing of E1 as a whole.
- peer (Otto): another manager in E1 (he leads Fiona); sees nothing of Lena's sessions.
- monitor (Mona): one of Lena's reports; a test appoints her attendance monitor of a session
  to let her record it; without that she is a plain participant.
- participant (Adam) and `participants` (Adam, Zoë, مريم): their own record only.
- outsider (Farid): head of E2 (derived) and its focal point: he has every entity role, in
  the other entity, and nothing in E1 (healthchecks' charlie).
- left (Gone): inactive, as the organization file leaves someone who left: the person record
  stays (their history does), the account is closed.

`people.reports` is Lena's active direct reports in index order; `people.e1`, `people.e2`,
`people.division` (E1's Division A) and `people.section` (Division A > Section B) are the
entities and units. Each test gets them afresh. Cycles, sessions and kits belong to each test
module: this module makes people only.

Tests of the organization file's import, which need a file to import again with a row less and an
organization large enough for the mass-change guard (one leaver of nine people is too many),
use `sample_org` instead: the contracts' sample organization (118 people in EOSG, E00, E01 and
E02), cycle 2026 and the sample attendance (sessions R1 to R10). `make_user` gives an account
and grants to someone of such another organization.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from accounts.models import Role, RoleGrant, User
from org.models import Entity, Person, Unit

PASSWORD = "a-long-test-password"  # noqa: S105 (every test account's password)


@dataclass(frozen=True)
class Persona:
    """A named test person: their account and, unless they are outside the organization
    file, their person record."""

    user: User
    person: Person | None

    @property
    def email(self) -> str:
        return self.user.email


@dataclass(frozen=True)
class People:
    ethics: Persona
    admin: Persona
    head: Persona
    leader: Persona
    peer: Persona
    focal: Persona
    monitor: Persona
    participant: Persona
    participants: tuple[Persona, ...]
    reports: tuple[Persona, ...]
    outsider: Persona
    left: Persona
    e1: Entity
    e2: Entity
    division: Unit
    section: Unit

    def __iter__(self):
        """Every persona once, in the order of the docstring."""
        return iter((self.head, self.leader, *self.participants, self.monitor, self.left, self.peer, self.focal, self.outsider, self.ethics, self.admin))


def make_user(email: str, index_number: str | None = None, *grants) -> User:
    """An account for `email`, linked to the person `index_number` (if given), with each
    (role, entity code) granted: for people of an organization other than the personas'."""
    person = Person.objects.get(index_number=index_number) if index_number else None
    user = User.objects.create_user(email, PASSWORD, person=person)
    for role, code in grants:
        RoleGrant.objects.create(user=user, role=role, entity=Entity.objects.get(code=code) if code else None)
    return user


def _persona(person: Person | None, *grants, email: str | None = None) -> Persona:
    email = person.email if person else email
    user = User.objects.create_user(email, PASSWORD, person=person, is_active=person.active if person else True)
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=role, entity=entity) for role, entity in grants])
    return Persona(user=user, person=person)


def make_people() -> People:
    """The organization of the module docstring, with an account per persona."""
    e1 = Entity.objects.create(code="E1", name="Office One")
    e2 = Entity.objects.create(code="E2", name="Office Two")
    division = Unit.objects.create(entity=e1, path="Division A")
    section = Unit.objects.create(entity=e1, path="Division A > Section B", parent=division)
    liaison = Unit.objects.create(entity=e2, path="Liaison Office")

    def person(index_number, name, email, *, entity=e1, unit=None, manager=None, language="", active=True):
        return Person.objects.create(
            index_number=index_number,
            name=name,
            email=f"{email}@example.org",
            entity=entity,
            unit=unit,
            manager_id=manager,
            language=language,
            active=active,
        )

    hugo = person("P001", "Hugo Head", "hugo", unit=division, language="en")
    lena = person("P002", "Lena Leader", "lena", unit=section, manager="P001", language="fr")
    otto = person("P003", "Otto Other", "otto", unit=division, manager="P001", language="en")
    fiona = person("P004", "Fiona Focal", "fiona", unit=division, manager="P003", language="fr")
    adam = person("P010", "Adam Smith", "adam", unit=section, manager="P002", language="en")
    zoe = person("P011", "Zoë Ångström", "zoe", unit=section, manager="P002", language="es")
    maryam = person("P012", "مريم حداد", "maryam", unit=section, manager="P002", language="ar")
    mona = person("P013", "Mona Monitor", "mona", unit=section, manager="P002")
    gone = person("P014", "Gone Away", "gone", unit=section, manager="P002", active=False)
    farid = person("P020", "Farid Outsider", "farid", entity=e2, unit=liaison, language="ru")

    participants = (_persona(adam), _persona(zoe), _persona(maryam))
    monitor = _persona(mona)
    return People(
        ethics=_persona(None, (Role.ETHICS_OFFICE, None), email="eve@example.org"),
        admin=_persona(None, (Role.ORG_ADMIN, None), email="olga@example.org"),
        head=_persona(hugo),
        leader=_persona(lena),
        peer=_persona(otto),
        focal=_persona(fiona, (Role.FOCAL_POINT, e1)),
        monitor=monitor,
        participant=participants[0],
        participants=participants,
        reports=(*participants, monitor),
        outsider=_persona(farid, (Role.FOCAL_POINT, e2)),
        left=_persona(gone),
        e1=e1,
        e2=e2,
        division=division,
        section=section,
    )


@pytest.fixture
def people(db) -> People:
    """The personas of this module's docstring, in a fresh organization."""
    return make_people()


@pytest.fixture
def sample_org(db, formats_dir) -> None:
    """The contracts' sample organization, cycle 2026 (1 September to 31 December) and the sample
    attendance, loaded by the commands."""
    with open(os.devnull, "w") as quiet:
        call_command("import_org", str(formats_dir / "sample-org.csv"), stdout=quiet)
        call_command("open_cycle", year=2026, topic="Speaking up", opens="2026-09-01", deadline="2026-12-31", stdout=quiet)
        call_command("import_attendance", str(formats_dir / "sample-attendance.csv"), cycle=2026, stdout=quiet)


def login(client, persona: Persona) -> None:
    """Log the test client in as `persona` (the account's session, without the login form)."""
    client.force_login(persona.user)
