"""A database created before the apps were restructured (issue 12: the kit models leave
`dialogues` for `kit`, AuditEntry and StagedFile leave `accounts` for `core`) migrates to the
latest state and keeps every row.

The test takes the database back to the leaf migrations of the day before the change (BEFORE),
unapplying whatever came after, including every migration of an app that did not exist then;
writes one row of each moving model through the historical models of that state; migrates
forward to the latest state of every app; and reads the rows back through the historical models
of the latest state, found by name whatever app they live in then. Before the change it passes
trivially (there is nothing to unapply or apply); its value is after the move.

The database is left migrated to the latest state, as the other tests expect it.
"""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.apps import apps as global_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

REPOSITORY = Path(__file__).resolve().parents[2]

# The leaf migration of each of the project's apps before the restructuring. History: never
# change these when the apps move.
BEFORE = [
    ("accounts", "0003_access_ends_with_the_organization"),
    ("dialogues", "0004_attendance_fewer_indexes"),
    ("feedback", "0004_question_kind_asked_by"),
    ("org", "0002_time_zones_and_duty_stations"),
    ("oversight", "0002_certification_checks_and_statement"),
]

# The models the row of each is written for, by name; where they live after the change is
# deliberately not named here.
MOVING = ["Kit", "AgendaItem", "Scenario", "DiscussionQuestion", "KitTranslation", "ScenarioVote", "AuditEntry", "StagedFile"]


def project_app_labels() -> set[str]:
    """The apps of this repository, wherever in it they are, not Django's own nor an installed
    package's."""
    labels = set()
    for config in global_apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(REPOSITORY) and "site-packages" not in path.parts:
            labels.add(config.label)
    return labels


def model_named(state_apps, name: str):
    """The one model called `name` in a migration state, whatever app of this repository it is
    in (django.contrib.sessions has a Session too)."""
    ours = project_app_labels()
    found = [model for model in state_apps.get_models() if model._meta.object_name == name and model._meta.app_label in ours]
    assert len(found) == 1, f"one model named {name} in the state, not {[m._meta.label for m in found]}"
    return found[0]


def row(model, pk) -> dict:
    """Every column of a row, as the database gives it back (binary data as bytes)."""
    values = model.objects.filter(pk=pk).values(*[f.attname for f in model._meta.concrete_fields]).get()
    return {name: bytes(value) if isinstance(value, memoryview) else value for name, value in values.items()}


def targets_of_before(executor) -> list[tuple[str, str | None]]:
    """BEFORE, plus (app, None) for every app of this repository with migrations that BEFORE
    does not reach: an app made by the restructuring has none of its migrations applied in a
    database from before."""
    graph = executor.loader.graph
    reached = {node for target in BEFORE for node in graph.forwards_plan(target)}
    with_migrations = {app for app, _name in graph.nodes}
    before_apps = {app for app, _name in BEFORE}
    new_apps = (project_app_labels() & with_migrations) - before_apps
    assert not {app for app, _name in reached} & new_apps, "the migrations from before must not depend on migrations of an app added since"
    return BEFORE + [(app, None) for app in sorted(new_apps)]


