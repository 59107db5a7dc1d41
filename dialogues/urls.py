from django.urls import path

from .views import running, sessions, signin

app_name = "dialogues"
urlpatterns = [
    path("sessions/", sessions.session_list, name="session_list"),
    path("sessions/new/", sessions.schedule, name="schedule"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", sessions.session_cancel_view, name="session_cancel"),
    path("sessions/<int:pk>/guests/", sessions.session_guests, name="session_guests"),
    path("invitations/", sessions.my_invitations, name="my_invitations"),
    path("attendance/import/", sessions.attendance_upload, name="attendance_upload"),
    # Signing in and recording attendance
    path("s/", signin.signin_entry, name="signin_entry"),
    path("signin/<int:pk>/", signin.signin, name="signin"),
    path("sessions/<int:pk>/signin-display/", signin.signin_display, name="signin_display"),
    path("sessions/<int:pk>/attendance/", signin.attendance_monitor, name="attendance_monitor"),
    path("sessions/<int:pk>/monitor/", signin.monitor_appoint, name="monitor_appoint"),
    path("sessions/<int:pk>/attendance/conference/", signin.attendance_conference, name="attendance_conference"),
    path("sessions/<int:pk>/attendance/sheet/", signin.attendance_sheet, name="attendance_sheet"),
    # Running the session
    path("sessions/<int:pk>/facilitate/", running.facilitate, name="facilitate"),
    path("sessions/<int:pk>/facilitate/scenarios/", running.facilitate_scenarios, name="facilitate_scenarios"),
    path("sessions/<int:pk>/room/", running.room, name="room"),
    path("sessions/<int:pk>/facilitate/count/", running.facilitate_count, name="facilitate_count"),
    path("sessions/<int:pk>/captures/", running.capture_add, name="capture_add"),
    path("sessions/<int:pk>/captures/<int:capture_pk>/delete/", running.capture_delete, name="capture_delete"),
    path("sessions/<int:pk>/sheet/", running.sheet, name="sheet"),
    path("sessions/<int:pk>/sheet.pdf", running.sheet_pdf, name="sheet_pdf"),
]
