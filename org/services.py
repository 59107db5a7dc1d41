"""Writes to the organization: the snapshot import of the organization file (import_org and the upload page)."""

import re
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import AuditAction
from core.services import audit_record
from core.tabular import Problem, Table, check_columns

from .models import Category, Entity, Language, LocationType, Person, Unit
from .signals import AccessChange, access_ended, access_restored
from .zones import duty_station_zones, zone_problem

REQUIRED = ["index_number", "name", "email", "entity"]
KNOWN = REQUIRED + ["manager_index_number", "entity_name", "unit", "category", "location_type", "duty_station", "language", "time_zone"]
INDEX_RE = re.compile(r"[A-Za-z0-9-]{1,20}\Z")
ENTITY_RE = re.compile(r"[A-Za-z0-9_-]{1,20}\Z")
UNIT_SEPARATOR = " > "
# What a person row holds, in the order compared with the database to tell "updated".
PERSON_FIELDS = ["name", "email", "manager_id", "entity_id", "unit_id", "category", "location_type", "duty_station", "language", "time_zone"]
SAMPLE_SIZE = 200
# The columns' room in the database: a longer value is a problem of the file, not a crash.
MAX_LENGTHS = {
    "name": Person._meta.get_field("name").max_length,
    "email": Person._meta.get_field("email").max_length,
    "entity_name": Entity._meta.get_field("name").max_length,
    "unit": Unit._meta.get_field("path").max_length,
    "duty_station": Person._meta.get_field("duty_station").max_length,
}


@dataclass
class OrgRow:
    number: int
    index_number: str
    name: str
    email: str
    manager: str
    entity: str
    entity_name: str
    unit: str
    category: str
    location_type: str
    duty_station: str
    language: str
    time_zone: str = ""


@dataclass
class ImportReport:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    reactivated: int = 0
    unchanged: int = 0
    # What leaving and coming back does to accounts (people_deactivate, people_reactivate).
    accounts_closed: int = 0
    grants_suspended: int = 0
    accounts_reopened: int = 0
    # A few of each kind of change, for the preview page: (index_number, name).
    samples: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    written: bool = False
    # The mass-change guard: active people before the import, e-mail addresses it changes, the
    # reasons it needs an explicit confirmation (empty below the thresholds), and whether it
    # was stopped for want of one (nothing written).
    active_before: int = 0
    emails_changed: int = 0
    mass_change: list[str] = field(default_factory=list)
    blocked: bool = False
    # XLSX: the sheet that was read.
    sheet: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.blocked

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.mass_change) and not self.errors

    def confirmation(self) -> str:
        """The sentence the organization administrator ticks to confirm a mass change."""
        leave = ngettext("%(count)s person leaves", "%(count)s people leave", self.deactivated) % {"count": number_format(self.deactivated, force_grouping=True)}
        emails = ngettext("%(count)s e-mail address changes", "%(count)s e-mail addresses change", self.emails_changed) % {
            "count": number_format(self.emails_changed, force_grouping=True)
        }
        return _("I confirm these changes: %(leave)s and %(emails)s, out of %(active)s active people.") % {
            "leave": leave,
            "emails": emails,
            "active": number_format(self.active_before, force_grouping=True),
        }

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, deactivated {self.deactivated}, "
            f"reactivated {self.reactivated}, unchanged {self.unchanged}"
        )

    def sample(self, kind: str, index_number: str, name: str) -> None:
        bucket = self.samples.setdefault(kind, [])
        if len(bucket) < SAMPLE_SIZE:
            bucket.append((index_number, name))


# The allowed values of each choice column, computed once: `Choices.values` builds a new list
# on every access, and the import checks three columns on every row.
_CHOICE_VALUES = {choices: frozenset(choices.values) for choices in (Category, LocationType, Language)}


def _choice_problem(number, column, value, choices) -> Problem | None:
    if value and value not in _CHOICE_VALUES[choices]:
        return Problem(number, column, _("“%(value)s” is not one of: %(allowed)s") % {"value": value, "allowed": ", ".join(choices.values)})
    return None


