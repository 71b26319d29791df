from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registration.models import Participant, SeatRequest, Status


class SeatRequestInline(admin.TabularInline):
    model = SeatRequest
    extra = 0
    autocomplete_fields = ["session"]
    fields = ["session", "status", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = [
        "family_name",
        "given_name",
        "reference",
        "conference",
        "category",
        "represents",
        "status",
        "attendance",
        "checked_in_at",
    ]
    list_display_links = ["family_name", "given_name"]
    list_filter = [
        "conference",
        "status",
        "category",
        "attendance",
        "gender",
        ("checked_in_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["conference"]
    search_fields = ["given_name", "family_name", "email", "reference", "organization"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["user", "conference"]
    readonly_fields = ["reference", "created_at", "updated_at", "decided_by", "decided_at", "checked_in_by"]
    inlines = [SeatRequestInline]
    fieldsets = [
        (
            None,
            {"fields": ["conference", "user", "reference", "status", "decision_message", ("decided_by", "decided_at")]},
        ),
        (
            _("Person"),
            {"fields": ["title", ("given_name", "family_name"), "email", "gender", "nationality", "language"]},
        ),
        (_("Represents"), {"fields": ["category", "represented_country", "organization", "function"]}),
        (_("Attendance"), {"fields": ["attendance", "accessibility_needs", ("checked_in_at", "checked_in_by")]}),
        (_("Consents"), {"fields": ["data_consent_at", "public_list_consent_at"]}),
        (_("Record"), {"fields": [("created_at", "updated_at")]}),
    ]

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data and obj.status in Status.decided():
            obj.decided_by, obj.decided_at = request.user, timezone.now()
        if "checked_in_at" in form.changed_data and obj.checked_in_at:
            obj.checked_in_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("represents"))
    def represents(self, participant):
        return participant.represents


@admin.register(SeatRequest)
class SeatRequestAdmin(admin.ModelAdmin):
    list_display = ["participant", "session", "status", "created_at"]
    list_filter = ["status", "session__conference"]
    list_select_related = ["participant", "session"]
    search_fields = ["participant__given_name", "participant__family_name", "participant__reference", "session__title"]
    autocomplete_fields = ["participant", "session"]
    date_hierarchy = "created_at"
