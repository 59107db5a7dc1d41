from django.urls import include, path

from . import views

app_name = "dialogues"
urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("attendance/import/", views.attendance_upload, name="attendance_upload"),
    # Each capability keeps its routes beside its views.
    path("", include("dialogues.urls_kit")),
    path("", include("dialogues.urls_signin")),
    path("", include("dialogues.urls_running")),
]