def _unit_path(raw: str) -> str:
    return UNIT_SEPARATOR.join(level.strip() for level in raw.split(">")) if raw else ""


def validate_org_table(table: Table) -> tuple[list[OrgRow], list[Problem], list[Problem]]:
    """Check every rule of the organization file (columns, values, unique keys, reporting lines) and return the rows, errors and warnings."""
    errors, warnings = check_columns(table, required=REQUIRED, known=KNOWN)
    if errors:
        return [], errors, warnings
    rows: list[OrgRow] = []
    by_index: dict[str, int] = {}
    by_email: dict[str, int] = {}
    entity_names: dict[str, tuple[str, int]] = {}
    stations = duty_station_zones() if "time_zone" in table.header else {}  # to suggest a zone for a bad one
    for number, cells in table.rows:
        get = cells.get
        row = OrgRow(
            number=number,
            index_number=get("index_number", ""),
            name=get("name", ""),
            email=get("email", ""),
            manager=get("manager_index_number", ""),
            entity=get("entity", ""),
            entity_name=get("entity_name", ""),
            unit=_unit_path(get("unit", "")),
            category=get("category", ""),
            location_type=get("location_type", ""),
            duty_station=get("duty_station", ""),
            language=get("language", ""),
            time_zone=get("time_zone", ""),
        )
        rows.append(row)
        if not row.index_number:
            errors.append(Problem(number, "index_number", _("is required")))
        elif not INDEX_RE.match(row.index_number):
            errors.append(Problem(number, "index_number", _("use at most 20 letters, digits or “-”")))
        elif row.index_number in by_index:
            errors.append(Problem(number, "index_number", _("%(value)s already appears on row %(row)d") % {"value": row.index_number, "row": by_index[row.index_number]}))
        else:
            by_index[row.index_number] = number
        if not row.name:
            errors.append(Problem(number, "name", _("is required")))
        if not row.email:
            errors.append(Problem(number, "email", _("is required")))
        else:
            try:
                validate_email(row.email)
            except ValidationError:
                errors.append(Problem(number, "email", _("“%(value)s” is not a valid e-mail address") % {"value": row.email}))
            else:
                key = row.email.lower()
                if key in by_email:
                    errors.append(Problem(number, "email", _("%(value)s already appears on row %(row)d") % {"value": row.email, "row": by_email[key]}))
                else:
                    by_email[key] = number
        if not row.entity:
            errors.append(Problem(number, "entity", _("is required")))
        elif not ENTITY_RE.match(row.entity):
            errors.append(Problem(number, "entity", _("use at most 20 letters, digits, “-” or “_”")))
        elif row.entity_name:
            first = entity_names.setdefault(row.entity, (row.entity_name, number))
            if first[0] != row.entity_name:
                errors.append(
                    Problem(number, "entity_name", _("“%(value)s” differs from “%(first)s” given for %(entity)s on row %(row)d") % {"value": row.entity_name, "first": first[0], "entity": row.entity, "row": first[1]})
                )
        if row.unit and any(not level for level in row.unit.split(UNIT_SEPARATOR)):
            errors.append(Problem(number, "unit", _("a level of the path is empty")))
        for column, limit in MAX_LENGTHS.items():
            if len(getattr(row, column)) > limit:
                errors.append(Problem(number, column, _("use at most %(max)d characters") % {"max": limit}))
        for column, choices in (("category", Category), ("location_type", LocationType), ("language", Language)):
            problem = _choice_problem(number, column, getattr(row, column), choices)
            if problem:
                errors.append(problem)
        if row.time_zone and (problem := zone_problem(row.time_zone, stations=stations)):
            errors.append(Problem(number, "time_zone", problem))
    managers = {row.index_number: row.manager for row in rows if row.index_number}
    for row in rows:
        if row.manager and row.manager not in by_index:
            errors.append(Problem(row.number, "manager_index_number", _("%(value)s is not the index number of any row") % {"value": row.manager}))
    errors.extend(_loops(rows, managers, by_index))
    errors.extend(_spreadsheet_damage(table, rows))
    errors.sort()
    return rows, errors, warnings


