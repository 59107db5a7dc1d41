from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom layer: reading uploaded tables, writing exports, the audit trail and staged
    uploads. It imports no other app of the project."""

    name = "core"
    verbose_name = _("Core")
