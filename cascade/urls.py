from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("accounts.urls")),
    path("org/", include("org.urls")),
    path("dialogues/", include("dialogues.urls")),
    path("oversight/", include("oversight.urls")),
    path("feedback/", include("feedback.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
