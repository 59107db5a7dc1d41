"""The demonstration organization: invented entities, people and a cycle in progress.

Everything is generated from fixed seeds, so `manage.py demo` builds the same organization and
the same sessions on every run. Nothing here touches the database: the command hands these rows
to the services a real import goes through, so the demo obeys the same rules.
"""

import datetime
import random
import unicodedata
from dataclasses import dataclass, field

from core.tabular import Table

SEED = 1309
PLAN_SEED = 246  # chosen so that the entities land at clearly different stages
EMAIL_DOMAIN = "demo.cascade.example"
TOPIC = "Gifts, hospitality and favours: knowing where to draw the line"
FRONT_OFFICE = "Front Office"

# Given names and family names per cultural group; people draw both from one group so that
# the combinations stay plausible. All combinations are synthetic.
CULTURES: dict[str, tuple[list[str], list[str]]] = {
    "arab": (
        ["Amira", "Karim", "Layla", "Omar", "Nadia", "Youssef", "Hala", "Tariq", "Samira", "Walid", "Rania", "Fadi", "Dalia", "Hisham"],
        ["Haddad", "Mansour", "El-Amin", "Khoury", "Saleh", "Nasser", "Farouk", "Aziz", "Hamdan", "Qasim", "Barakat", "Shami"],
    ),
    "chinese": (
        ["Wei", "Lina", "Jun", "Mei", "Hao", "Xiaoling", "Jian", "Yan", "Bo", "Ting", "Lei", "Qing"],
        ["Zhang", "Wang", "Liu", "Chen", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Lin", "Guo"],
    ),
    "japanese": (
        ["Yuki", "Haruto", "Sakura", "Kenji", "Aiko", "Daisuke", "Ren", "Haruka"],
        ["Tanaka", "Sato", "Watanabe", "Nakamura", "Kobayashi", "Yamamoto", "Ishikawa", "Mori"],
    ),
    "korean": (
        ["Min-jun", "Ji-woo", "Seo-yeon", "Hyun-woo", "Eun-ji", "Do-yoon", "Soo-ah", "Jae-won"],
        ["Kim", "Park", "Choi", "Jung", "Han", "Yoon", "Kang", "Lim"],
    ),
    "russian": (
        ["Anna", "Dmitri", "Olga", "Sergei", "Irina", "Pavel", "Natalia", "Alexei", "Elena", "Mikhail", "Tatiana", "Yuri"],
        ["Kovalenko", "Shevchenko", "Bondarenko", "Petrenko", "Marchenko", "Tkachenko", "Savchenko", "Lysenko"],
    ),
    "balkan": (
        ["Luka", "Ivana", "Marko", "Petra", "Nikola", "Ana", "Goran", "Maja"],
        ["Horvat", "Novak", "Kovačević", "Babić", "Marković", "Petrović", "Jurić", "Kovač"],
    ),
    "hispanic": (
        ["Lucía", "Mateo", "Camila", "Diego", "Valentina", "Javier", "Sofía", "Andrés", "Paula", "Carlos", "Ximena", "Rodrigo"],
        ["García", "Fernández", "Morales", "Rojas", "Castillo", "Vargas", "Herrera", "Mendoza", "Ortiz", "Navarro", "Salazar", "Paredes"],
    ),
    "iberian": (
        ["João", "Beatriz", "Tiago", "Mariana", "Inês", "Rui", "Carla", "Nuno", "Marta", "Pedro"],
        ["Silva", "Oliveira", "Costa", "Pereira", "Almeida", "Carvalho", "Sousa", "Ferreira", "Lopes", "Ribeiro"],
    ),
    "french": (
        ["Camille", "Étienne", "Amélie", "Julien", "Claire", "Mathieu", "Élodie", "Olivier", "Margaux", "Bastien", "Solène", "Thibault"],
        ["Dubois", "Lefèvre", "Moreau", "Girard", "Mercier", "Rousseau", "Fontaine", "Chevalier", "Lambert", "Perrin"],
    ),
    "sahel": (
        ["Aminata", "Moussa", "Fatou", "Ibrahima", "Seydou", "Mariam", "Oumar", "Awa", "Boubacar", "Kadiatou"],
        ["Diallo", "Traoré", "Ndiaye", "Koné", "Sow", "Camara", "Keita", "Cissé", "Bamba", "Sylla"],
    ),
    "gulf_of_guinea": (
        ["Kofi", "Ama", "Kwame", "Adjoa", "Chinedu", "Ngozi", "Emeka", "Yaa", "Folake", "Tunde"],
        ["Mensah", "Owusu", "Boateng", "Okafor", "Adeyemi", "Eze", "Asante", "Nwosu", "Darko", "Afolabi"],
    ),
    "kenyan": (
        ["Amani", "Wanjiru", "Baraka", "Njeri", "Achieng", "Juma", "Zawadi", "Halima", "Imani", "Kibet"],
        ["Otieno", "Mwangi", "Kamau", "Odhiambo", "Wambui", "Njoroge", "Mutua", "Kiptoo", "Nyambura", "Okello"],
    ),
    "ethiopian": (
        ["Tesfaye", "Selam", "Abebe", "Hiwot", "Dawit", "Meron", "Yonas", "Liya"],
        ["Haile", "Bekele", "Tadesse", "Girma", "Alemu", "Mekonnen", "Wolde", "Assefa"],
    ),
    "indian": (
        ["Priya", "Arjun", "Ananya", "Rahul", "Sunita", "Vikram", "Sanjay", "Meera", "Kabir", "Lakshmi"],
        ["Sharma", "Patel", "Iyer", "Nair", "Reddy", "Banerjee", "Joshi", "Menon"],
    ),
    "south_asian_muslim": (
        ["Farah", "Imran", "Tahmina", "Ayesha", "Bilal", "Nusrat", "Zain", "Sadia"],
        ["Khan", "Rahman", "Chowdhury", "Qureshi", "Hossain", "Siddiqui", "Malik", "Akhtar"],
    ),
    "vietnamese": (
        ["Minh", "Thi Lan", "Linh", "Hoang", "Thu", "Quang", "Mai", "Tuan"],
        ["Nguyen", "Tran", "Pham", "Le", "Vo", "Dang", "Bui", "Do"],
    ),
    "filipino": (
        ["Maricel", "Paolo", "Jasmine", "Ramon", "Kristine", "Jericho", "Lourdes", "Emilio"],
        ["Santos", "Reyes", "Bautista", "Dela Cruz", "Villanueva", "Aquino", "Garcia", "Mercado"],
    ),
    "indonesian": (
        ["Siti", "Arif", "Dewi", "Bayu", "Rina", "Agus", "Putri", "Hendra"],
        ["Wijaya", "Rahmat", "Hartono", "Susanto", "Setiawan", "Nugroho", "Saputra", "Lestari"],
    ),
    "turkish": (
        ["Elif", "Emre", "Zeynep", "Mehmet", "Aylin", "Burak", "Defne", "Kerem"],
        ["Yılmaz", "Demir", "Kaya", "Aydın", "Şahin", "Çelik", "Arslan", "Öztürk"],
    ),
    "persian": (
        ["Sepideh", "Dariush", "Leyla", "Kaveh", "Arash", "Shirin", "Navid", "Parisa"],
        ["Rahimi", "Karimi", "Tehrani", "Moradi", "Sadeghi", "Hosseini", "Jafari", "Ebrahimi"],
    ),
    "nordic_german": (
        ["Ingrid", "Lars", "Freya", "Sven", "Katrin", "Jonas", "Anke", "Matthias", "Sigrid", "Henrik"],
        ["Andersen", "Lindgren", "Becker", "Schneider", "Berg", "Vogel", "Halvorsen", "Krüger", "Hoffmann", "Nyberg"],
    ),
    "anglo": (
        ["Hannah", "Thomas", "Emily", "James", "Sarah", "Oliver", "Aoife", "Callum", "Grace", "Rhys"],
        ["Murphy", "O'Connor", "Walsh", "Thompson", "Clarke", "Hughes", "Fletcher", "Doyle", "Bennett", "Price"],
    ),
}

# The working language someone prefers, by cultural group (drawn from the list).
LANGUAGES = {
    "arab": ["ar", "ar", "ar", "en", "fr"],
    "chinese": ["zh", "zh", "zh", "en"],
    "japanese": ["en", "en", "zh"],
    "korean": ["en"],
    "russian": ["ru", "ru", "en"],
    "balkan": ["en", "en", "ru"],
    "hispanic": ["es", "es", "es", "en"],
    "iberian": ["es", "en", "fr"],
    "french": ["fr", "fr", "en"],
    "sahel": ["fr", "fr", "fr", "ar"],
    "gulf_of_guinea": ["en", "en", "fr"],
    "kenyan": ["en"],
    "ethiopian": ["en", "en", "fr"],
    "indian": ["en"],
    "south_asian_muslim": ["en", "en", "ar"],
    "vietnamese": ["en", "fr"],
    "filipino": ["en", "en", "es"],
    "indonesian": ["en"],
    "turkish": ["en", "en", "fr"],
    "persian": ["en", "en", "fr"],
    "nordic_german": ["en", "en", "fr"],
    "anglo": ["en", "en", "en", "fr"],
}

# Duty station -> (location type, cultural groups of people recruited locally). The field towns
# are invented, so that the mission points at no real country.
STATIONS = {
    "New York": ("headquarters", ["anglo", "hispanic", "indian", "chinese", "filipino"]),
    "Geneva": ("away", ["french", "nordic_german", "iberian", "balkan"]),
    "Vienna": ("away", ["nordic_german", "balkan", "russian", "turkish"]),
    "Nairobi": ("away", ["kenyan"]),
    "Montevideo": ("away", ["hispanic"]),
    "Port of Spain": ("away", ["anglo", "indian"]),
    "Valencia": ("away", ["hispanic", "iberian"]),
    "Port Meridian": ("field", ["kenyan", "ethiopian", "gulf_of_guinea", "sahel"]),
    "Tamboro": ("field", ["kenyan", "sahel"]),
    "Sandoa": ("field", ["sahel", "gulf_of_guinea"]),
    "Kessaria": ("field", ["ethiopian", "arab"]),
    "Lake Oyana": ("field", ["kenyan", "ethiopian"]),
    "Ravel Heights": ("field", ["gulf_of_guinea"]),
}

# How each location recruits: weights of international, national and non-staff personnel.
CATEGORY_WEIGHTS = {"headquarters": (75, 10, 15), "away": (55, 30, 15), "field": (30, 55, 15)}
CATEGORIES = ("international", "national", "non-staff")


@dataclass(frozen=True)
class SectionSpec:
    name: str
    teams: tuple[str, ...] = ()
    station: str = ""  # empty: the division's
    language: str = ""  # translators work into their section's language


@dataclass(frozen=True)
class DivisionSpec:
    name: str
    station: str
    sections: tuple[SectionSpec, ...]


@dataclass(frozen=True)
class EntitySpec:
    code: str
    name: str
    station: str
    front_office: int
    divisions: tuple[DivisionSpec, ...]
    # How far the cascade has gone: the chance that a manager who attended has led their own
    # session, the chance that a session reached all reports, and the chance that a manager who
    # has not attended yet went ahead anyway.
    lead: float
    full: float
    go_ahead: float = 0.0


S, D = SectionSpec, DivisionSpec

ENTITIES: tuple[EntitySpec, ...] = (
    EntitySpec(
        "ODG", "Office of the Director-General", "New York", 2,
        (
            D("Cabinet", "New York", (S("Policy and Planning"), S("Correspondence and Records"))),
            D("Strategic Communications", "New York", (S("Speechwriting"), S("Media and Digital Outreach", ("Press Desk", "Social Media")))),
            D("Legal Counsel", "New York", (S("Administrative Law"), S("Agreements and Privileges"))),
        ),
        lead=0.8, full=0.7,
    ),
    EntitySpec(
        "OHC", "Office for Humanitarian Coordination", "New York", 2,
        (
            D("Policy and Analysis", "New York", (S("Needs Assessment"), S("Humanitarian Financing", ("Pooled Funds", "Donor Reporting")))),
            D("Emergency Response", "Geneva", (S("Surge Deployment", ("Roster Management", "Rapid Response")), S("Civil-Military Liaison"))),
            D(
                "Field Coordination", "Port Meridian",
                (
                    S("Tamboro Sub-Office", ("Access and Logistics", "Community Engagement"), station="Tamboro"),
                    S("Kessaria Sub-Office", station="Kessaria"),
                    S("Lake Oyana Hub", station="Lake Oyana"),
                ),
            ),
            D("Information Management", "Geneva", (S("Data and Mapping"), S("Situation Reporting"))),
        ),
        lead=0.7, full=0.7,
    ),
    EntitySpec(
        "IMLR", "Integrated Mission for the Lakes Region", "Port Meridian", 3,
        (
            D("Political Affairs", "Port Meridian", (S("Political Analysis"), S("Electoral Support", ("Voter Education", "Electoral Logistics")))),
            D("Human Rights", "Port Meridian", (S("Monitoring and Investigations", ("Northern Sector", "Southern Sector")), S("Protection of Civilians"))),
            D(
                "Civil Affairs", "Port Meridian",
                (
                    S("Tamboro Regional Office", ("Local Governance",), station="Tamboro"),
                    S("Sandoa Regional Office", station="Sandoa"),
                    S("Ravel Heights Field Office", station="Ravel Heights"),
                ),
            ),
            D("Mission Support", "Port Meridian", (S("Supply Chain", ("Warehousing", "Fuel and Rations")), S("Engineering"), S("Medical Services"))),
            D("Rule of Law", "Port Meridian", (S("Justice Support"), S("Corrections Advisory"))),
        ),
        lead=0.4, full=0.5, go_ahead=0.1,
    ),
    EntitySpec(
        "ECCR", "Economic Commission for the Coastal Regions", "Montevideo", 2,
        (
            D("Trade and Integration", "Montevideo", (S("Trade Policy"), S("Regional Integration"))),
            D("Statistics", "Montevideo", (S("Economic Statistics"), S("Social and Demographic Statistics"))),
            D("Sustainable Development", "Montevideo", (S("Climate and Oceans"), S("Energy Transition"))),
            D("Subregional Office for the Islands", "Port of Spain", (S("Programme Support"), S("Disaster Risk Analysis"))),
        ),
        lead=1.0, full=0.85,
    ),
    EntitySpec(
        "DCLS", "Department for Conference and Language Services", "New York", 2,
        (
            D("Meetings Management", "New York", (S("Planning and Coordination"), S("Documents Management", ("Editorial Control", "Publishing")))),
            D(
                "Translation Services", "New York",
                (
                    S("Arabic Translation", language="ar"),
                    S("Chinese Translation", language="zh"),
                    S("English Translation", language="en"),
                    S("French Translation", station="Geneva", language="fr"),
                    S("Russian Translation", station="Vienna", language="ru"),
                    S("Spanish Translation", language="es"),
                ),
            ),
            D("Interpretation Services", "Geneva", (S("Booth Coordination"), S("Remote Interpretation"))),
            D("Conference Services Nairobi", "Nairobi", (S("Meeting Support"), S("Language Support"))),
        ),
        lead=0.7, full=0.7,
    ),
    EntitySpec(
        "DFSL", "Department of Field Support and Logistics", "New York", 2,
        (
            D("Supply and Procurement", "New York", (S("Strategic Sourcing"), S("Contract Management"))),
            D("Logistics Operations", "Valencia", (S("Movement Control", ("Air Operations", "Surface Transport")), S("Asset Management"))),
            D("Technology Services", "Valencia", (S("Field Networks"), S("Service Desk"))),
            D("Field Personnel", "New York", (S("Recruitment"), S("Onboarding and Welfare"))),
        ),
        lead=0.05, full=0.5,
    ),
)
HEAD_OFFICE = "ODG"  # the entity of the head of the organization

# Someone outside the organization file: the Ethics Office officer of the demo.
ETHICS_OFFICER = ("Noor", "Lindqvist")
# Also outside the file: the organization administrator (HR), who loads it.
ORG_ADMINISTRATOR = ("Rosa", "Achterberg")
# Guests who signed a sheet without being in the organization file: (entity, name).
GUESTS = (("OHC", "Tomasz Wieczorek (consultant)"), ("IMLR", "Abena Kyei (partner agency)"))


@dataclass
class DemoPerson:
    index_number: str
    first: str
    last: str
    email: str
    manager: str  # index number, "" at the top
    entity: str
    unit: str
    category: str
    location_type: str
    duty_station: str
    language: str
    depth: int
    reports: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    def row(self, entity_names: dict[str, str]) -> dict[str, str]:
        return {
            "index_number": self.index_number,
            "name": self.name,
            "email": self.email,
            "manager_index_number": self.manager,
            "entity": self.entity,
            "entity_name": entity_names[self.entity],
            "unit": self.unit,
            "category": self.category,
            "location_type": self.location_type,
            "duty_station": self.duty_station,
            "language": self.language,
        }


def email_part(text: str) -> str:
    """`Élodie` -> `elodie`, `O'Connor` -> `oconnor`, `Thi Lan` -> `thilan`."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("ı", "i")).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower() if c.isalnum() or c == "-")


def email_for(first: str, last: str, suffix: str = "") -> str:
    return f"{email_part(first)}.{email_part(last)}{suffix}@{EMAIL_DOMAIN}"


class _Builder:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.people: list[DemoPerson] = []
        self.names: set[str] = {" ".join(ETHICS_OFFICER), " ".join(ORG_ADMINISTRATOR)}
        self.emails: set[str] = {email_for(*ETHICS_OFFICER), email_for(*ORG_ADMINISTRATOR)}

    def person(self, *, manager: DemoPerson | None, entity: str, unit: str, station: str, rank: int, language: str = "") -> DemoPerson:
        """rank 0: a head or a director, always international; 1: a section chief, mostly
        international; 2: a team leader; 3: everyone else."""
        rng = self.rng
        location_type, local = STATIONS[station]
        if rank == 0 or (rank == 1 and rng.random() < 0.8):
            category = "international"
        else:
            category = rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS[location_type])[0]
        culture = rng.choice(local) if category == "national" else rng.choice(sorted(CULTURES))
        first_names, last_names = CULTURES[culture]
        first, last = rng.choice(first_names), rng.choice(last_names)
        while f"{first} {last}" in self.names:
            first, last = rng.choice(first_names), rng.choice(last_names)
        self.names.add(f"{first} {last}")
        email, n = email_for(first, last), 1
        while email in self.emails:  # two names can share an address once accents are gone
            n += 1
            email = email_for(first, last, str(n))
        self.emails.add(email)
        if not language:
            language = "" if rng.random() < 0.04 else rng.choice(LANGUAGES[culture])
        person = DemoPerson(
            index_number=f"D{100001 + len(self.people)}",
            first=first,
            last=last,
            email=email,
            manager=manager.index_number if manager else "",
            entity=entity,
            unit=unit,
            category=category,
            location_type=location_type,
            duty_station=station,
            language=language,
            depth=manager.depth + 1 if manager else 0,
        )
        if manager:
            manager.reports.append(person.index_number)
        self.people.append(person)
        return person

    def entity(self, spec: EntitySpec, head: DemoPerson) -> None:
        rng = self.rng
        for _ in range(spec.front_office):
            self.person(manager=head, entity=spec.code, unit=FRONT_OFFICE, station=spec.station, rank=3)
        for division in spec.divisions:
            director = self.person(manager=head, entity=spec.code, unit=division.name, station=division.station, rank=0)
            for _ in range(max(rng.randint(1, 2), 3 - len(division.sections))):
                self.person(manager=director, entity=spec.code, unit=division.name, station=division.station, rank=3)
            for section in division.sections:
                path, station = f"{division.name} > {section.name}", section.station or division.station
                chief = self.person(manager=director, entity=spec.code, unit=path, station=station, rank=1, language=section.language)
                staff = rng.randint(1, 3) if section.teams else rng.randint(3, 9)
                for _ in range(max(staff, 3 - len(section.teams))):
                    self.person(manager=chief, entity=spec.code, unit=path, station=station, rank=3, language=section.language)
                for team in section.teams:
                    team_path = f"{path} > {team}"
                    leader = self.person(manager=chief, entity=spec.code, unit=team_path, station=station, rank=2)
                    for _ in range(rng.randint(3, 7)):
                        self.person(manager=leader, entity=spec.code, unit=team_path, station=station, rank=3)


def build_people() -> list[DemoPerson]:
    """The whole organization, top first: the head of the organization leads the head office
    and the heads of every other entity."""
    builder = _Builder()
    specs = {spec.code: spec for spec in ENTITIES}
    top = builder.person(manager=None, entity=HEAD_OFFICE, unit=FRONT_OFFICE, station=specs[HEAD_OFFICE].station, rank=0)
    builder.entity(specs[HEAD_OFFICE], top)
    for spec in ENTITIES:
        if spec.code != HEAD_OFFICE:
            head = builder.person(manager=top, entity=spec.code, unit=FRONT_OFFICE, station=spec.station, rank=0)
            builder.entity(spec, head)
    for person in builder.people:
        if person.reports and not 3 <= len(person.reports) <= 12:
            raise ValueError(f"{person.index_number} would manage {len(person.reports)} people; the demo keeps 3 to 12")
    return builder.people


def org_table(people: list[DemoPerson]) -> Table:
    names = {spec.code: spec.name for spec in ENTITIES}
    header = list(people[0].row(names))
    return Table(header=header, rows=[(number, person.row(names)) for number, person in enumerate(people, start=2)])


@dataclass
class DemoSession:
    leader: str
    ref: str
    when: float  # where in the cycle's elapsed time it took place: 0 = opening day, 1 = today
    mode: str
    participants: list[str]
    guests: list[str] = field(default_factory=list)


MODES = {  # weights of in person, video, phone by the leader's location
    "headquarters": (85, 15, 0),
    "away": (70, 30, 0),
    "field": (60, 25, 15),
}


def plan_sessions(
    people: list[DemoPerson],
    *,
    seed: object = PLAN_SEED,
    progress: dict[str, tuple[float, float, float]] | None = None,
    guests: tuple[tuple[str, str], ...] = GUESTS,
) -> list[DemoSession]:
    """Who led which session and who attended, top down. Heads of entity all led; below them
    each entity's `lead`, `full` and `go_ahead` chances (its spec's, or `progress[code]`) set how
    far the cascade has reached."""
    by_index = {p.index_number: p for p in people}
    specs = {spec.code: spec for spec in ENTITIES}
    attended_at: dict[str, float] = {}
    sessions: list[DemoSession] = []
    # A stable sort: by depth, then in the order people were generated.
    for manager in sorted((p for p in people if p.reports), key=lambda p: p.depth):
        spec = specs[manager.entity]
        lead, full, go_ahead = progress[manager.entity] if progress else (spec.lead, spec.full, spec.go_ahead)
        # One generator per manager: tuning one entity leaves every other entity's sessions as they are.
        rng = random.Random(f"{seed}-{manager.index_number}")
        if manager.depth <= 1:
            leads = True
        elif manager.index_number in attended_at:
            leads = rng.random() < lead
        else:
            leads = rng.random() < go_ahead
        if not leads:
            continue
        present = list(manager.reports)
        # Heads meet their whole senior team; further down, someone may have been away.
        if rng.random() >= full and manager.depth > 1:
            # One report, or up to half of them, on leave or on mission that day.
            chosen = set(rng.sample(present, len(present) - rng.randint(1, max(1, len(present) // 2))))
            present = [p for p in present if p in chosen]
        # Larger teams sometimes meet in two groups, so that everyone finds a slot.
        groups = [present[0::2], present[1::2]] if len(present) >= 8 and rng.random() < 0.35 else [present]
        start = attended_at.get(manager.index_number, 0.0)
        for number, group in enumerate(groups, start=1):
            when = min(1.0, start + rng.uniform(0.05, 0.3))
            mode = rng.choices(("in_person", "video", "phone"), weights=MODES[manager.location_type])[0]
            sessions.append(DemoSession(manager.index_number, f"DEMO-{manager.index_number}-{number}", when, mode, group))
            for participant in group:
                attended_at.setdefault(participant, when)
    for entity, guest in guests:
        held = [s for s in sessions if by_index[s.leader].entity == entity]
        if held:
            max(held, key=lambda s: min(by_index[s.leader].depth, 2)).guests.append(guest)
    return sessions


# The fewest days of a cycle the demo shows behind us: fewer would not show a cascade in progress.
MIN_DAYS_BEHIND = 21


def cycle_year(today: datetime.date) -> int:
    """The year of the demo's current cycle: this year, except in the first three weeks of
    January, when so little of the year is behind us that the demo shows the cycle whose deadline
    has just passed, as the organization sees it while the last reports and certifications come in."""
    return today.year - 1 if today < datetime.date(today.year, 1, 1) + datetime.timedelta(days=MIN_DAYS_BEHIND) else today.year


def cycle_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The cycle runs from 1 September to 31 December. Before late September there would be too
    little of it behind us to show a cascade in progress, so the demo then opens it earlier."""
    year = cycle_year(today)
    opens, deadline = datetime.date(year, 9, 1), datetime.date(year, 12, 31)
    if today < opens + datetime.timedelta(days=MIN_DAYS_BEHIND):
        opens = max(datetime.date(year, 1, 1), today - datetime.timedelta(days=60))
    return opens, deadline


