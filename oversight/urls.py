from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("entities/<str:code>/", views.entity, name="entity"),
]
