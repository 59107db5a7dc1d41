from django.urls import path

from . import views

app_name = "dialogues"
urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("attendance/import/", views.attendance_upload, name="attendance_upload"),
]
