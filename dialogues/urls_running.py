"""Routes of running; included by dialogues/urls.py."""

from django.urls import path

from . import views_running

urlpatterns = [
    path("sessions/<int:pk>/facilitate/", views_running.facilitate, name="facilitate"),
    path("sessions/<int:pk>/facilitate/scenarios/", views_running.facilitate_scenarios, name="facilitate_scenarios"),
    path("sessions/<int:pk>/room/", views_running.room, name="room"),
    path("sessions/<int:pk>/facilitate/count/", views_running.facilitate_count, name="facilitate_count"),
    path("sessions/<int:pk>/captures/", views_running.capture_add, name="capture_add"),
    path("sessions/<int:pk>/captures/<int:capture_pk>/delete/", views_running.capture_delete, name="capture_delete"),
    path("sessions/<int:pk>/sheet/", views_running.sheet, name="sheet"),
    path("sessions/<int:pk>/sheet.pdf", views_running.sheet_pdf, name="sheet_pdf"),
]
