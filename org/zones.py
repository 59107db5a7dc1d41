"""Time zones: the names a picker offers, the check of a name from a file, the readable label of
a zone ("Nairobi time"), a moment written in a stated zone, and the zone a person lives in.

A person's zone is, in order: their own `time_zone` (the organization file's column), the zone
the Ethics Office gives their duty station (`DutyStation`), their entity's `time_zone`, UTC.
"""

import datetime
import difflib
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

UTC_NAMES = frozenset({"UTC", "Etc/UTC"})
SYSTEM_ZONEINFO = Path("/usr/share/zoneinfo")

# A zone is named after the city its readers know it by: mostly the city of its IANA name,
# translated; Europe/Zurich is the zone of Geneva, the UN's second duty station, and
# Asia/Shanghai is "Beijing time" to everyone in China. Zones not listed here are named by the
# last part of their IANA name with underscores as spaces ("Port-au-Prince", "Addis Ababa").
ZONE_CITIES = {
    "Africa/Abidjan": gettext_lazy("Abidjan"),
    "Africa/Addis_Ababa": gettext_lazy("Addis Ababa"),
    "Africa/Bamako": gettext_lazy("Bamako"),
    "Africa/Bangui": gettext_lazy("Bangui"),
    "Africa/Cairo": gettext_lazy("Cairo"),
    "Africa/Dakar": gettext_lazy("Dakar"),
    "Africa/Dar_es_Salaam": gettext_lazy("Dar es Salaam"),
    "Africa/Juba": gettext_lazy("Juba"),
    "Africa/Kampala": gettext_lazy("Kampala"),
    "Africa/Khartoum": gettext_lazy("Khartoum"),
    "Africa/Kinshasa": gettext_lazy("Kinshasa"),
    "Africa/Lubumbashi": gettext_lazy("Lubumbashi"),
    "Africa/Mogadishu": gettext_lazy("Mogadishu"),
    "Africa/Nairobi": gettext_lazy("Nairobi"),
    "Africa/Tripoli": gettext_lazy("Tripoli"),
    "America/Bogota": gettext_lazy("Bogotá"),
    "America/Mexico_City": gettext_lazy("Mexico City"),
    "America/Montevideo": gettext_lazy("Montevideo"),
    "America/New_York": gettext_lazy("New York"),
    "America/Panama": gettext_lazy("Panama"),
    "America/Port-au-Prince": gettext_lazy("Port-au-Prince"),
    "America/Santiago": gettext_lazy("Santiago"),
    "America/Sao_Paulo": gettext_lazy("São Paulo"),
    "America/Toronto": gettext_lazy("Toronto"),
    "Asia/Amman": gettext_lazy("Amman"),
    "Asia/Baghdad": gettext_lazy("Baghdad"),
    "Asia/Bangkok": gettext_lazy("Bangkok"),
    "Asia/Beirut": gettext_lazy("Beirut"),
    "Asia/Damascus": gettext_lazy("Damascus"),
    "Asia/Jerusalem": gettext_lazy("Jerusalem"),
    "Asia/Kabul": gettext_lazy("Kabul"),
    "Asia/Kolkata": gettext_lazy("New Delhi"),
    "Asia/Nicosia": gettext_lazy("Nicosia"),
    "Asia/Shanghai": gettext_lazy("Beijing"),
    "Asia/Tokyo": gettext_lazy("Tokyo"),
    "Europe/Amsterdam": gettext_lazy("Amsterdam"),
    "Europe/Belgrade": gettext_lazy("Belgrade"),
    "Europe/Berlin": gettext_lazy("Berlin"),
    "Europe/Brussels": gettext_lazy("Brussels"),
    "Europe/Copenhagen": gettext_lazy("Copenhagen"),
    "Europe/London": gettext_lazy("London"),
    "Europe/Madrid": gettext_lazy("Madrid"),
    "Europe/Paris": gettext_lazy("Paris"),
    "Europe/Rome": gettext_lazy("Rome"),
    "Europe/Vienna": gettext_lazy("Vienna"),
    "Europe/Zurich": gettext_lazy("Geneva"),
}


