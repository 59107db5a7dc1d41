from django.contrib import admin

from org.models import Cycle

from .models import Attendance, Session, UnmatchedParticipant


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["year", "topic", "opens", "deadline"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    raw_id_fields = ["person"]
    extra = 0


class UnmatchedInline(admin.TabularInline):
    model = UnmatchedParticipant
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["ref", "leader", "date", "mode", "cycle"]
    list_filter = ["cycle", "mode"]
    raw_id_fields = ["leader"]
    inlines = [AttendanceInline, UnmatchedInline]