def session_date(when: float, opens: datetime.date, last: datetime.date) -> datetime.date:
    """Place a session on a working day between `opens` and `last` (both included)."""
    day = opens + datetime.timedelta(days=round(when * (last - opens).days))
    friday = day - datetime.timedelta(days=day.weekday() - 4)
    monday = day + datetime.timedelta(days=7 - day.weekday())
    if day.weekday() == 5:  # a Saturday moves to the Friday before, a Sunday to the Monday after
        day = friday if friday >= opens else monday if monday <= last else day
    elif day.weekday() == 6:
        day = monday if monday <= last else friday if friday >= opens else day
    return day


ATTENDANCE_HEADER = ["session_ref", "date", "leader_index_number", "participant_index_number", "participant_name", "mode"]


def attendance_table(sessions: list[DemoSession], opens: datetime.date, last: datetime.date) -> Table:
    """The sessions as the rows of an attendance file (the columns import_attendance reads)."""
    rows = []
    for session in sessions:
        common = {"session_ref": session.ref, "date": session_date(session.when, opens, last).isoformat(), "leader_index_number": session.leader, "mode": session.mode}
        rows.extend({**common, "participant_index_number": p, "participant_name": ""} for p in session.participants)
        rows.extend({**common, "participant_index_number": "", "participant_name": g} for g in session.guests)
    return Table(header=ATTENDANCE_HEADER, rows=list(enumerate(rows, start=2)))


