"""Seat requests and emails in the admin: for reading, and for sending again what was not sent."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conference.admin import SafeAutocompleteMixin, in_conference_zone
from registration import emails
from registration.models import OutgoingEmail, SeatRequest, SeatStatus


@admin.register(SeatRequest)
class SeatRequestAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """Seat requests for reading; seats are given and freed by the decisions on participants."""

    list_display = ["participant", "session", "status", "waitlisted", "created"]
    list_filter = ["status", "session__conference"]
    list_select_related = ["participant", "session__conference"]
    search_fields = ["participant__given_name", "participant__family_name", "participant__reference", "session__title"]
    autocomplete_fields = ["participant", "session"]
    readonly_fields = ["status", "waitlisted_at", "checked_in_at", "checked_in_by"]
    date_hierarchy = "created_at"

    waitlisted = in_conference_zone(SeatRequest, "waitlisted_at", lambda request: request.session.conference)
    created = in_conference_zone(SeatRequest, "created_at", lambda request: request.session.conference)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "participant", "session"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.status == SeatStatus.PENDING and super().has_delete_permission(request, obj)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "kind", "delivery", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["delivery", "kind"]
    search_fields = ["to", "subject", "participant__reference"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields]
    actions = ["send_again"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and obj.is_account_email:
            # One-time links (password reset, confirmation) are for the account's owner only.
            return [field for field in fields if field not in ("body_text", "body_html")]
        return fields

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected emails that were not sent"), permissions=["change"])
    def send_again(self, request, queryset):
        queued = emails.queue_unsent(queryset)
        if not queued:
            self.message_user(request, _("All the selected emails were sent already."), messages.INFO)
            return
        failed = emails.not_sent(queryset).count()
        self.message_user(
            request,
            ngettext(
                "%(count)d email is queued to be sent again.",
                "%(count)d emails are queued to be sent again.",
                queued,
            )
            % {"count": queued},
            messages.SUCCESS if not failed else messages.WARNING,
        )
        if failed:
            self.message_user(request, self.failed_message(failed), messages.WARNING)

    @staticmethod
    def failed_message(count):
        return ngettext(
            "%(count)d email could not be sent; the mail server may be unavailable. Emails filtered by "
            "Failed shows the error.",
            "%(count)d emails could not be sent; the mail server may be unavailable. Emails filtered by "
            "Failed shows the errors.",
            count,
        ) % {"count": count}
