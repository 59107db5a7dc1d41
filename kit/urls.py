"""Routes of the dialogue kit, under /dialogues/kit/ and the `kit` namespace."""


from django.urls import path

from .views import editor as views
from .views import translations as views_kit_translations

app_name = "kit"
urlpatterns = [
    path("kit/", views.kit_current, name="current"),
    path("kit/<int:year>/participant/", views.kit_participant, name="participant"),
    path("kit/<int:year>/leader/", views.kit_leader, name="leader"),
    path("kit/<int:year>/edit/", views.kit_edit, name="edit"),
    path("kit/<int:year>/edit/publish/", views.kit_publish, name="publish"),
    path("kit/<int:year>/edit/translations/<str:language>/", views_kit_translations.kit_translations, name="translations"),
    path("kit/<int:year>/edit/agenda/", views.agenda_add, name="agenda_add"),
    path("kit/<int:year>/edit/agenda/<int:pk>/", views.agenda_edit, name="agenda_edit"),
    path("kit/<int:year>/edit/agenda/<int:pk>/delete/", views.agenda_delete, name="agenda_delete"),
    path("kit/<int:year>/edit/agenda/<int:pk>/move/", views.agenda_move, name="agenda_move"),
    path("kit/<int:year>/edit/scenarios/", views.scenario_add, name="scenario_add"),
    path("kit/<int:year>/edit/scenarios/<int:pk>/", views.scenario_edit, name="scenario_edit"),
    path("kit/<int:year>/edit/scenarios/<int:pk>/delete/", views.scenario_delete, name="scenario_delete"),
    path("kit/<int:year>/edit/scenarios/<int:pk>/move/", views.scenario_move, name="scenario_move"),
    path("kit/<int:year>/edit/scenarios/<int:scenario_pk>/questions/", views.question_add, name="question_add"),
    path("kit/<int:year>/edit/questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("kit/<int:year>/edit/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("kit/<int:year>/edit/questions/<int:pk>/move/", views.question_move, name="question_move"),
]