@dataclass(frozen=True)
class Personas:
    """The people whose accounts the demo prints, by index number."""

    entity: str
    head: str
    focal_point: str
    ready_manager: str
    participant: str


def choose_personas(people: list[DemoPerson], sessions: list[DemoSession], entity: str = "OHC") -> Personas:
    """In one entity: its head, a focal point from its front office, a manager halfway down who
    attended but has not led yet, and a participant with no reports who attended."""
    attended = {p for s in sessions for p in s.participants}
    leaders = {s.leader for s in sessions}
    members = [p for p in people if p.entity == entity]
    head = next(p for p in members if p.depth == 1)
    focal = next(p for p in members if p.unit == FRONT_OFFICE and not p.reports)
    ready = next(
        p for p in sorted(members, key=lambda p: abs(p.depth - 3))
        if p.reports and p.index_number in attended and p.index_number not in leaders
    )
    participant = next(
        p for p in sorted(members, key=lambda p: -p.depth)
        if not p.reports and p.index_number in attended and p is not focal
    )
    return Personas(entity, head.index_number, focal.index_number, ready.index_number, participant.index_number)


# --- the previous cycle, and the leaders' feedback (Appendix C) --------------------------------

PREVIOUS_TOPIC = "Speaking up: raising a concern, and the protection that comes with it"
PREVIOUS_PLAN_SEED = 135
# The previous cycle is over: every entity got further than this year so far, from about 80 %
# (the mission) to everyone (the commission). (lead, full, go_ahead) per entity, as in EntitySpec;
# by the end of a cycle many managers went ahead without waiting for their own session.
PREVIOUS_PROGRESS = {
    "ODG": (0.95, 0.8, 0.5),
    "OHC": (0.95, 0.85, 0.6),
    "IMLR": (0.85, 0.7, 0.5),
    "ECCR": (1.0, 0.95, 0.8),
    "DCLS": (0.9, 0.8, 0.5),
    "DFSL": (0.9, 0.8, 0.5),
}
# Leaders' feedback: the share of sessions reported, and the weights of ratings 1 to 5.
FEEDBACK_SEED = 512
FEEDBACK_SHARE = {"current": 0.6, "previous": 0.8}
FEEDBACK_RATINGS = {"current": (2, 5, 20, 45, 28), "previous": (4, 9, 27, 40, 20)}


