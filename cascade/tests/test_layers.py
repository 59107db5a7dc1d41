"""One direction of dependency: an app imports only the apps below it (cascade/layers.py,
docs/architecture.md). Every import is parsed, at any depth of a module, so that an import
hidden inside a function is caught too."""

import re

from django.apps import apps
from django.conf import settings

from cascade.layers import LAYERS, PROJECT, ROOT, imports_between_apps, product_files

# The one import allowed to point upward, with its reason. Keyed by the importing file and the
# module it imports, so that a second upward import from the same place still fails.
ALLOWED_UPWARD = {
    ("feedback/selectors.py", "oversight.models"): (
        "A leader's feedback is frozen once the head of entity has certified the cycle "
        "(feedback.selectors.entity_is_certified). Certification is oversight's and reads the "
        "feedback, so feedback asks oversight this one question, with an import inside the function."
    ),
}


def _key(found) -> tuple[str, str]:
    return found.place.rsplit(":", 1)[0], found.module


def test_no_import_points_upward_but_the_named_exception():
    upward = [found for found in imports_between_apps() if found.upward and _key(found) not in ALLOWED_UPWARD]
    assert upward == [], "imports pointing to a higher layer:\n" + "\n".join(
        f"  {found.place}: {found.source} imports {found.module} ({found.target} is above {found.source})" for found in upward
    )


def test_the_named_exception_is_still_needed():
    """An exception nobody uses any more is removed from the list, not kept as a loophole."""
    used = {_key(found) for found in imports_between_apps() if found.upward}
    assert set(ALLOWED_UPWARD) <= used


def test_the_layers_see_real_imports():
    """The rule reads the code: the apps import each other downward a lot (so a parser that
    found nothing would fail here, not pass the test above)."""
    found = imports_between_apps()
    pairs = {(i.source, i.target) for i in found}
    assert {("dialogues", "org"), ("oversight", "dialogues"), ("feedback", "kit"), ("org", "core")} <= pairs
    assert len(found) > 100


def test_an_import_inside_a_function_pointing_upward_is_found(tmp_path):
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "services.py").write_text(
        "def late():\n    from oversight.models import Certification\n    return Certification\n", encoding="utf-8"
    )
    (tmp_path / "org" / "tests").mkdir()
    (tmp_path / "org" / "tests" / "test_x.py").write_text("from demo import people\n", encoding="utf-8")
    found = imports_between_apps(tmp_path)
    assert [(i.source, i.target, i.module, i.place, i.upward) for i in found] == [
        ("org", "oversight", "oversight.models", "org/services.py:2", True)
    ]


def test_every_app_of_the_project_has_a_place_in_the_layers():
    """A new app must be placed: the test above only checks the apps it knows."""
    ours = {config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir() and config.path.startswith(str(ROOT))}
    assert ours == set(LAYERS)
    assert settings.ROOT_URLCONF.startswith(PROJECT + ".")


def test_no_model_relation_points_upward():
    """A relation written as a string ("org.Cycle") is a dependency too, and the migrations
    follow it: no model refers to a model of a higher layer. The user model is the exception
    Django itself makes: core's audit trail and staged uploads point at `AUTH_USER_MODEL`, the
    swappable user (as django.contrib.admin's log does), not at accounts."""
    upward = []
    for config in apps.get_app_configs():
        if config.name not in LAYERS:
            continue
        for model in config.get_models():
            for field in model._meta.get_fields():
                swappable = getattr(field, "swappable_setting", None) == "AUTH_USER_MODEL"
                if field.is_relation and not field.auto_created and field.related_model is not None and not swappable:
                    target = field.related_model._meta.app_label
                    if target in LAYERS and LAYERS.index(target) > LAYERS.index(config.name):
                        upward.append(f"{model.__name__}.{field.name} -> {target}.{field.related_model.__name__}")
    assert upward == []
    # The rule sees relations: the sessions point at the cycle and the kit below them.
    session = apps.get_model("dialogues", "Session")
    assert {session._meta.get_field("cycle").related_model._meta.app_label, session._meta.get_field("scenarios").related_model._meta.app_label} == {
        "org",
        "kit",
    }


TEMPLATE_NAME = re.compile(r"""["']([a-z_]+)/[\w/.-]+\.(?:html|txt)["']""")


def test_templates_named_by_an_app_are_its_own_or_from_below():
    """Templates are named by strings (render, include, extends): an app's code and templates
    name only its own templates, those of the apps below it, or the project's (templates/)."""
    upward = []
    for app in LAYERS:
        files = [*product_files(app), *(ROOT / app).glob("templates/**/*.html"), *(ROOT / app).glob("templates/**/*.txt")]
        for path in files:
            for match in TEMPLATE_NAME.finditer(path.read_text(encoding="utf-8")):
                owner = match.group(1)
                if owner in LAYERS and LAYERS.index(owner) > LAYERS.index(app):
                    upward.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert upward == []
    named = TEMPLATE_NAME.findall((ROOT / "oversight" / "views" / "home.py").read_text(encoding="utf-8"))
    assert named == ["oversight"]  # the pattern reads the names as the code writes them


def test_the_test_command_collects_every_app():
    """`pytest` with no paths reads testpaths: an app missing there would have its tests skipped
    by `./dev test` without a word."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert set(config["tool"]["pytest"]["ini_options"]["testpaths"]) == {*LAYERS, PROJECT}
