import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.scope import Scope
from core.forms import TableUploadForm
from dialogues.scope import Purpose, resolve_people
from kit.models import Kit, Scenario
from kit.translations import KitReader, language_choices
from org.models import Cycle, Person
from org.zones import canonical_zones, entity_time_zones, person_time_zone

from .models import CaptureKind, Mode, Session
from .running import MAX_CAPTURE_LENGTH, MAX_SCENARIOS, MIN_SCENARIOS, kit_scenarios_with_votes
from .scheduling import MAX_PER_SESSION, SessionPlan

MAX_TYPED_ENTRIES = 200  # index numbers or addresses typed at once


def typed_entries(text: str, *, commas: bool = True) -> list[str]:
    """The non-empty lines of a text area (and, with `commas`, the parts between commas)."""
    if commas:
        text = text.replace(",", "\n")
    return [line.strip() for line in text.splitlines() if line.strip()]


def resolved_or_error(scope: Scope, entries: list[str], *, purpose: Purpose, session=None) -> list[Person]:
    """The people the entries name within what `scope` may see for `purpose`, or a
    ValidationError with one neutral message per entry that does not resolve."""
    if len(entries) > MAX_TYPED_ENTRIES:
        raise forms.ValidationError(_("Type at most %(max)d index numbers or e-mail addresses at once.") % {"max": MAX_TYPED_ENTRIES})
    result = resolve_people(scope, entries, purpose=purpose, session=session)
    if result.refused:
        raise forms.ValidationError(result.messages())
    return result.found


# Native date and time inputs read and write ISO 8601 whatever the language: the locale's format
# ("10/12/2026" in French) would leave a prefilled field empty.
ISO_DATE, ISO_TIME = "%Y-%m-%d", "%H:%M"


class AttendanceUploadForm(TableUploadForm):
    cycle = forms.ModelChoiceField(queryset=Cycle.objects.all(), label=_("Cycle"), empty_label=None, to_field_name="year")

    field_order = ["cycle", "file"]


def time_zone_choices(entity_id: int | None = None, current: str = ""):
    """Canonical zones only (Africa/Asmara, never its alias Africa/Asmera), the zones of the
    entity's duty stations first in a group of their own; `current` is kept if it is not one."""
    every = [(name, name) for name in canonical_zones()]
    if current and current not in canonical_zones():
        every.insert(0, (current, current))
    stations = entity_time_zones(entity_id) if entity_id else {}
    if not stations:
        return every
    ours = [(zone, f"{zone} ({', '.join(names)})" if names else zone) for zone, names in stations.items()]
    return [(_("Your entity's duty stations"), ours), (_("All time zones"), every)]


