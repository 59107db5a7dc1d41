from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The top layer: the demo organization, its kit and its year in progress (`demo`), and a
    synthetic organization of any size for benchmarks (`seed_scale`). Nothing imports it but its
    own commands and the tests."""

    name = "demo"
    verbose_name = _("Demo")
