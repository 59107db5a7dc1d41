from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("sessions/<int:pk>/", views.leader_feedback, name="leader_feedback"),
    path("my/reports/", views.my_reports, name="my_reports"),
    path("my/questions/", views.my_questions, name="my_questions"),
    path("entities/<str:code>/not-reported/", views.entity_not_reported, name="entity_not_reported"),
    path("questions/", views.question_queue_view, name="question_queue"),
    path("questions/<int:pk>/", views.question_detail, name="question_detail"),
    path("faq/", views.faq, name="faq"),
    path("faq/<int:year>/", views.faq, name="faq"),
]
