from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from core.models import AuditEntry
from org.zones import format_when

from .models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "person", "is_staff", "is_active"]
    search_fields = ["email"]
    raw_id_fields = ["person"]
    inlines = [RoleGrantInline]
    fieldsets = [
        (None, {"fields": ["email", "password", "person"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2", "person"]})]

    def save_model(self, request, obj, form, change):
        # An account closed here loses its login sessions for good, as when its holder leaves
        # (reopening it does not bring the old sessions back).
        if change and "is_active" in form.changed_data and not obj.is_active:
            obj.session_generation += 1
        super().save_model(request, obj, form, change)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["when", "actor", "action", "target"]
    list_filter = ["action"]
    readonly_fields = ["when", "actor", "action", "target", "detail"]

    @admin.display(description=_("when"), ordering="at")
    def when(self, entry: AuditEntry) -> str:
        """In the zone the entry names (a session's), else in UTC; the zone is always stated."""
        zone = entry.detail.get("time_zone") if isinstance(entry.detail, dict) else None
        return format_when(entry.at, zone or "UTC")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