class ScheduleForm(forms.Form):
    """When, where and with whom; `starts_at` and `people` are derived in clean(). "Also
    invite" finds people only among those the leader may name (accounts.scope)."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE))
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format=ISO_TIME))
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=30, max_value=240, initial=90)
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices, initial=Mode.IN_PERSON)
    location = forms.CharField(label=_("Room or link"), max_length=500, required=False)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=language_choices, required=False, widget=forms.CheckboxSelectMultiple)
    invitees = forms.ModelMultipleChoiceField(label=_("Your direct reports"), queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)
    others = forms.CharField(
        label=_("Also invite"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Index numbers or e-mail addresses, one per line."),
    )

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope, self.leader = scope, scope.person
        zone = self.fields["time_zone"]
        zone.initial = person_time_zone(self.leader)  # the leader's own zone unless the form says otherwise
        zone.choices = time_zone_choices(self.leader.entity_id, current=self.initial.get("time_zone") or zone.initial)
        self.fields["invitees"].queryset = Person.objects.active().filter(manager_id=self.leader.index_number).order_by("name")

    def clean_others(self):
        return resolved_or_error(self.scope, typed_entries(self.cleaned_data["others"]), purpose=Purpose.INVITE)

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("start_time") and data.get("time_zone"):
            data["starts_at"] = datetime.datetime.combine(data["date"], data["start_time"], tzinfo=ZoneInfo(data["time_zone"]))
        people = {p.pk: p for p in list(data.get("invitees") or []) + list(data.get("others") or [])}
        people.pop(self.leader.pk, None)
        data["people"] = sorted(people.values(), key=lambda p: p.name)
        if not data["people"] and not self.errors:
            raise forms.ValidationError(_("Invite at least one person."))
        return data

    def plan(self, *, starts_at=None, people=None) -> SessionPlan:
        data = self.cleaned_data
        return SessionPlan(
            starts_at=starts_at or data["starts_at"],
            time_zone=data["time_zone"],
            duration_minutes=data["duration_minutes"],
            mode=data["mode"],
            location=data["location"],
            languages=data["languages"],
            invitee_ids=[p.pk for p in (people if people is not None else data["people"])],
        )


class GuestForm(forms.Form):
    """A focal point or head adds guests from any entity to a session of their entity."""

    guests = forms.CharField(
        label=_("Guests"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One guest per line: their index number and e-mail address, as in the organization file."),
    )

    def __init__(self, *args, scope: Scope, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope, self.session = scope, session

    def clean_guests(self):
        entries = typed_entries(self.cleaned_data["guests"], commas=False)
        return resolved_or_error(self.scope, entries, purpose=Purpose.GUEST, session=self.session)


class KitScenarioField(forms.ModelMultipleChoiceField):
    reader: KitReader | None = None  # the titles in the reader's language, where translated

    def label_from_instance(self, obj) -> str:
        return self.reader.text(obj, "title").html if self.reader else obj.title


class RespondForm(forms.Form):
    needs = forms.CharField(
        label=_("Accessibility or working-hour needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the session's leader sees this."),
    )
    scenarios = KitScenarioField(
        label=_("Scenarios you would like to discuss"), queryset=Scenario.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, cycle, reader: KitReader | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["scenarios"]
        field.queryset = Scenario.objects.filter(kit__cycle=cycle, kit__published=True).order_by("order")
        if reader is not None:
            field.reader = reader
            # Said once above the list when titles are shown in the kit's original language.
            field.help_text = reader.titles(field.queryset)
        self.reader = reader

    def scenario_links(self) -> list:
        """(scenario, title in the reader's language) for a link to each in the participant guide."""
        scenarios = self.fields["scenarios"].queryset
        return [(s, self.reader.text(s, "title") if self.reader else s.title) for s in scenarios]


class SplitForm(forms.Form):
    """The leader's adjustment of a proposed split: a start per session, a session per person."""

    def __init__(self, *args, people: list[Person], groups: list[list[Person]], first_start: datetime.datetime, duration: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.people, self.group_count = people, len(groups)
        gap = datetime.timedelta(minutes=duration + 30)
        for number in range(1, self.group_count + 1):
            start = first_start + gap * (number - 1)
            self.fields[f"date_{number}"] = forms.DateField(label=_("Date"), initial=start.date(), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE))
            self.fields[f"time_{number}"] = forms.TimeField(label=_("Start time"), initial=start.time(), widget=forms.TimeInput(attrs={"type": "time"}, format=ISO_TIME))
        choices = [(n, _("Session %(number)d") % {"number": n}) for n in range(1, self.group_count + 1)]
        for number, group in enumerate(groups, start=1):
            for person in group:
                self.fields[f"group_{person.pk}"] = forms.TypedChoiceField(label=person.name, choices=choices, coerce=int, initial=number)

    def group_fields(self):
        return [(n, self[f"date_{n}"], self[f"time_{n}"]) for n in range(1, self.group_count + 1)]

    def person_fields(self):
        return [self[f"group_{p.pk}"] for p in self.people]

    def clean(self):
        data = super().clean()
        sizes = {}
        for person in self.people:
            number = data.get(f"group_{person.pk}")
            sizes[number] = sizes.get(number, 0) + 1
        for number, size in sorted(sizes.items(), key=lambda item: item[0] or 0):
            if number and size > MAX_PER_SESSION:
                raise forms.ValidationError(_("Session %(number)d has %(size)d people; a session holds at most %(max)d.") % {"number": number, "size": size, "max": MAX_PER_SESSION})
        return data

    def groups(self, time_zone: str) -> list[tuple[datetime.datetime, list[Person]]]:
        """Non-empty sessions, each with its start and its people."""
        result = []
        for number in range(1, self.group_count + 1):
            members = [p for p in self.people if self.cleaned_data[f"group_{p.pk}"] == number]
            if members:
                start = datetime.datetime.combine(self.cleaned_data[f"date_{number}"], self.cleaned_data[f"time_{number}"], tzinfo=ZoneInfo(time_zone))
                result.append((start, members))
        return result


# -- facilitator mode ---------------------------------------------------------------------------


class ScenarioField(forms.ModelMultipleChoiceField):
    reader: KitReader | None = None  # the titles in the leader's language, where translated

    def label_from_instance(self, obj) -> str:
        votes = ngettext("%(count)d vote", "%(count)d votes", obj.vote_count) % {"count": obj.vote_count}
        if self.reader is None:
            return f"{obj.title} ({votes})"
        return format_html("{} ({})", self.reader.text(obj, "title").html, votes)


class ScenarioChoiceForm(forms.Form):
    scenarios = ScenarioField(
        label=_("Scenarios to discuss"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose two, or three if time allows."),
    )

    def __init__(self, *args, kit: Kit, session: Session, reader: KitReader | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenarios"].queryset = kit_scenarios_with_votes(kit, session)
        self.fields["scenarios"].reader = reader

    @cached_property
    def marker(self) -> str:
        """The note that titles are shown in the kit's original language, if they are."""
        field = self.fields["scenarios"]
        return field.reader.titles(field.queryset) if field.reader else ""

    def clean_scenarios(self):
        chosen = self.cleaned_data["scenarios"]
        if not MIN_SCENARIOS <= len(chosen) <= MAX_SCENARIOS:
            raise forms.ValidationError(_("Choose two or three scenarios."))
        return chosen


CAPTURE_LABELS = {
    CaptureKind.QUESTION: _("A question nobody could answer"),
    CaptureKind.CONTRIBUTION: _("A key contribution"),
}


class CaptureForm(forms.Form):
    kind = forms.ChoiceField(choices=CaptureKind.choices, widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_CAPTURE_LENGTH, strip=True)

    def __init__(self, *args, kind: str, **kwargs):
        kwargs.setdefault("initial", {})["kind"] = kind
        # Each box has its own ids so that both forms can sit on one page.
        kwargs.setdefault("auto_id", f"id_{kind}_%s")
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["text"].label = CAPTURE_LABELS[kind]
        self.fields["text"].error_messages["required"] = _("Write something before saving.")
        self.fields["text"].widget.attrs["aria-describedby"] = "capture-reminder"

    def full_clean(self):
        super().full_clean()
        if "text" in self.errors:
            self.fields["text"].widget.attrs["aria-describedby"] = f"capture-reminder {self.kind}-errors"