@cache
def known_zones() -> frozenset[str]:
    """Every name the installed time-zone database answers to, aliases included."""
    return frozenset(available_timezones())


def is_zone(name: str) -> bool:
    return name in known_zones()


def _tab_text(filename: str) -> str:
    """A table of the time-zone database, from the `tzdata` package or else the system's."""
    try:
        return resources.files("tzdata.zoneinfo").joinpath(filename).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        path = SYSTEM_ZONEINFO / filename
        return path.read_text(encoding="utf-8") if path.is_file() else ""


@cache
def canonical_zones() -> tuple[str, ...]:
    """The zones a picker offers, sorted: one name per place, never an alias (Africa/Asmara,
    not Africa/Asmera; Europe/Kyiv, not Europe/Kiev), and UTC. `zone.tab` keeps a zone for every
    country, `zone1970.tab` the zones that differ since 1970; together they are the canonical
    names."""
    names = {"UTC"}
    for filename in ("zone.tab", "zone1970.tab"):
        for line in _tab_text(filename).splitlines():
            if line and not line.startswith("#"):
                columns = line.split("\t")
                if len(columns) >= 3:
                    names.add(columns[2])
    names &= known_zones()
    if len(names) < 2:  # no table anywhere: the area/city names, without the old aliases' areas
        names = {n for n in known_zones() if "/" in n and n.split("/")[0] not in {"Etc", "US", "SystemV", "Brazil", "Canada", "Chile", "Mexico"}}
        names.add("UTC")
    return tuple(sorted(names))


def _nearest_zone(name: str, stations: dict[str, str]) -> str | None:
    """The zone a mistyped name most likely meant: the same name in other letter case, the zone
    of a duty station of that name ("Europe/Geneva" → Europe/Zurich), else a close spelling."""
    folded = name.casefold()
    for zone in canonical_zones():
        if zone.casefold() == folded:
            return zone
    city = _station_key(name.rsplit("/", 1)[-1].replace("_", " "))
    if city in stations:
        return stations[city]
    close = difflib.get_close_matches(name, canonical_zones(), n=1, cutoff=0.8)
    return close[0] if close else None


def zone_problem(name: str, *, stations: dict[str, str] | None = None) -> str | None:
    """Why `name` is not a time zone, with the zone it most likely meant; None when it is one.
    `stations` (duty_station_zones()) lets a duty station's name point at its zone."""
    if is_zone(name):
        return None
    nearest = _nearest_zone(name, stations or {})
    if nearest:
        return _("“%(value)s” is not an IANA time zone name; did you mean %(zone)s?") % {"value": name, "zone": nearest}
    return _("“%(value)s” is not an IANA time zone name such as Africa/Nairobi or Europe/Zurich") % {"value": name}


def validate_time_zone(value: str) -> None:
    """A model field's validator (admin forms): an IANA zone name."""
    problem = zone_problem(value, stations=duty_station_zones()) if value and not is_zone(value) else None
    if problem:
        raise ValidationError(problem, code="time_zone")


def zone_info(name: str) -> datetime.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def zone_city(name: str) -> str:
    """The place a zone is named after, in the active language where translated."""
    if name in UTC_NAMES:
        return "UTC"
    city = ZONE_CITIES.get(name)
    return str(city) if city else name.rsplit("/", 1)[-1].replace("_", " ")


def zone_label(name: str) -> str:
    """ "Nairobi time"; UTC is "UTC"."""
    if name in UTC_NAMES:
        return "UTC"
    # Translators: the time of a place, after a clock time: "10:00 Nairobi time".
    return _("%(city)s time") % {"city": zone_city(name)}


def in_zone(moment: datetime.datetime, zone: str) -> datetime.datetime:
    return moment.astimezone(zone_info(zone))


def format_time(moment: datetime.datetime, zone: str) -> str:
    """ "10 a.m. Nairobi time": the clock time in `zone`, with the zone named."""
    local = in_zone(moment, zone)
    # Translators: a clock time and the zone it is in: "10:00 Nairobi time".
    return _("%(time)s %(zone)s") % {"time": formats.time_format(local, "TIME_FORMAT"), "zone": zone_label(zone)}