# A letter the file's encoding could not hold, written as "?" (the letter's place) or as U+FFFD
# (bytes that were not UTF-8): "Jos? P?rez", "Jos\ufffd Pérez".
LOST_LETTER_RE = re.compile(r"\ufffd|\w\?|\?\w")
INDEX_COLUMNS = ("index_number", "manager_index_number")


def _spreadsheet_damage(table: Table, rows: list[OrgRow]) -> list[Problem]:
    """What a spreadsheet program did to the file on its way: names whose letters were lost to
    an encoding, and index numbers Excel turned into dates or numbers (an index number is text:
    "000123" saved as a number is 123, another person's or nobody's)."""
    problems = [
        Problem(row.number, "name", _("“%(value)s” was saved in an encoding that lost letters: save as CSV UTF-8") % {"value": row.name})
        for row in rows
        if LOST_LETTER_RE.search(row.name)
    ]
    typed = {key: kind for key, kind in table.cell_types.items() if key[1] in INDEX_COLUMNS}
    if not typed:
        return problems
    zeros = None  # whether the organization's index numbers keep leading zeros; asked once
    for (number, column), kind in typed.items():
        if kind == "date":
            problems.append(Problem(number, column, _("Excel turned this cell into a date: format the column as Text and save again")))
            continue
        if zeros is None:
            zeros = Person.objects.active().filter(index_number__startswith="0").exists()
        if zeros:
            problems.append(
                Problem(
                    number,
                    column,
                    _("Excel turned this cell into a number and dropped its leading zeros: format the column as Text and save again"),
                )
            )
    return problems


def _number(value: float) -> str:
    """12 for 12.0, 12.5 for 12.5 (in the language's format)."""
    value = round(float(value), 1)
    return number_format(int(value), force_grouping=True) if value.is_integer() else number_format(value, decimal_pos=1, force_grouping=True)


def _percent(part: int, whole: int) -> str:
    return _number(100 * part / whole)


def _mass_change(report: ImportReport) -> list[str]:
    """Why the import needs an explicit confirmation, like a directory sync's accidental-deletion
    threshold: more than the set share of active people would leave, or of their e-mail
    addresses change. An organization with nobody active yet (the first import) never needs it."""
    active = report.active_before
    if not active:
        return []
    reasons = []
    limit = settings.CASCADE_IMPORT_MAX_DEACTIVATE_PERCENT
    if report.deactivated * 100 > limit * active:
        reasons.append(
            _("%(count)s of %(active)s active people (%(percent)s %%) would leave the organization, more than the %(limit)s %% allowed without confirmation")
            % {"count": number_format(report.deactivated, force_grouping=True), "active": number_format(active, force_grouping=True), "percent": _percent(report.deactivated, active), "limit": _number(limit)}
        )
    limit = settings.CASCADE_IMPORT_MAX_EMAIL_CHANGE_PERCENT
    if report.emails_changed * 100 > limit * active:
        reasons.append(
            _("%(count)s of %(active)s active people’s e-mail addresses (%(percent)s %%) would change, more than the %(limit)s %% allowed without confirmation")
            % {"count": number_format(report.emails_changed, force_grouping=True), "active": number_format(active, force_grouping=True), "percent": _percent(report.emails_changed, active), "limit": _number(limit)}
        )
    return reasons


def _loops(rows: list[OrgRow], managers: dict[str, str], by_index: dict[str, int]) -> list[Problem]:
    """One problem per row that sits on a loop of reporting lines."""
    state: dict[str, int] = {}  # 1 = being walked, 2 = reaches the top (or a broken line) safely
    on_loop: set[str] = set()
    for start in managers:
        path = []
        node = start
        while node and node in managers and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = managers[node]
        if node and state.get(node) == 1:  # came back to a node of this walk: a loop
            on_loop.update(path[path.index(node):])
        for walked in path:
            state[walked] = 2
    return [
        Problem(by_index[i], "manager_index_number", _("reporting lines form a loop through %(value)s") % {"value": i})
        for i in sorted(on_loop, key=by_index.get)
    ]


