"""Routes of signin; included by dialogues/urls.py.

The short top-level route for typing the code is meant to be wired in cascade/urls.py as
`path("s/", views_signin.signin_entry, name="signin_entry")`; until then `/dialogues/s/` serves.
"""

from django.urls import path

from . import views_signin

urlpatterns = [
    path("s/", views_signin.signin_entry, name="signin_entry"),
    path("signin/<int:pk>/", views_signin.signin, name="signin"),
    path("sessions/<int:pk>/signin-display/", views_signin.signin_display, name="signin_display"),
    path("sessions/<int:pk>/attendance/", views_signin.attendance_monitor, name="attendance_monitor"),
    path("sessions/<int:pk>/monitor/", views_signin.monitor_appoint, name="monitor_appoint"),
    path("sessions/<int:pk>/attendance/conference/", views_signin.attendance_conference, name="attendance_conference"),
    path("sessions/<int:pk>/attendance/sheet/", views_signin.attendance_sheet, name="attendance_sheet"),
]
