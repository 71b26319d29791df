"""Emails to participants: rendered from templates in the participant's language, stored,
and sent only after the transaction that caused them commits.

A failed send is logged and kept with its error; `manage.py send_queued_emails` (or the
admin action) sends again whatever is not sent. A registration never waits for, or is
rolled back by, the mail server.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from registration.models import OutgoingEmail

logger = logging.getLogger(__name__)

SUBJECTS = {
    "received": _("Registration received: %(conference)s"),
    "approved": _("Registration approved: %(conference)s"),
    "waitlisted": _("On the waiting list: %(conference)s"),
    "rejected": _("Registration not approved: %(conference)s"),
    "cancelled": _("Registration cancelled: %(conference)s"),
    "promoted": _("A seat is yours: %(conference)s"),
}


def absolute(path):
    return settings.SITE_URL + path


def queue(participant, kind, **extra):
    """Render and store an email to `participant`; send it once the current transaction commits."""
    conference = participant.conference
    with translation.override(participant.language):
        context = {
            "participant": participant,
            "conference": conference,
            "registration_url": absolute(participant.get_absolute_url()),
            "registrations_url": absolute(reverse("registration:list")),
            "calendar_url": absolute(reverse("registration:calendar", kwargs={"reference": participant.reference})),
            "conference_url": absolute(conference.get_absolute_url()),
            **extra,
        }
        subject = str(SUBJECTS[kind] % {"conference": conference.title})
        text = render_to_string(f"registration/email/{kind}.txt", context)
        html = render_to_string("registration/email/layout.html", {**context, "subject": subject, "text": text})
    email = OutgoingEmail.objects.create(
        participant=participant, kind=kind, to=participant.email, subject=subject, body_text=text, body_html=html
    )
    transaction.on_commit(lambda: deliver(email.pk))
    return email


def deliver(email_id):
    """Send one stored email; record success or the error. Never raises."""
    email = OutgoingEmail.objects.filter(pk=email_id).exclude(delivery=OutgoingEmail.Delivery.SENT).first()
    if email is None:
        return False
    # Claim the email: of two senders that read the same attempt count, only one goes on.
    claimed = (
        OutgoingEmail.objects.filter(pk=email.pk, attempts=email.attempts)
        .exclude(delivery=OutgoingEmail.Delivery.SENT)
        .update(attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    email.attempts += 1
    message = EmailMultiAlternatives(email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, [email.to])
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as error:  # any failure of the mail server or network
        logger.exception("Email %s to %s was not sent", email.pk, email.to)
        email.delivery, email.last_error = OutgoingEmail.Delivery.FAILED, f"{type(error).__name__}: {error}"
        email.save(update_fields=["delivery", "last_error", "attempts"])
        return False
    email.delivery, email.sent_at, email.last_error = OutgoingEmail.Delivery.SENT, timezone.now(), ""
    email.save(update_fields=["delivery", "sent_at", "last_error", "attempts"])
    return True


# An email this recent may still be on its way from the request that queued it.
IN_FLIGHT = datetime.timedelta(minutes=2)


def unsent(queryset=None):
    """The stored emails that failed, or have waited too long to be still on their way."""
    queryset = queryset if queryset is not None else OutgoingEmail.objects.all()
    waited = Q(delivery=OutgoingEmail.Delivery.QUEUED, created_at__lt=timezone.now() - IN_FLIGHT)
    return queryset.filter(Q(delivery=OutgoingEmail.Delivery.FAILED) | waited)


def send_unsent(queryset=None):
    """Send the stored emails that failed or have waited too long; returns (sent, failed) counts."""
    results = [deliver(pk) for pk in unsent(queryset).values_list("pk", flat=True)]
    return results.count(True), results.count(False)
