"""Letters of invitation in the admin: the requests by conference and status, issued or declined with an
action (through secretariat.services), and each issued letter's PDF."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conference.admin import ConferenceTimeZoneMixin, in_conference_zone
from registration import emails
from registration.models import LetterRequest, LetterStatus, OutgoingEmail
from secretariat import services
from secretariat.admin.confirmation import action_confirmation
from secretariat.admin.records import OutgoingEmailAdmin
from secretariat.forms import LetterDeclineForm
from secretariat.views import letter_response

PASSPORT_FIELDS = ["passport_name", "nationality", "passport_number", "passport_expires_on"]


@admin.register(LetterRequest)
class LetterRequestAdmin(ConferenceTimeZoneMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "participant_name",
        "passport_name",
        "conference",
        "status",
        "requested",
        "decided",
        "pdf_link",
    ]
    list_filter = ["participant__conference", "status"]
    list_select_related = ["participant__conference"]
    search_fields = [
        "reference",
        "passport_name",
        "participant__given_name",
        "participant__family_name",
        "participant__search_name",
        "participant__reference",
    ]
    fields = [
        "participant_link",
        "reference",
        "status",
        *PASSPORT_FIELDS,
        "requested_at",
        ("decided_by", "decided_at"),
        "decision_message",
        "pdf_link",
    ]
    readonly_fields = [
        "participant_link",
        "reference",
        "status",
        "requested_at",
        "decided_by",
        "decided_at",
        "decision_message",
        "pdf_link",
    ]
    actions = ["issue", "decline"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participant__conference", "decided_by")

    def get_readonly_fields(self, request, obj=None):
        # Staff may correct a typing mistake before issuing; an issued letter says what it said.
        if obj is not None and obj.status != LetterStatus.REQUESTED:
            return [*self.readonly_fields, *PASSPORT_FIELDS]
        return self.readonly_fields

    def has_add_permission(self, request):
        return False  # participants ask, from their registration's page

    def has_delete_permission(self, request, obj=None):
        return False  # personal data go with `manage.py purge_personal_data`

    def time_zone_for(self, request, object_id):
        if not str(object_id or "").isdigit():
            return None
        letters = LetterRequest.objects.filter(pk=object_id)
        return letters.values_list("participant__conference__time_zone", flat=True).first()

    def get_urls(self):
        pdf = self.admin_site.admin_view(self.pdf_view)
        return [
            path("<int:object_id>/letter.pdf", pdf, name="registration_letterrequest_pdf"),
            *super().get_urls(),
        ]

    def pdf_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        letter = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not letter.is_valid:
            raise Http404
        return letter_response(letter)

    @admin.action(description=_("Issue the selected letters of invitation"), permissions=["change"])
    def issue(self, request, queryset):
        letters = queryset.select_related("participant")
        self._apply(request, letters, lambda letter: services.issue_letter(letter, by=request.user))

    @admin.action(description=_("Decline the selected letters of invitation"), permissions=["change"])
    def decline(self, request, queryset):
        letters = queryset.select_related("participant__conference")
        form = LetterDeclineForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            message = form.cleaned_data["message"]
            self._apply(
                request, letters, lambda letter: services.decline_letter(letter, by=request.user, message=message)
            )
            return None
        return action_confirmation(
            self,
            request,
            template="admin/registration/letterrequest/decline.html",
            title=_("Decline the selected letters of invitation"),
            form=form,
            selected=letters,
        )

    def _apply(self, request, letters, change):
        """`change` each letter (issue or decline it); say which could not be, and how many were."""
        since, changed = timezone.now(), []
        for letter in letters:
            try:
                changed.append(change(letter))
            except services.LetterError as error:
                self.message_user(request, f"{letter.participant.full_name}: {error}", messages.WARNING)
        self._report(request, changed, since)

    def _report(self, request, letters, since):
        """Say how many letters changed, and how many of the emails telling the participants failed."""
        if letters:
            status = letters[0].status
            message = (
                ngettext(
                    "%(count)d letter of invitation is issued; its participant is told by email.",
                    "%(count)d letters of invitation are issued; each participant is told by email.",
                    len(letters),
                )
                if status == LetterStatus.ISSUED
                else ngettext(
                    "%(count)d letter of invitation is declined; its participant is told by email.",
                    "%(count)d letters of invitation are declined; each participant is told by email.",
                    len(letters),
                )
            )
            self.message_user(request, message % {"count": len(letters)}, messages.SUCCESS)
        participants = [letter.participant_id for letter in letters]
        failed = emails.not_sent(OutgoingEmail.objects.filter(participant__in=participants, created_at__gte=since))
        count = failed.count()
        if count:
            self.message_user(request, OutgoingEmailAdmin.failed_message(count), messages.WARNING)

    requested = in_conference_zone(LetterRequest, "requested_at", lambda letter: letter.participant.conference)
    decided = in_conference_zone(LetterRequest, "decided_at", lambda letter: letter.participant.conference)

    @admin.display(description=_("participant"), ordering="participant__family_name")
    def participant_name(self, letter):
        return letter.participant.full_name

    @admin.display(description=_("participant"))
    def participant_link(self, letter):
        url = reverse(
            "admin:registration_participant_change", args=[letter.participant_id], current_app=self.admin_site.name
        )
        return format_html('<a href="{}">{}</a>', url, letter.participant)

    @admin.display(description=_("conference"), ordering="participant__conference__start_date")
    def conference(self, letter):
        return letter.participant.conference.title

    @admin.display(description=_("letter"))
    def pdf_link(self, letter):
        if not letter.is_valid:
            return "—"
        url = reverse("admin:registration_letterrequest_pdf", args=[letter.pk], current_app=self.admin_site.name)
        return format_html('<a href="{}">{}</a>', url, _("Download (PDF)"))
