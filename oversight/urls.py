from django.urls import path

from .views import certification as views_certification
from .views import chase as views_chase
from .views import dashboards as views
from .views import report as views_report

app_name = "oversight"
urlpatterns = [
    path("", views.ethics_office, name="ethics_office"),
    path("entities/<str:code>/", views.entity, name="entity"),
    path("entities/<str:code>/chase/", views_chase.chase, name="chase"),
    path("report/<int:year>/", views_report.annual_report_page, name="annual_report"),
    path("report/<int:year>.<str:fmt>", views_report.annual_report_export, name="annual_report_export"),
    path("entities/<str:code>/certification/", views_certification.certification, name="certification"),
    path("entities/<str:code>/certification/submit/", views_certification.certification_submit, name="certification_submit"),
    path("entities/<str:code>/certification/certify/", views_certification.certification_certify, name="certification_certify"),
    path("entities/<str:code>/certification/reopen/", views_certification.certification_reopen, name="certification_reopen"),
    path("certification/statement/", views_certification.certification_statement, name="certification_statement"),
    path("entities/<str:code>/certification/appendix-e.<str:fmt>", views_certification.certification_export, name="certification_export"),
]
