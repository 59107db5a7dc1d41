from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_start

        # Every way of logging in (the login page, the admin's, tests' force_login) starts the
        # login session's lifetime (accounts/middleware.py) in the same write as the login.
        user_logged_in.connect(session_start, dispatch_uid="accounts.session_start")
