from django.contrib import admin

from .models import LeaderFeedback, Question


@admin.register(LeaderFeedback)
class LeaderFeedbackAdmin(admin.ModelAdmin):
    list_display = ["session", "entity", "participants", "guide_rating", "topics_rating", "updated_at"]
    list_filter = ["session__cycle", "entity"]
    raw_id_fields = ["session", "entity", "unit", "submitted_by"]
    filter_horizontal = ["scenarios_used"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cycle", "entity", "status", "assigned_to", "created_at"]
    list_filter = ["cycle", "status", "entity"]
    search_fields = ["text", "answer"]
    raw_id_fields = ["session", "assigned_to"]
