from django.contrib import admin

from .models import Entity, Person, Unit


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["path", "entity"]
    list_filter = ["entity"]
    search_fields = ["path"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["index_number", "name", "email", "entity", "unit", "active"]
    list_filter = ["active", "entity", "category", "location_type"]
    search_fields = ["index_number", "name", "email"]
    raw_id_fields = ["manager", "unit"]
    list_select_related = ["entity", "unit"]
