from django.urls import path

from . import views, views_assessment

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
    # Appendix F, the anonymous facilitator assessment, and the Ethics Office's insight
    path("my/sessions/", views_assessment.my_sessions, name="my_sessions"),
    path("my/sessions/<int:pk>/assess/", views_assessment.assess_issue, name="assess_issue"),
    path("assess/thanks/", views_assessment.assess_thanks, name="assess_thanks"),
    path("assess/preview/", views_assessment.assess_preview, name="assess_preview"),
    path("assess/<str:token>/", views_assessment.assess, name="assess"),
    path("my/assessments/", views_assessment.my_assessments, name="my_assessments"),
    path("entities/<str:code>/assessments/", views_assessment.entity_assessments, name="entity_assessments"),
    path("insight/", views_assessment.insight, name="insight"),
    path("insight/<int:year>.<str:fmt>", views_assessment.insight_export, name="insight_export"),
]