def format_when(moment: datetime.datetime, zone: str) -> str:
    """ "Dec. 10, 2026, 10 a.m. Nairobi time": the day (the locale's long form) and the clock time
    in `zone`, with the zone named."""
    local = in_zone(moment, zone)
    # Translators: a day, then a clock time with its zone: "10 December 2026, 10:00 Nairobi time".
    return _("%(date)s, %(time)s") % {"date": formats.date_format(local, "DATE_FORMAT"), "time": format_time(moment, zone)}


def format_your_time(moment: datetime.datetime, zone: str, own_zone: str) -> str:
    """The same moment for someone who lives in `own_zone`: "8 a.m. your time, Geneva", with the
    day when it is another day there; empty when their clock shows the same time as `zone`'s."""
    local, own = in_zone(moment, zone), in_zone(moment, own_zone)
    if local.utcoffset() == own.utcoffset():
        return ""
    time = formats.time_format(own, "TIME_FORMAT")
    if own.date() != local.date():
        time = _("%(date)s, %(time)s") % {"date": formats.date_format(own, "DATE_FORMAT"), "time": time}
    # Translators: a clock time in the reader's own time zone, and the place it is named after.
    return _("%(time)s your time, %(city)s") % {"time": time, "city": zone_city(own_zone)}


def _station_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def duty_station_zones() -> dict[str, str]:
    """The Ethics Office's table of duty stations, keyed by name without case or extra spaces:
    one query."""
    from .models import DutyStation

    return {_station_key(name): zone for name, zone in DutyStation.objects.values_list("name", "time_zone")}


def person_time_zone(person, *, stations: dict[str, str] | None = None) -> str:
    """The IANA zone `person` lives in: their own, else their duty station's, else their
    entity's, else UTC. Pass `stations` (duty_station_zones()) when asking for many people."""
    if person.time_zone:
        return person.time_zone
    if person.duty_station:
        stations = duty_station_zones() if stations is None else stations
        zone = stations.get(_station_key(person.duty_station))
        if zone:
            return zone
    return person.entity.time_zone or "UTC"


def entity_time_zones(entity_id: int) -> dict[str, list[str]]:
    """The zones the entity's active people live in, each with the duty stations that put them
    there (none for a zone given in the organization file): three queries."""
    from .models import Person

    people = Person.objects.active().filter(entity_id=entity_id)
    stations = duty_station_zones()
    zones: dict[str, set[str]] = {}
    for name in people.exclude(duty_station="").values_list("duty_station", flat=True).distinct():
        zone = stations.get(_station_key(name))
        if zone:
            zones.setdefault(zone, set()).add(name)
    for zone in people.exclude(time_zone="").values_list("time_zone", flat=True).distinct():
        zones.setdefault(zone, set())
    return {zone: sorted(names) for zone, names in sorted(zones.items())}


def person_time_zones(people, *, stations: dict[str, str] | None = None) -> dict[int, str]:
    """`person_time_zone` for many people, by primary key, in two queries whatever their number:
    the duty-station table (none when `stations` is given) and the zones of the entities still
    needed (none when the people were loaded with their entity)."""
    from .models import Entity, Person

    people = list(people)
    if stations is None:
        stations = duty_station_zones() if any(not p.time_zone and p.duty_station for p in people) else {}
    zones, pending = {}, []
    for person in people:
        zone = person.time_zone or stations.get(_station_key(person.duty_station))
        if zone:
            zones[person.pk] = zone
        else:
            pending.append(person)
    entity_zones = {p.entity_id: p.entity.time_zone for p in pending if Person.entity.is_cached(p)}
    missing = {p.entity_id for p in pending} - entity_zones.keys()
    if missing:
        entity_zones.update(Entity.objects.filter(pk__in=missing).values_list("pk", "time_zone"))
    for person in pending:
        zones[person.pk] = entity_zones.get(person.entity_id) or "UTC"
    return zones
