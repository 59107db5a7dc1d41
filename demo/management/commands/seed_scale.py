"""A synthetic organization with a cycle in progress, for benchmarks (benchmark tools call it as below).

`seed_scale --people N [--seed S] [--replace] [--today YYYY-MM-DD]`

The shape is meant to resemble a real organization: about 60 entities of very different sizes
(one holds 15-20% of everyone), each with units nested up to four levels
(`Division 3 > Section 2 > Team 1`), one reporting tree from the top of the organization in which
a manager has 3 to 12 direct reports and lines run about 8 levels deep, and categories, location
types, duty stations and languages spread as an entity of its kind would have them.

The cycle of the current year (1 September to 31 December) is in progress: sessions are held
from the top down — a manager who attended leads a session for most of their direct reports,
filled up to 10-25 participants with people one level further down (teams at the bottom, of 8-12
people, meet on their own; some managers hold a small catch-up session for those who missed the
first) — dated within the cycle and never after today. How long managers take to lead is tuned
so that about half of the people are reached, and managers are found in all four cascade states.
If today is before 1 September, the previous year's cycle is used.

The same --seed gives the same organization, sessions and attendance; only the session dates
depend on today (the simulated cascade is spread over the part of the cycle that has passed).
Everything is written with large bulk inserts in one transaction.
"""

import datetime
import math
import random
import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from dialogues.models import Attendance, Mode, Session
from dialogues.services import cycle_open
from org.models import Entity, Person, Unit

BATCH = 5000
UNIT_MIN = 10  # a manager with fewer people below stays in their own manager's unit
UNIT_SEPARATOR = " > "

# Given and family names from many cultures; a few in their own script, with how the e-mail
# address spells them ("display|ascii").
GIVEN = (
    "Amina Kwame Chidi Ngozi Fatou Abebe Tendai Zanele Oluwaseun Wanjiru Kofi Aïcha Moussa Thandiwe "
    "Ahmed Fatima Omar Layla Youssef Nour Karim Rania Samir Hiba "
    "Priya Arjun Ananya Rahul Sunita Vikram Farhan Nasrin "
    "Wei Mei Jun Xiu Hana Haruto Yuki Minh Linh Thảo Siti Rizal Ji-woo Somchai "
    "María José Lucía Mateo Camila Diego Ana João Sofía Valentina Tupac "
    "Pierre Amélie Élodie Olga Dmitri Anastasia Ivan Svetlana Hans Ingrid Søren Aoife Siân Zoë "
    "Łukasz Agnieszka Kemal Elif Dawit Selam Aroha Kai Noa Leila Reza Tamar Giorgi Nino Bilal Ayşe "
    "محمد|mohamed فاطمة|fatima Ольга|olga Дмитрий|dmitriy 伟|wei 芳|fang Αλέξανδρος|alexandros"
).split()
FAMILY = (
    "Nguyen Kim Okafor Mensah Diallo Kamau Haile Moyo Banda Traoré Ndiaye Abubakar Tshabalala "
    "Al-Sayed Haddad Mansour Khoury Benali "
    "Khan Sharma Patel Iyer Rahman Chowdhury "
    "Wang Li Chen Zhang Tanaka Sato Park Tran Santoso Wongsakul "
    "Santos García López Rodríguez Silva Pereira Quispe Mamani Hernández "
    "Dubois Martin Lefèvre Ivanova Petrov Smirnov Müller Schmidt Jensen Andersson Nowak Kowalski "
    "O'Neil Murphy Yılmaz Demir Cohen Levi Beridze Novák Rossi Papadopoulos Tuilagi "
    "王|wang 李|li Иванов|ivanov حداد|haddad Παπαδόπουλος|papadopoulos"
).split()
SECOND_FAMILY_SHARE = 0.05  # "García López"

