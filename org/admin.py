from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import DutyStation, Entity, Person, Unit
from .services import people_deactivate, people_reactivate


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "time_zone"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["path", "entity"]
    list_filter = ["entity"]
    search_fields = ["path"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["index_number", "name", "email", "entity", "unit", "duty_station", "time_zone", "active"]
    list_filter = ["active", "entity", "category", "location_type"]
    search_fields = ["index_number", "name", "email"]
    raw_id_fields = ["manager", "unit"]
    list_select_related = ["entity", "unit"]
    actions = ["deactivate_people", "reactivate_people"]

    def save_model(self, request, obj, form, change):
        """Someone made inactive (or active again) here leaves (or comes back) as through an
        import: their account and role grants follow (the admin's save is one transaction)."""
        super().save_model(request, obj, form, change)
        if change and "active" in form.changed_data:
            if obj.active:
                people_reactivate(person_ids=[obj.pk], actor=request.user, source="admin")
            else:
                people_deactivate(person_ids=[obj.pk], actor=request.user, source="admin")

    @admin.action(description=gettext_lazy("Deactivate the selected people and close their access"))
    def deactivate_people(self, request, queryset):
        change = people_deactivate(person_ids=list(queryset.active().values_list("pk", flat=True)), actor=request.user, source="admin")
        self.message_user(
            request,
            " ".join(
                [
                    ngettext("%(count)d person deactivated:", "%(count)d people deactivated:", change.people) % {"count": change.people},
                    ngettext("%(count)d account closed,", "%(count)d accounts closed,", change.accounts) % {"count": change.accounts},
                    ngettext("%(count)d role grant suspended.", "%(count)d role grants suspended.", change.grants) % {"count": change.grants},
                ]
            ),
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Reactivate the selected people and reopen their accounts (not their role grants)"))
    def reactivate_people(self, request, queryset):
        accounts = people_reactivate(person_ids=list(queryset.filter(active=False).values_list("pk", flat=True)), actor=request.user, source="admin")
        self.message_user(request, _("People reactivated; accounts reopened: %(count)d. Suspended role grants stay suspended.") % {"count": accounts}, messages.SUCCESS)


@admin.register(DutyStation)
class DutyStationAdmin(admin.ModelAdmin):
    """The Ethics Office's table of duty stations and their zones: people without a time zone of
    their own in the organization file live in their duty station's."""

    list_display = ["name", "time_zone"]
    search_fields = ["name", "time_zone"]