def org_import(*, table: Table, dry_run: bool = False, actor=None, allow_mass_change: bool = False) -> ImportReport:
    """Validate the whole snapshot, then apply it in one transaction, or write nothing at all.

    People missing from the snapshot become inactive; people who reappear are reactivated.
    Importing the same file twice changes nothing the second time. An import that would make
    more than the set share of active people leave, or change more than the set share of their
    e-mail addresses, lists why in `mass_change` and writes nothing (`blocked`) unless
    `allow_mass_change`; a dry run lists why and is not blocked.
    """
    rows, errors, warnings = validate_org_table(table)
    report = ImportReport(errors=errors, warnings=warnings, sheet=table.sheet)
    if errors:
        return report
    with transaction.atomic():
        report.active_before = Person.objects.active().count()
        entity_ids = _sync_entities(rows)
        unit_ids = _sync_units(rows, entity_ids)
        creates, updates, deactivate, reactivate = _diff_people(rows, entity_ids, unit_ids, report)
        report.mass_change = _mass_change(report)
        if report.mass_change and not allow_mass_change and not dry_run:
            report.blocked = True
            transaction.set_rollback(True)  # the new entities and units go too
            return report
        if not dry_run:
            Person.objects.bulk_create(creates, batch_size=2000)
            Person.objects.bulk_update(updates, PERSON_FIELDS + ["active"], batch_size=1000)
        # Accounts follow people; a dry run counts them for the preview.
        closed = people_deactivate(person_ids=deactivate, actor=actor, source="org.import", dry_run=dry_run)
        report.accounts_closed, report.grants_suspended = closed.accounts, closed.grants
        report.accounts_reopened = people_reactivate(person_ids=reactivate, actor=actor, source="org.import", dry_run=dry_run)
        if not dry_run:
            audit_record(actor=actor, action=AuditAction.ORG_IMPORT, target="organization", detail={"summary": report.summary()})
            report.written = True
        else:
            transaction.set_rollback(True)  # new entities and units were only needed to compare
    return report


def people_deactivate(*, person_ids, actor, source: str, dry_run: bool = False) -> AccessChange:
    """These people left the organization: make them inactive, close their accounts, end their
    login sessions and suspend their role grants, in one transaction with one audit entry that
    counts each (`source` says who: the import, the admin, later provisioning; all come
    through here). With `dry_run`, count what would change and write nothing."""
    person_ids = list(person_ids)
    if not person_ids:
        return AccessChange()
    if dry_run:
        return access_ended(person_ids, dry_run=True)
    with transaction.atomic():
        people = 0
        for start in range(0, len(person_ids), 5000):
            people += Person.objects.filter(pk__in=person_ids[start : start + 5000]).update(active=False)
        change = access_ended(person_ids, dry_run=False)
        change = AccessChange(people=people, accounts=change.accounts, grants=change.grants)
        audit_record(
            actor=actor,
            action=AuditAction.PEOPLE_DEACTIVATE,
            target="organization",
            detail={"people": change.people, "accounts": change.accounts, "grants": change.grants, "source": source},
        )
    return change


def people_reactivate(*, person_ids, actor, source: str, dry_run: bool = False) -> int:
    """These people are back: make them active and reopen their accounts, but not their
    suspended role grants (the Ethics Office reinstates or reassigns those). One transaction,
    one audit entry; returns the number of accounts reopened (with `dry_run`, that would be)."""
    person_ids = list(person_ids)
    if not person_ids:
        return 0
    if dry_run:
        return access_restored(person_ids, dry_run=True)[0]
    with transaction.atomic():
        # The import (bulk_update) and the admin (its form) have already set them active.
        for start in range(0, len(person_ids), 5000):
            Person.objects.filter(pk__in=person_ids[start : start + 5000], active=False).update(active=True)
        accounts, suspended = access_restored(person_ids, dry_run=False)
        audit_record(
            actor=actor,
            action=AuditAction.PEOPLE_REACTIVATE,
            target="organization",
            detail={"people": len(person_ids), "accounts": accounts, "grants_still_suspended": suspended, "source": source},
        )
    return accounts


