from django.urls import path

from .views import assessments, reports

app_name = "feedback"
urlpatterns = [
    path("sessions/<int:pk>/", reports.leader_feedback, name="leader_feedback"),
    path("my/reports/", reports.my_reports, name="my_reports"),
    path("my/questions/", reports.my_questions, name="my_questions"),
    path("entities/<str:code>/not-reported/", reports.entity_not_reported, name="entity_not_reported"),
    path("questions/", reports.question_queue_view, name="question_queue"),
    path("questions/<int:pk>/", reports.question_detail, name="question_detail"),
    path("faq/", reports.faq, name="faq"),
    path("faq/<int:year>/", reports.faq, name="faq"),
    # Appendix F, the anonymous facilitator assessment, and the Ethics Office's insight
    path("my/sessions/", assessments.my_sessions, name="my_sessions"),
    path("my/sessions/<int:pk>/assess/", assessments.assess_issue, name="assess_issue"),
    path("assess/thanks/", assessments.assess_thanks, name="assess_thanks"),
    path("assess/preview/", assessments.assess_preview, name="assess_preview"),
    path("assess/<str:token>/", assessments.assess, name="assess"),
    path("my/assessments/", assessments.my_assessments, name="my_assessments"),
    path("entities/<str:code>/assessments/", assessments.entity_assessments, name="entity_assessments"),
    path("insight/", assessments.insight, name="insight"),
    path("insight/<int:year>.<str:fmt>", assessments.insight_export, name="insight_export"),
]
