"""Routes of the dialogue kit; included by dialogues/urls.py under the `dialogues` namespace."""

from django.urls import path

from . import views_kit as views
from . import views_kit_translations

urlpatterns = [
    path("kit/", views.kit_current, name="kit_current"),
    path("kit/<int:year>/participant/", views.kit_participant, name="kit_participant"),
    path("kit/<int:year>/leader/", views.kit_leader, name="kit_leader"),
    path("kit/<int:year>/edit/", views.kit_edit, name="kit_edit"),
    path("kit/<int:year>/edit/publish/", views.kit_publish, name="kit_publish"),
    path("kit/<int:year>/edit/translations/<str:language>/", views_kit_translations.kit_translations, name="kit_translations"),
    path("kit/<int:year>/edit/agenda/", views.agenda_add, name="kit_agenda_add"),
    path("kit/<int:year>/edit/agenda/<int:pk>/", views.agenda_edit, name="kit_agenda_edit"),
    path("kit/<int:year>/edit/agenda/<int:pk>/delete/", views.agenda_delete, name="kit_agenda_delete"),
    path("kit/<int:year>/edit/agenda/<int:pk>/move/", views.agenda_move, name="kit_agenda_move"),
    path("kit/<int:year>/edit/scenarios/", views.scenario_add, name="kit_scenario_add"),
    path("kit/<int:year>/edit/scenarios/<int:pk>/", views.scenario_edit, name="kit_scenario_edit"),
    path("kit/<int:year>/edit/scenarios/<int:pk>/delete/", views.scenario_delete, name="kit_scenario_delete"),
    path("kit/<int:year>/edit/scenarios/<int:pk>/move/", views.scenario_move, name="kit_scenario_move"),
    path("kit/<int:year>/edit/scenarios/<int:scenario_pk>/questions/", views.question_add, name="kit_question_add"),
    path("kit/<int:year>/edit/questions/<int:pk>/", views.question_edit, name="kit_question_edit"),
    path("kit/<int:year>/edit/questions/<int:pk>/delete/", views.question_delete, name="kit_question_delete"),
    path("kit/<int:year>/edit/questions/<int:pk>/move/", views.question_move, name="kit_question_move"),
]
