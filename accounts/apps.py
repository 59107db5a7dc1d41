from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from org.signals import people_left, people_returned

        from .middleware import session_start
        from .services import on_people_left, on_people_returned

        # Every way of logging in (the login page, the admin's, tests' force_login) starts the
        # login session's lifetime (accounts/middleware.py) in the same write as the login.
        user_logged_in.connect(session_start, dispatch_uid="accounts.session_start")
        # People leaving the organization (or coming back) close (or reopen) their accounts and
        # suspend their role grants, in the same transaction (org/signals.py).
        people_left.connect(on_people_left, dispatch_uid="accounts.people_left")
        people_returned.connect(on_people_returned, dispatch_uid="accounts.people_returned")