def previous_cycle_window(today: datetime.date) -> tuple[datetime.date, datetime.date, datetime.date]:
    """The cycle before the current one (`cycle_year`): opens 1 September, deadline 31 December,
    last session on 19 December."""
    year = cycle_year(today) - 1
    return datetime.date(year, 9, 1), datetime.date(year, 12, 31), datetime.date(year, 12, 19)


WENT_WELL = (
    "The team spoke openly once the first example was on the table.",
    "Colleagues brought situations from their own work; the discussion felt real.",
    "The scenarios were short enough to leave time for everyone's questions.",
    "Quieter colleagues took part when we discussed the second scenario in pairs.",
    "My own story at the start set a frank tone for the rest of the session.",
    "Meeting by video let the colleagues of the sub-office join us.",
    "People had read the participant guide beforehand and came with questions.",
    "La discussion sur le deuxième scénario a été très riche.",
    "El equipo participó activamente y propuso ejemplos propios.",
)
WENT_BADLY = (
    "Ninety minutes was tight: we covered only two scenarios.",
    "The line dropped twice for the colleagues who joined by phone.",
    "Some colleagues found the references hard to follow without the full texts.",
    "A few people stayed silent; it was hard to draw them in.",
    "The room was too small for the whole team.",
    "We started late because of an urgent meeting.",
    "Nothing in particular.",
)
TOPIC_IDEAS = (
    "Conflicts of interest in recruitment",
    "Conflicts of interest when relatives apply for a post",
    "Personal use of social media",
    "What we may post on social media in a personal capacity",
    "Speaking up about misconduct, and protection against retaliation",
    "Protection against retaliation after reporting",
    "Respect and civility in the workplace",
    "Civility and respect in meetings, online and in person",
    "Outside activities and second jobs",
    "Outside activities: teaching, writing and volunteering",
    "Fraud prevention in procurement",
    "Preventing harassment and abuse of authority",
    "Abuse of authority by supervisors",
    "Financial disclosure: who files and why",
)
# Questions a session could not answer, forwarded to the Ethics Office: several are asked in
# more than one session, in other words, which is what the annual report groups.
QUESTIONS = {
    "previous": (
        "Can I report misconduct anonymously, and will it still be looked into?",
        "Is an anonymous report investigated like any other report?",
        "Will my supervisor be told that I reported something?",
        "Is my report kept confidential from my own supervisor?",
        "Are consultants protected against retaliation when they report misconduct?",
        "Do individual contractors have the same protection against retaliation as staff?",
        "How long does the Ethics Office take to review a retaliation complaint?",
        "Whom do I report to when the misconduct involves my own manager?",
    ),
    "current": (
        "Is there a value below which a gift may be accepted?",
        "What is the highest value of a gift we may accept from a supplier?",
        "May I accept a meal offered by a government counterpart during a mission?",
        "Can we accept a lunch from the host government during a field visit?",
        "What should I do with a gift delivered to my home address?",
        "How do I record a gift I could not refuse without offending the host?",
        "Do the rules on gifts apply to consultants and interns?",
        "Does the gift policy also cover individual contractors and interns?",
        "Can the team keep a basket of fruit sent by a vendor at the end of the year?",
    ),
}


