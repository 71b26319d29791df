"""Participants in the admin: filters, decisions (through registration.services), badges, exports and the dashboard."""

import functools

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from conference.admin import ConferenceTimeZoneMixin, SafeAutocompleteMixin, in_conference_zone
from conference.models import Conference
from registration import emails, services
from registration.models import OutgoingEmail, Participant, SeatRequest, Status
from secretariat import exports
from secretariat import services as secretariat_services
from secretariat.admin.confirmation import action_confirmation
from secretariat.admin.filters import DelegationFilter, OrganizationFilter, RepresentedStateFilter
from secretariat.admin.records import OutgoingEmailAdmin
from secretariat.forms import DecisionForm
from secretariat.models import PreparedFile
from secretariat.personal_data import personal_data_response
from secretariat.views import badges_response, dashboard_url, participation_dashboard, personal_data_lookup

# More badges than this are laid out by the task worker (500 take some 13 seconds), not in the request.
BADGES_AT_ONCE = 20


class SeatRequestInline(SafeAutocompleteMixin, admin.TabularInline):
    model = SeatRequest
    extra = 0
    autocomplete_fields = ["session"]
    fields = ["session", "status", "waitlisted_at", "created_at"]
    # Seats change only through decisions, which keep the limits.
    readonly_fields = ["status", "waitlisted_at", "created_at"]

    def has_change_permission(self, request, obj=None):
        return obj is not None and obj.status == Status.PENDING and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class EmailInline(admin.TabularInline):
    model = OutgoingEmail
    extra = 0
    fields = ["created_at", "kind", "subject", "delivery", "attempts", "last_error"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


def decision_action(decision, description):
    """An admin action that applies `decision` to the selected participants, with an optional message."""

    def action(modeladmin, request, queryset):
        if "apply" in request.POST:
            form = DecisionForm(request.POST)
            if form.is_valid():
                modeladmin.apply_decision(request, queryset, decision, form.cleaned_data["message"])
                return None
        else:
            form = DecisionForm()
        return action_confirmation(
            modeladmin,
            request,
            template="admin/registration/participant/decide.html",
            title=description,
            form=form,
            selected=queryset.select_related("conference"),
        )

    action.__name__ = f"decide_{decision}"
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(Participant)
class ParticipantAdmin(SafeAutocompleteMixin, ConferenceTimeZoneMixin, admin.ModelAdmin):
    list_display = [
        "family_name",
        "given_name",
        "reference",
        "conference",
        "category",
        "represents",
        "delegation",
        "status",
        "attendance",
        "checked_in",
    ]
    list_display_links = ["family_name", "given_name"]
    list_filter = [
        "conference",
        "status",
        "category",
        RepresentedStateFilter,
        OrganizationFilter,
        DelegationFilter,
        "attendance",
        "gender",
        ("checked_in_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["conference", "delegation_member__delegation"]
    # search_name: names found without their accents, and in Latin letters (registration/search.py).
    search_fields = ["given_name", "family_name", "search_name", "email", "reference", "organization"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["user", "conference"]
    readonly_fields = [
        "reference",
        "status",
        "created_at",
        "updated_at",
        "decided_by",
        "decided_at",
        "waitlisted_at",
        "checked_in_by",
        "document_link",
        "delegation_link",
    ]
    inlines = [SeatRequestInline, EmailInline]
    actions = [
        decision_action(Status.APPROVED, _("Approve the selected participants")),
        decision_action(Status.WAITLISTED, _("Put the selected participants on the waiting list")),
        decision_action(Status.REJECTED, _("Reject the selected participants")),
        "print_badges",
        "export_csv",
        "export_xlsx",
        "export_personal_data",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "conference",
                    "user",
                    "reference",
                    "status",
                    "decision_message",
                    ("decided_by", "decided_at"),
                    "waitlisted_at",
                ]
            },
        ),
        (
            _("Person"),
            {"fields": ["title", ("given_name", "family_name"), "email", "gender", "nationality", "language"]},
        ),
        (
            _("Represents"),
            {"fields": ["category", "represented_country", "organization", "function", "delegation_link"]},
        ),
        (
            _("Attendance"),
            {"fields": ["attendance", "accessibility_needs", "document_link", ("checked_in_at", "checked_in_by")]},
        ),
        (_("Consents"), {"fields": ["data_consent_at", "public_list_consent_at"]}),
        (_("Record"), {"fields": [("created_at", "updated_at")]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Once decided, moving a participant to another conference or mode of attendance would
        # skip the seat limits: decisions and cancellation go through the actions instead.
        if obj is not None and obj.status != Status.PENDING:
            return [*self.readonly_fields, "conference", "user", "attendance"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        # Deleting would free seats without promoting anyone: reject or cancel instead;
        # personal data go with `manage.py purge_personal_data` after the retention period.
        return False

    def time_zone_for(self, request, object_id):
        if not str(object_id or "").isdigit():
            return None
        return Conference.objects.filter(participants__pk=object_id).values_list("time_zone", flat=True).first()

    def get_urls(self):
        dashboard = self.admin_site.admin_view(functools.partial(participation_dashboard, self))
        lookup = self.admin_site.admin_view(
            require_http_methods(["GET", "POST"])(functools.partial(personal_data_lookup, self))
        )
        return [
            path("dashboard/<int:conference_id>/", dashboard, name="registration_participant_dashboard"),
            path("personal-data/", lookup, name="registration_participant_personal_data"),
            *super().get_urls(),  # after ours: "<path:object_id>/" would swallow it
        ]

    def changelist_view(self, request, extra_context=None):
        conference_id = request.GET.get("conference__id__exact", "")
        if not conference_id.isdigit():
            conference_id = Conference.objects.order_by("-start_date").values_list("pk", flat=True).first()
        if conference_id:
            url = dashboard_url(conference_id, self.admin_site.name)
            extra_context = {**(extra_context or {}), "dashboard_url": url}
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if "checked_in_at" in form.changed_data and obj.checked_in_at:
            obj.checked_in_by = request.user
        super().save_model(request, obj, form, change)

    def apply_decision(self, request, queryset, decision, message):
        outcomes, since = {}, timezone.now()
        for participant in queryset:
            try:
                result = services.decide(participant, decision, by=request.user, message=message)
            except services.RegistrationError as error:
                self.message_user(request, f"{participant.full_name}: {error}", messages.WARNING)
                continue
            outcomes.setdefault(result.status, []).append(result)
        for status, participants in outcomes.items():
            self.message_user(
                request,
                ngettext(
                    "%(count)d participant is now: %(status)s.",
                    "%(count)d participants are now: %(status)s.",
                    len(participants),
                )
                % {"count": len(participants), "status": Status(status).label},
                messages.SUCCESS if status == decision else messages.WARNING,
            )
        decided = [participant.pk for results in outcomes.values() for participant in results]
        failed = emails.not_sent(OutgoingEmail.objects.filter(participant__in=decided, created_at__gte=since)).count()
        if failed:
            self.message_user(request, OutgoingEmailAdmin.failed_message(failed), messages.WARNING)

    @admin.action(description=_("Print badges for the selected participants"), permissions=["view"])
    def print_badges(self, request, queryset):
        selected = list(queryset.select_related("conference").order_by("family_name", "given_name", "pk"))
        approved = [participant for participant in selected if participant.status == Status.APPROVED]
        skipped = len(selected) - len(approved)
        if not approved:
            self.message_user(
                request, _("None of the selected participants is approved: no badges to print."), messages.ERROR
            )
            return None
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d selected participant is not approved and gets no badge.",
                    "%(count)d selected participants are not approved and get no badge.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
        if len(approved) > BADGES_AT_ONCE:
            return self.prepare(request, PreparedFile.Kind.BADGES, queryset)
        return badges_response(approved, "badges.pdf")

    @admin.action(description=_("Export the selected participants to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        if queryset.count() > self.list_per_page:
            return self.prepare(request, PreparedFile.Kind.CSV, queryset)
        return exports.csv_response(queryset, "participants")

    @admin.action(description=_("Export the selected participants to Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        if queryset.count() > self.list_per_page:
            return self.prepare(request, PreparedFile.Kind.XLSX, queryset)
        return exports.xlsx_response(queryset, "participants")

    def prepare(self, request, kind, queryset):
        """Hand a long job to the task worker and show its progress page."""
        prepared = secretariat_services.prepare_file(kind, queryset, by=request.user)
        url = reverse("admin:secretariat_preparedfile_change", args=[prepared.pk], current_app=self.admin_site.name)
        return redirect(url)

    @admin.action(description=_("Export all personal data of the selected people (JSON)"), permissions=["view"])
    def export_personal_data(self, request, queryset):
        return personal_data_response(queryset.select_related("conference", "letter_request"))

    checked_in = in_conference_zone(Participant, "checked_in_at", lambda participant: participant.conference)

    @admin.display(description=_("represents"))
    def represents(self, participant):
        return participant.represents

    @admin.display(description=_("delegation"))
    def delegation(self, participant):
        member = active_member(participant)
        if member is None:
            return "—"
        return format_html('<a href="{}">{}</a>', delegation_url(member.delegation), member.delegation)

    @admin.display(description=_("delegation"))
    def delegation_link(self, participant):
        member = getattr(participant, "delegation_member", None)
        if member is None:
            return "—"
        link = format_html('<a href="{}">{}</a>', delegation_url(member.delegation), member.delegation)
        if member.withdrawn_at is not None:
            return format_html("{} ({})", link, _("withdrawn by the focal point"))
        if member.is_head:
            return format_html("{} ({})", link, _("head of delegation"))
        return link

    @admin.display(description=_("nomination document"))
    def document_link(self, participant):
        if not participant.nomination_document:
            return "—"
        url = reverse("secretariat:document", kwargs={"reference": participant.reference})
        return format_html('<a href="{}">{}</a>', url, _("Download (PDF)"))


def active_member(participant):
    """The participant's place in a delegation, unless they were withdrawn from it; None outside any."""
    member = getattr(participant, "delegation_member", None)
    return member if member is not None and member.withdrawn_at is None else None


def delegation_url(delegation):
    return reverse("admin:registration_delegation_change", args=[delegation.pk])
