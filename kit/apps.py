from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KitConfig(AppConfig):
    """The dialogue kit: written by the Ethics Office for a cycle, translated, published, then
    read by every session. Its models depend only on the cycle (org)."""

    name = "kit"
    verbose_name = _("Dialogue kit")
