"""A second organization of named people, for the tests of who may see whose name: distinctive
names and a long reporting line. The accounts' password and `make_user` are
cascade/testing.py's (imported here as well for tests written before it)."""

from cascade.testing import PASSWORD, make_user  # noqa: F401 (re-exported)
from org.models import Entity, Person


def two_entities() -> dict[str, Person]:
    """Two entities with distinctive names, for the tests of who may see whose name.

    OPS: hana heads it; leo reports to hana and leads rita, who leads gus, who leads gia (three
    levels below leo), and ian (inactive); pia and fay (OPS's focal point) also report to hana.
    FIN: fred heads it; olive and gwen report to fred. Index numbers are sequential, as they are
    in the organization."""
    ops = Entity.objects.create(code="OPS", name="Operations")
    fin = Entity.objects.create(code="FIN", name="Finance")
    rows = [
        ("hana", "D100001", "Hana Headwater", None, ops, True),
        ("leo", "D100002", "Leo Lanternfish", "D100001", ops, True),
        ("rita", "D100003", "Rita Riverbank", "D100002", ops, True),
        ("gus", "D100004", "Gus Grassmere", "D100003", ops, True),
        ("gia", "D100005", "Gia Glenmorrow", "D100004", ops, True),
        ("pia", "D100006", "Pia Pebblecroft", "D100001", ops, True),
        ("fay", "D100007", "Fay Fernhollow", "D100001", ops, True),
        ("ian", "D100008", "Ian Ivybridge", "D100002", ops, False),
        ("fred", "D100101", "Fred Foxglove", None, fin, True),
        ("olive", "D100102", "Olive Oakhurst", "D100101", fin, True),
        ("gwen", "D100103", "Gwen Gorsewood", "D100101", fin, True),
    ]
    people = {}
    for key, index_number, name, manager, entity, active in rows:
        people[key] = Person.objects.create(
            index_number=index_number, name=name, email=f"{key}@example.org", manager_id=manager, entity=entity, active=active
        )
    return people