# Entities: the office at the top, and fictional departments, offices, programmes and missions.
KINDS = [
    ("Department of", "hq"),
    ("Office for", "hq"),
    ("Office for", "away"),
    ("Programme on", "away"),
    ("Commission on", "away"),
    ("Centre for", "away"),
    ("Mission for", "field"),
    ("Mission for", "field"),
]
THEMES = [
    "Ocean Affairs",
    "Disarmament",
    "Humanitarian Coordination",
    "Climate Action",
    "Water Security",
    "Migration",
    "Public Health",
    "Statistics",
    "Legal Affairs",
    "Outer Space",
    "Trade and Development",
    "Drug Control",
    "Crime Prevention",
    "Refugee Support",
    "Food Security",
    "Digital Cooperation",
    "Gender Equality",
    "Children and Youth",
    "Human Rights",
    "Political Affairs",
    "Economic Analysis",
    "Energy Transition",
    "Urban Settlements",
    "Forests",
    "Biodiversity",
    "Disaster Risk Reduction",
    "Education",
    "Cultural Heritage",
    "Labour Standards",
    "Aviation Safety",
    "Maritime Safety",
    "Telecommunications",
    "Postal Cooperation",
    "Intellectual Property",
    "Industrial Development",
    "Agricultural Research",
    "Meteorology",
    "Nuclear Safety",
    "Chemical Safety",
    "Counter-Terrorism",
    "Internal Oversight",
    "Ethics",
    "Conference Management",
    "Information Technology",
    "Safety and Security",
    "Global Communications",
    "Management Strategy",
    "Training and Research",
    "Indigenous Peoples",
    "Small Island States",
    "Least Developed Countries",
    "Desertification",
    "Mine Action",
    "Electoral Assistance",
    "Rule of Law",
    "Road Safety",
    "Volunteer Service",
    "Project Services",
    "Population Affairs",
    "Housing",
    "Tourism",
    "Stabilization",
    "Reconstruction",
]
LARGE = ("DPO", "Department of Peace Operations", "field")
TOP = ("EXO", "Executive Office", "hq")
UNIT_WORDS = [
    ["Division", "Section", "Team", "Cell"],
    ["Office", "Service", "Section", "Team"],
    ["Branch", "Section", "Unit", "Team"],
    ["Pillar", "Division", "Section", "Team"],
]
HEADQUARTERS = "New York"
AWAY_STATIONS = ["Geneva", "Vienna", "Nairobi", "Bangkok", "Santiago", "Beirut", "Addis Ababa", "Bonn", "Rome", "Montreal", "The Hague", "Paris"]
FIELD_STATIONS = [
    "Juba",
    "Bamako",
    "Goma",
    "Bangui",
    "Kabul",
    "Port-au-Prince",
    "Pristina",
    "Naqoura",
    "Nicosia",
    "Abyei",
    "Tripoli",
    "Baghdad",
    "Mogadishu",
    "Entebbe",
    "Brindisi",
    "Kinshasa",
    "Gao",
    "Malakal",
]

# (value, weight); "" is left blank in the file.
CATEGORY = {
    "hq": [("international", 55), ("national", 18), ("non-staff", 22), ("", 5)],
    "away": [("international", 38), ("national", 42), ("non-staff", 15), ("", 5)],
    "field": [("international", 22), ("national", 58), ("non-staff", 15), ("", 5)],
}
LOCATION = {
    "hq": [("headquarters", 84), ("away", 10), ("field", 4), ("", 2)],
    "away": [("away", 76), ("headquarters", 12), ("field", 10), ("", 2)],
    "field": [("field", 80), ("away", 9), ("headquarters", 9), ("", 2)],
}
LANGUAGE = {
    "hq": [("en", 55), ("fr", 15), ("es", 10), ("ar", 6), ("ru", 5), ("zh", 5), ("", 4)],
    "away": [("en", 42), ("fr", 20), ("es", 15), ("ar", 9), ("ru", 6), ("zh", 4), ("", 4)],
    "field": [("en", 38), ("fr", 28), ("ar", 16), ("es", 8), ("ru", 3), ("zh", 3), ("", 4)],
}
MODES = [(Mode.IN_PERSON.value, 60), (Mode.VIDEO.value, 32), (Mode.PHONE.value, 8)]

# The simulated cascade runs on a virtual clock 0..HORIZON, mapped onto the days of the cycle
# that have passed, so that the share of people reached does not depend on today's date.
HORIZON = 100.0
TARGET_REACH = 0.5  # of the people, reached by the sessions held so far
NEVER_LEADS = 0.12  # a manager who attended but will not lead a session before today
ALL_PRESENT = 0.5  # a session where every direct report attends
CATCH_UP = 0.35  # a second session for those who missed the first


def _weighted(rng: random.Random, table: list[tuple[str, int]]):
    values, weights = zip(*table)
    return rng.choices(values, weights)[0]


_TRANSLIT = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ı": "i", "ß": "ss", "æ": "ae", "đ": "d"})


