from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("", views.ethics_office, name="ethics_office"),
    path("entities/<str:code>/", views.entity, name="entity"),
]
