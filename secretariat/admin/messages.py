"""Messages to participants in the admin: written as a draft, previewed, sent once on confirmation
through the task worker, and followed while the emails go out."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from modeltranslation.admin import TranslationAdmin

from conference.admin import in_conference_zone
from conference.models import Session
from conference.session_labels import day_label, session_label
from registration.models import Delegation, Message
from registration.models.delegations import name_order
from secretariat import selectors, services


@admin.register(Message)
class MessageAdmin(TranslationAdmin):
    list_display = ["subject", "conference", "audience", "state", "progress", "sent"]
    list_filter = ["state", "audience", "conference"]
    list_select_related = ["conference"]
    search_fields = ["subject", "body"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    change_form_template = "admin/registration/message/change_form.html"
    fieldsets = [
        (_("Who receives it"), {"fields": ["conference", "audience", "category", "session", "delegation"]}),
        (
            _("Text"),
            {
                "fields": ["subject", "body"],
                "description": _(
                    "Everyone receives the English text, unless the message is written in their own language too. "
                    "The text is sent as written: no formatting, links as they are typed."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return selectors.with_progress(super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        # A message is changed only until it is sent; then its page shows how the sending goes.
        return (obj is None or obj.state == Message.State.DRAFT) and super().has_change_permission(request, obj)

    sent = in_conference_zone(Message, "sent_at", lambda message: message.conference)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.state == Message.State.DRAFT) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "session":
            sessions = Session.objects.with_seat_limit().select_related("conference", "room")
            kwargs["queryset"] = sessions.order_by("-conference__start_date", "date", "starts_at", "pk")
        if db_field.name == "delegation":
            kwargs["queryset"] = Delegation.objects.select_related("conference").order_by(*name_order())
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "session":
            field.label_from_instance = session_choice_label
        if db_field.name == "delegation":
            field.label_from_instance = lambda delegation: f"{delegation.conference.title}: {delegation.represents}"
        return field

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if "_preview" in request.POST:
            return redirect(self.url("send", obj))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return redirect(self.url("send", obj))
        return super().response_change(request, obj)

    def get_urls(self):
        send = self.admin_site.admin_view(self.send_view)
        send_again = self.admin_site.admin_view(require_POST(self.send_again_view))
        return [
            path("<int:object_id>/send/", send, name="registration_message_send"),
            path("<int:object_id>/send-again/", send_again, name="registration_message_send_again"),
            *super().get_urls(),
        ]

    def url(self, view, message):
        return reverse(f"admin:registration_message_{view}", args=[message.pk], current_app=self.admin_site.name)

    def _message(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A draft's form; once sent, how the sending goes, which the progress script refreshes."""
        if not str(object_id).isdigit():
            raise Http404
        message = self._message(request, object_id)
        if message.state == Message.State.DRAFT:
            return super().change_view(request, object_id, form_url, extra_context)
        context = {
            **self.admin_site.each_context(request),
            "title": str(message),
            "opts": self.model._meta,
            "message": message,
            "finished": message.state == Message.State.SENT and not (message.waiting_count or message.queued_count),
            "failed_recipients": selectors.failed_recipients(message) if message.failed_count else [],
            "can_send_again": self.has_change_permission(request),
            "send_again_url": self.url("send_again", message),
            "texts": [(code, *message.text_in(code)) for code, _name in settings.LANGUAGES if message.text_in(code)[1]],
        }
        return TemplateResponse(request, "admin/registration/message/progress.html", context)

    def send_view(self, request, object_id):
        """What the message's audience would receive, and the button that sends it (POST)."""
        message = self._message(request, object_id)
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self._send(request, message)  # a message sent already is not sent again, and says so
        if message.state != Message.State.DRAFT:
            return redirect(self.url("change", message))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview and send"),
            "opts": self.model._meta,
            "message": message,
            "preview": selectors.preview(message),
            "change_url": self.url("change", message),
        }
        return TemplateResponse(request, "admin/registration/message/send.html", context)

    def _send(self, request, message):
        expected = request.POST.get("expected", "")
        try:
            # Without the count the preview showed, nothing matches it: staff are shown the preview again.
            expected = int(expected) if expected.isdigit() else -1
            started = services.send_message(message, by=request.user, expected=expected)
        except services.AudienceChanged as change:
            self.message_user(request, self.audience_changed_message(change.count), messages.WARNING)
            return redirect(self.url("send", message))
        if started:
            count = message.recipients.count()
            self.message_user(request, self.sending_message(count), messages.SUCCESS)
        else:
            self.message_user(request, _("This message was sent already; it is not sent again."), messages.INFO)
        return redirect(self.url("change", message))

    def send_again_view(self, request, object_id):
        message = self._message(request, object_id)
        if not self.has_change_permission(request):
            raise PermissionDenied
        self.send_again(request, Message.objects.filter(pk=message.pk))
        return redirect(self.url("change", message))

    @admin.action(description=_("Send again to the recipients whose email failed"), permissions=["change"])
    def send_again(self, request, queryset):
        queued = services.send_again(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d email that had failed is queued to be sent again.",
                "%(count)d emails that had failed are queued to be sent again.",
                queued,
            )
            % {"count": queued},
            messages.SUCCESS if queued else messages.INFO,
        )

    @staticmethod
    def sending_message(count):
        return ngettext(
            "The message is being sent to %(count)d participant.",
            "The message is being sent to %(count)d participants.",
            count,
        ) % {"count": count}

    @staticmethod
    def audience_changed_message(count):
        return ngettext(
            "Nothing was sent: the audience changed since the preview, and is now %(count)d participant. "
            "Please check the preview again.",
            "Nothing was sent: the audience changed since the preview, and is now %(count)d participants. "
            "Please check the preview again.",
            count,
        ) % {"count": count}

    @admin.display(description=_("progress"))
    def progress(self, message):
        if message.state == Message.State.DRAFT:
            return "—"
        return _("%(sent)s of %(total)s sent, %(failed)s failed") % {
            "sent": message.sent_count,
            "total": message.recipient_count,
            "failed": message.failed_count,
        }


def session_choice_label(session):
    """ "Conference: Monday 1 July 2030 · 10:00–11:30 EDT · Title · Room": sessions of one title apart."""
    when_and_what = session_label(session, session.conference.zone, html=False)
    return f"{session.conference.title}: {day_label(session.date)} · {when_and_what}"