def _split_name(entry: str) -> tuple[str, str]:
    """`display|ascii`, or a Latin-script name whose ascii spelling is derived."""
    if "|" in entry:
        display, ascii_ = entry.split("|")
        return display, ascii_
    plain = unicodedata.normalize("NFKD", entry.translate(_TRANSLIT)).encode("ascii", "ignore").decode().lower()
    return entry, "".join(c for c in plain if c.isalnum() or c == "-").strip("-")


def _acronym(words: str) -> str:
    return "".join(w[0] for w in words.replace("-", " ").split() if w[0].isupper())


class Plan:
    """The organization and the cascade, generated in memory before anything is written."""

    def __init__(self, people: int, seed: int):
        self.rng = random.Random(seed)
        self.n = people
        # Per person, by position in creation order (the reporting tree, depth first).
        self.manager: list[int] = []
        self.entity: list[int] = []
        self.unit: list[str] = []
        self.depth: list[int] = []
        self.reports: list[list[int]] = []
        # Per entity: code, name, profile, size, unit levels, unit words.
        self.entities: list[dict] = []
        # (entity position, path) -> parent path or None, in creation order (parents first).
        self.units: dict[tuple[int, str], str | None] = {}
        self._unit_children: dict[tuple[int, str], int] = {}
        self._make_entities()
        self._make_tree()
        assert len(self.manager) == people, (len(self.manager), people)

    # -- entities ---------------------------------------------------------------------------

    def _make_entities(self) -> None:
        rng, n = self.rng, self.n
        count = max(2, min(60, round(math.sqrt(n) / 2.5)))  # 7 for 300 people, 60 from 22,500
        others = count - 1  # besides the office at the top; the first of them is the large one
        groups = math.ceil(others / 10) if others > 10 else 0  # deputies between the top and heads
        top_size = max(2 + groups, round(n * 0.002))
        rest = n - top_size
        large = max(1, round(n * rng.uniform(0.15, 0.20))) if others > 1 else rest
        sizes = [large]
        if others > 1:
            weights = [rng.lognormvariate(0, 1.3) for _ in range(others - 1)]
            cap = 0.6 * large
            remaining = rest - large
            # Cap the others below the large entity, spreading what is cut over the rest.
            for _ in range(10):
                total = sum(weights)
                over = [i for i, w in enumerate(weights) if w / total * remaining > cap]
                if not over:
                    break
                for i in over:
                    weights[i] = cap / remaining * total * rng.uniform(0.7, 0.95)
            total = sum(weights)
            other_sizes = [max(1, int(w / total * remaining)) for w in weights]
            # Give the rounding difference to the largest of the others (or take it from them).
            diff = remaining - sum(other_sizes)
            order = sorted(range(len(other_sizes)), key=lambda i: -other_sizes[i])
            i = 0
            while diff:
                j = order[i % len(order)]
                step = 1 if diff > 0 else -1
                if other_sizes[j] + step >= 1:
                    other_sizes[j] += step
                    diff -= step
                i += 1
            sizes += other_sizes
        specs = [(TOP[0], TOP[1], TOP[2], top_size)]
        specs.append((LARGE[0], LARGE[1], LARGE[2], sizes[0]))
        themes = rng.sample(THEMES, len(sizes) - 1) if len(sizes) > 1 else []
        used = {TOP[0], LARGE[0]}
        for theme, size in zip(themes, sizes[1:]):
            kind, profile = rng.choice(KINDS)
            name = f"{kind} {theme}"
            code = base = _acronym(name)
            number = 2
            while code in used:
                code, number = f"{base}{number}", number + 1
            used.add(code)
            specs.append((code, name, profile, size))
        for code, name, profile, size in specs:
            if size < 15:
                levels = 0
            elif size < 60:
                levels = 1
            elif size < 400:
                levels = rng.choice([1, 2, 2])
            elif size < 3000:
                levels = rng.choice([2, 3, 3])
            else:
                levels = rng.choice([3, 4, 4])
            if code == LARGE[0]:
                levels = max(levels, 1) if size < 3000 else 4
            # Where its people work when not at headquarters: missions in up to three places.
            stations = rng.sample(FIELD_STATIONS, rng.randint(1, 3)) if profile == "field" else [rng.choice(AWAY_STATIONS)]
            self.entities.append(
                {"code": code, "name": name, "profile": profile, "size": size, "levels": levels, "words": rng.choice(UNIT_WORDS), "stations": stations}
            )
        self.groups = groups

    # -- the reporting tree -------------------------------------------------------------------

    def _add(self, manager: int, entity: int, unit: str) -> int:
        self.manager.append(manager)
        self.entity.append(entity)
        self.unit.append(unit)
        self.depth.append(self.depth[manager] + 1 if manager >= 0 else 0)
        self.reports.append([])
        position = len(self.manager) - 1
        if manager >= 0:
            self.reports[manager].append(position)
        return position

    def _new_unit(self, entity: int, parent: str, level: int) -> str:
        key = (entity, parent)
        number = self._unit_children[key] = self._unit_children.get(key, 0) + 1
        name = f"{self.entities[entity]['words'][level - 1]} {number}"
        path = f"{parent}{UNIT_SEPARATOR}{name}" if parent else name
        self.units[(entity, path)] = parent or None
        return path

    def _split(self, budget: int, levels: int) -> list[int]:
        """Sub-tree sizes of a manager's direct reports (0 for someone with no reports), for a
        sub-tree of `budget` people below the manager meant to be about `levels` deep."""
        rng = self.rng
        if budget <= 12:
            return [0] * budget
        branching = budget ** (1 / max(levels, 1))
        share = rng.uniform(0.55, 0.95)  # of the direct reports who manage others in turn
        # Teams at the bottom have 8-12 people: a manager below gets at least 8.
        k = min(12, max(3, round(branching / share * rng.uniform(0.8, 1.25))), budget - 8)
        rest = budget - k
        managers = min(k, max(1, round(k * share)), rest // 8)
        weights = [rng.lognormvariate(0, 0.35) for _ in range(managers)]
        floor = 8
        spare = rest - floor * managers
        total = sum(weights)
        shares = [floor + int(spare * w / total) for w in weights]
        shares[0] += rest - sum(shares)
        sizes = shares + [0] * (k - managers)
        rng.shuffle(sizes)
        return sizes

    def _grow(self, root: int, budget: int, entity: int, path: str, level: int, levels: int | None = None) -> None:
        """Fill the sub-tree below `root` with `budget` people, about `levels` deep (by default
        as deep as a team of about 7 per level needs)."""
        if levels is None:
            levels = min(6, max(1, math.ceil(math.log(max(budget, 2)) / math.log(7))))
        unit_levels = self.entities[entity]["levels"]
        for size in self._split(budget, levels):
            if size >= UNIT_MIN and level < unit_levels:
                child_path, child_level = self._new_unit(entity, path, level + 1), level + 1
            else:
                child_path, child_level = path, level
            child = self._add(root, entity, child_path)
            if size:
                self._grow(child, size, entity, child_path, child_level, levels - 1)

    def _make_tree(self) -> None:
        rng = self.rng
        top = self._add(-1, 0, "")
        heads = list(range(1, len(self.entities)))
        rng.shuffle(heads)
        deputies = [self._add(top, 0, "") for _ in range(self.groups)]
        rest_of_top = self.entities[0]["size"] - 1 - len(deputies)
        if rest_of_top > 0:
            chief = self._add(top, 0, "")  # the chief of staff, with the rest of the office
            self._grow(chief, rest_of_top - 1, 0, "", 0)
        for i, entity in enumerate(heads):
            manager = deputies[i % len(deputies)] if deputies else top
            head = self._add(manager, entity, "")
            self._grow(head, self.entities[entity]["size"] - 1, entity, "", 0)

    # -- people's attributes --------------------------------------------------------------------

    def person_rows(self):
        """(index_number, name, email, manager index, entity position, unit path, category,
        location_type, duty_station, language) for each person, in creation order."""
        rng = self.rng
        index_numbers = [str(i) for i in rng.sample(range(10_000_000, 100_000_000), self.n)]
        given = [_split_name(g) for g in GIVEN]
        family = [_split_name(f) for f in FAMILY]
        emails: dict[str, int] = {}
        rows = []
        for position in range(self.n):
            g_display, g_ascii = rng.choice(given)
            f_display, f_ascii = rng.choice(family)
            if rng.random() < SECOND_FAMILY_SHARE:
                f2_display, f2_ascii = rng.choice(family)
                if f2_display != f_display:
                    f_display, f_ascii = f"{f_display} {f2_display}", f"{f_ascii}-{f2_ascii}"
            local = f"{g_ascii}.{f_ascii}"
            seen = emails.get(local, 0)
            emails[local] = seen + 1
            # Slugs hold no digits, so a numbered address never meets an unnumbered one.
            email = f"{local}{seen + 1 if seen else ''}@example.org"
            entity = self.entities[self.entity[position]]
            profile = entity["profile"]
            location = _weighted(rng, LOCATION[profile])
            if location == "headquarters":
                station = HEADQUARTERS
            elif location == "away":
                station = entity["stations"][0] if profile == "away" else rng.choice(AWAY_STATIONS)
            elif location == "field":
                station = rng.choice(entity["stations"]) if profile == "field" else rng.choice(FIELD_STATIONS)
            else:
                station = ""
            if rng.random() < 0.03:
                station = ""
            manager = self.manager[position]
            rows.append(
                (
                    index_numbers[position],
                    f"{g_display} {f_display}",
                    email,
                    index_numbers[manager] if manager >= 0 else None,
                    self.entity[position],
                    self.unit[position],
                    _weighted(rng, CATEGORY[profile]),
                    location,
                    station,
                    _weighted(rng, LANGUAGE[profile]),
                )
            )
        return rows

    # -- the cascade ------------------------------------------------------------------------------

    def sessions(self, seed: int) -> list[tuple[int, float, str, list[int]]]:
        """(leader, virtual time, mode, participants) for every session held, top down; the
        mean time managers take to lead is chosen so that about half the people are reached."""
        low, high = 1.0, HORIZON
        best: tuple[float, list] | None = None
        for _ in range(10):
            delay = (low * high) ** 0.5
            held = self._simulate(random.Random(seed * 7919 + 17), delay)
            reached = len({p for *_rest, participants in held for p in participants} | {leader for leader, *_rest in held}) / self.n
            if best is None or abs(reached - TARGET_REACH) < abs(best[0] - TARGET_REACH):
                best = (reached, held)
            if reached > TARGET_REACH:
                low = delay
            else:
                high = delay
        return best[1]

    def _simulate(self, rng: random.Random, mean_delay: float) -> list[tuple[int, float, str, list[int]]]:
        held = []
        attended = [False] * self.n
        ready = [(0, 0.0)]  # the top of the organization starts it
        while ready:
            leader, since = ready.pop()
            team = self.reports[leader]
            # The top and the heads of entities all lead; further down some managers do not.
            if not team or (self.depth[leader] > 2 and rng.random() < NEVER_LEADS):
                continue
            when = since + (rng.uniform(1, 5) if leader == 0 else rng.uniform(0.3, 1.7) * mean_delay)
            if when > HORIZON:
                continue
            absent = [] if len(team) < 3 or rng.random() < ALL_PRESENT else rng.sample(team, rng.randint(1, max(1, len(team) // 4)))
            present = [p for p in team if p not in absent]
            participants = list(present)
            wanted = rng.randint(10, 25)
            if len(participants) < wanted:
                below = [g for p in present for g in self.reports[p]]
                participants += rng.sample(below, min(len(below), wanted - len(participants)))
            held.append((leader, when, _weighted(rng, MODES), participants))
            later = []
            if absent and rng.random() < CATCH_UP:
                again = when + rng.uniform(3, 15)
                if again <= HORIZON:
                    held.append((leader, again, _weighted(rng, MODES), list(absent)))
                    later = [(p, again) for p in absent]
            for person, at in [(p, when) for p in participants] + later:
                if not attended[person]:
                    attended[person] = True
                    ready.append((person, at))
        return held


class Command(BaseCommand):
    help = "Create a synthetic organization of N people with a cycle in progress, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--replace", action="store_true", help="delete the people, units, sessions and attendance already there first")
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="the date taken as today (YYYY-MM-DD); sessions are not dated after it")

    def handle(self, *args, people, seed, replace, today, **options):
        if people < 20:
            raise CommandError("--people must be at least 20", returncode=2)
        if Person.objects.exists() and not replace:
            raise CommandError("people already exist; give --replace to delete them and seed again", returncode=2)
        started = time.perf_counter()
        today = today or timezone.localdate()
        year = today.year if today >= datetime.date(today.year, 9, 1) else today.year - 1
        opens, deadline = datetime.date(year, 9, 1), datetime.date(year, 12, 31)
        last = min(today, deadline)

        plan = Plan(people, seed)
        rows = plan.person_rows()
        held = plan.sessions(seed)

        with transaction.atomic():
            _clear()  # with no people, there are no sessions either: this only clears empty units
            entity_ids = _write_entities(plan)
            unit_ids = _write_units(plan, entity_ids)
            objects = [
                Person(
                    index_number=index_number,
                    name=name,
                    email=email,
                    manager_id=manager,
                    entity_id=entity_ids[entity],
                    unit_id=unit_ids[(entity, unit)] if unit else None,
                    category=category,
                    location_type=location,
                    duty_station=station,
                    language=language,
                    active=True,
                )
                for index_number, name, email, manager, entity, unit, category, location, station, language in rows
            ]
            Person.objects.bulk_create(objects, batch_size=BATCH)
            pks = [p.pk for p in objects]
            del objects

            cycle, _created = cycle_open(year=year, topic="Speaking up and listening (synthetic cycle)", opens=opens, deadline=deadline)
            span = (last - opens).days
            sessions, refs = [], {}
            for leader, when, mode, _participants in held:
                refs[leader] = refs.get(leader, 0) + 1
                day = opens + datetime.timedelta(days=int(when / HORIZON * span))
                sessions.append(Session(cycle=cycle, leader_id=pks[leader], ref=f"dialogue-{refs[leader]}", date=day, mode=mode))
            Session.objects.bulk_create(sessions, batch_size=BATCH)
            attendance = [Attendance(session_id=s.pk, person_id=pks[p]) for s, (*_rest, participants) in zip(sessions, held) for p in participants]
            Attendance.objects.bulk_create(attendance, batch_size=BATCH)

        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would gather them a minute later.
            with connection.cursor() as cursor:
                tables = [m._meta.db_table for m in (Entity, Unit, Person, Session, Attendance)]
                cursor.execute("ANALYZE " + ", ".join(tables))

        reached = {p for *_rest, participants in held for p in participants} | {leader for leader, *_rest in held}
        self.stdout.write(
            f"seeded {people} people in {len(plan.entities)} entities ({len(plan.units)} units, reporting lines "
            f"{max(plan.depth)} deep); cycle {year}: {len(sessions)} sessions, {len(attendance)} attendances, "
            f"{len(reached)} people reached ({100 * len(reached) / people:.0f}%) — seed {seed}, "
            f"{time.perf_counter() - started:.1f} s"
        )


def _clear() -> None:
    """Remove what a previous seed (or import) wrote: everything that points at people or units —
    sessions and attendance of every cycle, invitations... — then people and units. Links that
    may be empty (a user's person, a feedback's unit) are emptied. Entities are kept, and reused
    when a code comes again."""
    for target in (Person, Unit):
        for relation in target._meta.related_objects:
            model, field = relation.related_model, relation.field.name
            if model in (Person, Unit):
                continue
            if relation.on_delete is models.SET_NULL:
                model.objects.filter(**{f"{field}__isnull": False}).update(**{field: None})
            else:
                model.objects.all().delete()
    # People point at each other (PROTECT), which the ORM's collector refuses even when all of
    # them go; the database checks the (deferred) foreign keys at commit instead. Table names
    # come from the models: no user text in the SQL.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Person._meta.db_table}")  # noqa: S608
        cursor.execute(f"DELETE FROM {Unit._meta.db_table}")  # noqa: S608


def _write_entities(plan: Plan) -> dict[int, int]:
    existing = {e.code: e for e in Entity.objects.all()}
    codes = [e["code"] for e in plan.entities]
    new = []
    for spec in plan.entities:
        entity = existing.get(spec["code"])
        if entity is None:
            new.append(Entity(code=spec["code"], name=spec["name"]))
        elif entity.name != spec["name"]:
            entity.name = spec["name"]
            entity.save(update_fields=["name"])
    Entity.objects.bulk_create(new)
    ids = dict(Entity.objects.filter(code__in=codes).values_list("code", "pk"))
    return {i: ids[spec["code"]] for i, spec in enumerate(plan.entities)}


def _write_units(plan: Plan, entity_ids: dict[int, int]) -> dict[tuple[int, str], int]:
    """Level by level, so that each unit can point at its parent."""
    ids: dict[tuple[int, str], int] = {}
    by_level: dict[int, list[tuple[int, str, str | None]]] = {}
    for (entity, path), parent in plan.units.items():
        by_level.setdefault(path.count(UNIT_SEPARATOR), []).append((entity, path, parent))
    for level in sorted(by_level):
        units = [Unit(entity_id=entity_ids[entity], path=path, parent_id=ids[(entity, parent)] if parent else None) for entity, path, parent in by_level[level]]
        Unit.objects.bulk_create(units, batch_size=BATCH)
        ids.update({(entity, path): unit.pk for (entity, path, _parent), unit in zip(by_level[level], units)})
    return ids