def _sync_entities(rows: list[OrgRow]) -> dict[str, int]:
    names: dict[str, str] = {}
    for row in rows:
        if row.entity_name or row.entity not in names:
            names[row.entity] = row.entity_name or names.get(row.entity, "")
    existing = {e.code: e for e in Entity.objects.all()}
    for code, name in names.items():
        entity = existing.get(code)
        if entity is None:
            existing[code] = Entity.objects.create(code=code, name=name)
        elif name and entity.name != name:
            entity.name = name
            entity.save(update_fields=["name"])
    return {code: entity.pk for code, entity in existing.items()}


def _sync_units(rows: list[OrgRow], entity_ids: dict[str, int]) -> dict[tuple[int, str], int]:
    ids = {(u.entity_id, u.path): u.pk for u in Unit.objects.only("pk", "entity_id", "path")}
    wanted = set()
    for row in rows:
        if row.unit:
            levels = row.unit.split(UNIT_SEPARATOR)
            for depth in range(1, len(levels) + 1):
                wanted.add((entity_ids[row.entity], UNIT_SEPARATOR.join(levels[:depth])))
    # One bulk insert per level, parents before children, so that each new unit can point at
    # its parent.
    missing = sorted(wanted - ids.keys(), key=lambda key: (key[1].count(UNIT_SEPARATOR), key))
    for _level, keys in groupby(missing, key=lambda key: key[1].count(UNIT_SEPARATOR)):
        units = [
            Unit(entity_id=entity_id, path=path, parent_id=ids[(entity_id, path.rsplit(UNIT_SEPARATOR, 1)[0])] if UNIT_SEPARATOR in path else None)
            for entity_id, path in keys
        ]
        Unit.objects.bulk_create(units, batch_size=2000)
        ids.update({(unit.entity_id, unit.path): unit.pk for unit in units})
    return ids


def _diff_people(rows, entity_ids, unit_ids, report: ImportReport):
    existing = {
        values[0]: values[1:]
        for values in Person.objects.values_list("index_number", "pk", "active", *PERSON_FIELDS).iterator(chunk_size=10000)
    }
    creates, updates, reactivate = [], [], []
    in_file = set()
    for row in rows:
        in_file.add(row.index_number)
        wanted = (
            row.name,
            row.email,
            row.manager or None,
            entity_ids[row.entity],
            unit_ids[(entity_ids[row.entity], row.unit)] if row.unit else None,
            row.category,
            row.location_type,
            row.duty_station,
            row.language,
            row.time_zone,
        )
        current = existing.get(row.index_number)
        if current is None:
            creates.append(Person(index_number=row.index_number, active=True, **dict(zip(PERSON_FIELDS, wanted))))
            report.created += 1
            report.sample("created", row.index_number, row.name)
            continue
        pk, active, *fields = current
        if active and fields[1].lower() != row.email.lower():  # fields[1]: the e-mail (PERSON_FIELDS)
            report.emails_changed += 1
        if active and tuple(fields) == wanted:
            report.unchanged += 1
            continue
        updates.append(Person(pk=pk, index_number=row.index_number, active=True, **dict(zip(PERSON_FIELDS, wanted))))
        if active:
            report.updated += 1
            report.sample("updated", row.index_number, row.name)
        else:
            reactivate.append(pk)
            report.reactivated += 1
            report.sample("reactivated", row.index_number, row.name)
    deactivate = []
    for index_number, (pk, active, name, *_rest) in existing.items():
        if active and index_number not in in_file:
            deactivate.append(pk)
            report.deactivated += 1
            report.sample("deactivated", index_number, name)
    return creates, updates, deactivate, reactivate
