from django.contrib import admin
from django.urls import include, path

from accounts.views import LoginView
from dialogues.views import signin as views_signin
from oversight.views import chase, home

urlpatterns = [
    # The short address typed in the room, printed beside the QR code.
    path("s/", views_signin.signin_entry, name="signin_entry"),
    path("", home.home, name="home"),
    path("", include("accounts.urls")),
    path("org/", include("accounts.urls_org")),
    # A leader reminding their invitees: a page of the session's, sent by oversight's reminders.
    path("dialogues/sessions/<int:pk>/remind/", chase.remind_invitees, name="remind_invitees"),
    path("dialogues/", include("dialogues.urls")),
    path("dialogues/", include("kit.urls")),
    path("oversight/", include("oversight.urls")),
    path("feedback/", include("feedback.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin's login is the site's, throttled like it (one way in, one set of controls).
    path("admin/login/", LoginView.as_view(redirect_authenticated_user=False)),
    path("admin/", admin.site.urls),
]
