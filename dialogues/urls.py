from django.urls import include, path

from . import views

app_name = "dialogues"
urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.schedule, name="schedule"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel_view, name="session_cancel"),
    path("sessions/<int:pk>/guests/", views.session_guests, name="session_guests"),
    path("invitations/", views.my_invitations, name="my_invitations"),
    path("attendance/import/", views.attendance_upload, name="attendance_upload"),
    # Each capability keeps its routes beside its views.
    path("", include("dialogues.urls_signin")),
    path("", include("dialogues.urls_running")),
]