def migrate_to_latest() -> MigrationExecutor:
    """Apply every migration not applied yet; return an executor that knows they are (a loader
    reads the applied migrations when it builds its graph, not after a migrate)."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor


def write_rows_of_before(before) -> dict:
    """One row of each moving model, and the rows around them, through the historical models
    of the state from before (there, the app of each model is known: it is history)."""
    Entity = before.get_model("org", "Entity")
    Person = before.get_model("org", "Person")
    User = before.get_model("accounts", "User")
    Cycle = before.get_model("dialogues", "Cycle")
    Session = before.get_model("dialogues", "Session")
    Invitation = before.get_model("dialogues", "Invitation")
    Kit = before.get_model("dialogues", "Kit")
    AgendaItem = before.get_model("dialogues", "AgendaItem")
    Scenario = before.get_model("dialogues", "Scenario")
    DiscussionQuestion = before.get_model("dialogues", "DiscussionQuestion")
    KitTranslation = before.get_model("dialogues", "KitTranslation")
    ScenarioVote = before.get_model("dialogues", "ScenarioVote")
    AuditEntry = before.get_model("accounts", "AuditEntry")
    StagedFile = before.get_model("accounts", "StagedFile")

    entity = Entity.objects.create(code="E42", name="Entity forty-two")
    amara = Person.objects.create(index_number="M0042", name="Amara Okafor", email="amara@example.org", entity=entity)
    bilal = Person.objects.create(index_number="P0042", name="Bilal Haddad", email="bilal@example.org", entity=entity, manager=amara)
    ethics = User.objects.create(email="ethics.officer@example.org", password="!", is_staff=True)
    cycle = Cycle.objects.create(year=2026, topic="Gifts and favours", opens=date(2026, 9, 1), deadline=date(2026, 12, 31))

    kit = Kit.objects.create(
        cycle=cycle,
        language="fr",
        why_it_matters="Parce que.",
        key_lessons="Un\nDeux",
        ground_rules="Écouter",
        guidelines="Guide",
        published=True,
    )
    agenda = AgendaItem.objects.create(kit=kit, order=1, title="Welcome", minutes=10, guidance="Say hello")
    gifts = Scenario.objects.create(
        kit=kit,
        order=1,
        title="The bottle of wine",
        format="script",
        text="A supplier sends a bottle.",
        video_url="https://example.org/wine",
        key_messages="Decline\nDeclare",
        resources="ST/SGB/2016/9",
    )
    favours = Scenario.objects.create(kit=kit, order=2, title="The favour", format="written", text="A friend asks for a favour.")
    question = DiscussionQuestion.objects.create(
        scenario=gifts, order=1, text="What would you do?", follow_ups="Why?", important_points="Declare it", references="Rule 1.2"
    )
    translation = KitTranslation.objects.create(
        kit=kit, language="ar", part="scenario", object_id=gifts.pk, field="title", text="زجاجة النبيذ", source_digest="ab" * 32
    )

    session = Session.objects.create(
        cycle=cycle,
        leader=amara,
        ref="R42",
        date=date(2026, 10, 7),
        mode="video",
        starts_at=datetime(2026, 10, 7, 9, 30, tzinfo=UTC),
        time_zone="Africa/Nairobi",
        location="https://meet.example.org/r42",
        languages="en,fr",
    )
    session.scenarios.add(favours)
    invitation = Invitation.objects.create(session=session, person=bilal, needs="Captions")
    vote = ScenarioVote.objects.create(invitation=invitation, scenario=gifts)

    audit = AuditEntry.objects.create(actor=ethics, action="kit.publish", target="2026", detail={"languages": ["fr", "ar"], "note": "première"})
    staged = StagedFile.objects.create(user=ethics, kind="org", data=b"\x00\xffindex_number\r\n", options={"cycle": 2026})

    pks = {
        "Kit": kit.pk,
        "AgendaItem": agenda.pk,
        "Scenario": gifts.pk,
        "DiscussionQuestion": question.pk,
        "KitTranslation": translation.pk,
        "ScenarioVote": vote.pk,
        "AuditEntry": audit.pk,
        "StagedFile": staged.pk,
    }
    models = {"Kit": Kit, "AgendaItem": AgendaItem, "Scenario": Scenario, "DiscussionQuestion": DiscussionQuestion}
    models |= {"KitTranslation": KitTranslation, "ScenarioVote": ScenarioVote, "AuditEntry": AuditEntry, "StagedFile": StagedFile}
    assert set(pks) == set(MOVING)
    return {
        "pks": pks,
        "rows": {name: row(models[name], pk) for name, pk in pks.items()},
        "favours": favours.pk,
        "session": session.pk,
        "invitation": invitation.pk,
        "ethics": ethics.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_restructuring_survive_the_migrations(request):
    if request.config.getoption("nomigrations", default=False):
        pytest.skip("the test database was not built by migrations (--nomigrations)")

    executor = MigrationExecutor(connection)
    try:
        targets = targets_of_before(executor)
        executor.migrate(targets)
        executor.loader.build_graph()
        before = executor.loader.project_state(BEFORE).apps
        written = write_rows_of_before(before)
    finally:
        # Whatever happened, the database ends at the latest state, as the other tests expect it.
        executor = migrate_to_latest()

    latest = executor.loader.graph.leaf_nodes()
    assert executor.migration_plan(latest) == [], "the database is at the latest state"
    after = executor.loader.project_state(latest).apps

    # Every column of every row is as it was written.
    for name in MOVING:
        assert row(model_named(after, name), written["pks"][name]) == written["rows"][name], name

    # The relations between them, followed through the models of the latest state.
    kit = model_named(after, "Kit").objects.get(pk=written["pks"]["Kit"])
    assert kit.cycle.year == 2026
    assert list(kit.agenda.values_list("title", flat=True)) == ["Welcome"]
    assert sorted(kit.scenarios.values_list("title", flat=True)) == ["The bottle of wine", "The favour"]
    assert list(kit.translations.values_list("text", flat=True)) == ["زجاجة النبيذ"]
    gifts = model_named(after, "Scenario").objects.get(pk=written["pks"]["Scenario"])
    assert list(gifts.questions.values_list("text", flat=True)) == ["What would you do?"]

    session = model_named(after, "Session").objects.get(pk=written["session"])
    assert session.ref == "R42"
    assert list(session.scenarios.values_list("pk", "title")) == [(written["favours"], "The favour")]
    assert list(model_named(after, "Scenario").objects.get(pk=written["favours"]).sessions.values_list("ref", flat=True)) == ["R42"]

    vote = model_named(after, "ScenarioVote").objects.get(invitation_id=written["invitation"])
    assert (vote.scenario.title, vote.invitation.person.index_number, vote.invitation.session.ref) == ("The bottle of wine", "P0042", "R42")
    assert list(session.invitations.get().votes.values_list("scenario_id", flat=True)) == [written["pks"]["Scenario"]]

    entry = model_named(after, "AuditEntry").objects.get(pk=written["pks"]["AuditEntry"])
    assert (entry.action, entry.target, entry.actor.email, entry.actor_id) == ("kit.publish", "2026", "ethics.officer@example.org", written["ethics"])
    assert entry.detail == {"languages": ["fr", "ar"], "note": "première"}
    staged = model_named(after, "StagedFile").objects.get(pk=written["pks"]["StagedFile"])
    assert (bytes(staged.data), staged.user.email, staged.options) == (b"\x00\xffindex_number\r\n", "ethics.officer@example.org", {"cycle": 2026})