@dataclass(frozen=True)
class DemoFeedback:
    """A session leader's Appendix C: no participant is named in it."""

    leader: str
    ref: str
    participants: int
    unit_personnel: int
    guide_rating: int
    topics_rating: int
    went_well: str
    went_badly: str
    recommended_topics: str
    unanswered_questions: str
    scenarios: tuple[int, ...]  # orders of the kit's scenarios discussed; () without a kit


def plan_feedback(
    people: list[DemoPerson],
    sessions: list[DemoSession],
    *,
    seed: object,
    share: float,
    ratings: tuple[int, ...],
    questions: tuple[str, ...],
    scenarios: int = 0,
) -> list[DemoFeedback]:
    """Appendix C for about `share` of the sessions: ratings drawn with the weights `ratings`
    (of 1 to 5), texts from the lists above, an unanswered question in about a third of them.
    One generator per session, so the same session gets the same feedback on every run."""
    by_index = {p.index_number: p for p in people}
    personnel: dict[tuple[str, str], int] = {}
    for p in people:
        personnel[(p.entity, p.unit)] = personnel.get((p.entity, p.unit), 0) + 1
    planned = []
    for session in sessions:
        rng = random.Random(f"{seed}-{session.leader}-{session.ref}")
        if rng.random() >= share:
            continue
        leader = by_index[session.leader]
        planned.append(
            DemoFeedback(
                leader=session.leader,
                ref=session.ref,
                participants=len(session.participants) + len(session.guests),
                unit_personnel=personnel[(leader.entity, leader.unit)],
                guide_rating=rng.choices(range(1, 6), weights=ratings)[0],
                topics_rating=rng.choices(range(1, 6), weights=ratings)[0],
                went_well=rng.choice(WENT_WELL),
                went_badly=rng.choice(WENT_BADLY),
                recommended_topics="\n".join(rng.sample(TOPIC_IDEAS, rng.choice((1, 1, 2)))),
                unanswered_questions=rng.choice(questions) if rng.random() < 0.35 else "",
                scenarios=tuple(sorted(rng.sample(range(1, scenarios + 1), 2))) if scenarios >= 2 else (),
            )
        )
    return planned
