"""The organization administrator's page, under /org/ and the `org` namespace (the page is the
organization's; the role that may use it, and so the view, belong to accounts)."""

from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("import/", views.org_upload, name="upload"),
]
