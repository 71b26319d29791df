"""Every email the site sends (to participants, and allauth's account emails): rendered in the
reader's language, stored, and handed to the task queue once the transaction that caused it
commits. A worker sends it; a failed send is kept with its error and tried again later, each
time after a longer wait. A request never waits for, or is rolled back by, the mail server.
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
from django_tasks import task

from registration.models import OutgoingEmail

logger = logging.getLogger(__name__)

SUBJECTS = {
    "received": _("Registration received: %(conference)s"),
    "approved": _("Registration approved: %(conference)s"),
    "waitlisted": _("On the waiting list: %(conference)s"),
    "rejected": _("Registration not approved: %(conference)s"),
    "cancelled": _("Registration cancelled: %(conference)s"),
    "promoted": _("A seat is yours: %(conference)s"),
    "letter_issued": _("Your letter of invitation is ready: %(conference)s"),
    "letter_declined": _("Letter of invitation not issued: %(conference)s"),
    "nomination_withdrawn": _("Nomination withdrawn and registration cancelled: %(conference)s"),
}


def absolute(path):
    return settings.SITE_URL + path


def queue(participant, kind, **extra):
    """Render and store an email to `participant`; send it once the current transaction commits."""
    with translation.override(participant.language):
        subject = str(SUBJECTS[kind] % {"conference": participant.conference.title})
        text, html = render(participant, kind, subject, **extra)
    return store(participant=participant, kind=kind, to=participant.email, subject=subject, text=text, html=html)


def render(participant, kind, subject, **extra):
    """The text and HTML of the email `kind` to `participant`, in the active language."""
    conference = participant.conference
    context = {
        "participant": participant,
        "conference": conference,
        "registration_url": absolute(participant.get_absolute_url()),
        "registrations_url": absolute(reverse("registration:list")),
        "calendar_url": absolute(reverse("registration:calendar", kwargs={"reference": participant.reference})),
        "conference_url": absolute(conference.get_absolute_url()),
        **extra,
    }
    return _rendered(kind, subject, context)


def _rendered(kind, subject, context):
    """(text, HTML) of the email `kind`: its template, then the layout around the text."""
    text = render_to_string(f"registration/email/{kind}.txt", context)
    html = render_to_string("registration/email/layout.html", {**context, "subject": subject, "text": text})
    return text, html


def render_message(participant, message):
    """A message from the Secretariat as `participant` receives it: (language of its text, subject, text, HTML).

    The greeting and signature are in the participant's language; the staff's text in theirs if the
    message has it, else the common text. The HTML escapes the staff's text and keeps its line breaks."""
    language = message.language_for(participant.language)
    subject, body = message.text_in(language)
    with translation.override(participant.language):
        text, html = render(participant, "message", subject, body=body)
    return language, subject, text, html


def queue_message(participant, message):
    """Render and store `message` to `participant`; returns (the email, the language of its text)."""
    language, subject, text, html = render_message(participant, message)
    email = store(participant=participant, kind="message", to=participant.email, subject=subject, text=text, html=html)
    return email, language


def store(*, kind, to, subject, text, html="", participant=None):
    """Keep an email and queue its sending for when the current transaction commits."""
    email = OutgoingEmail.objects.create(
        participant=participant, kind=kind[:60], to=to, subject=subject[:255], body_text=text, body_html=html
    )
    transaction.on_commit(lambda: hand_over(email.pk))
    return email


def hand_over(email_id, run_after=None):
    """Queue the sending of a stored email; when the queue cannot take it, record that it was not sent."""
    try:
        (send_email.using(run_after=run_after) if run_after else send_email).enqueue(email_id)
    except Exception as error:  # the queue's database may be the thing that fails
        logger.exception("Email %s could not be queued", email_id)
        OutgoingEmail.objects.filter(pk=email_id).exclude(delivery=OutgoingEmail.Delivery.SENT).update(
            delivery=OutgoingEmail.Delivery.FAILED, last_error=f"Not queued: {type(error).__name__}: {error}"
        )


# After the nth failed attempt, the next comes this much later; after the last, staff send it again.
RETRY_DELAYS = [datetime.timedelta(minutes=minutes) for minutes in (1, 5, 15, 60, 240)]


@task()
def send_email(email_id):
    """The task a worker runs for each stored email."""
    return deliver(email_id)


def deliver(email_id):
    """Send one stored email; record success or the error, and plan the next attempt. Never raises."""
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
        _failed(email, error)
        return False
    email.delivery, email.sent_at, email.last_error, email.next_attempt_at = (
        OutgoingEmail.Delivery.SENT,
        timezone.now(),
        "",
        None,
    )
    if email.is_account_email:
        # Account emails carry one-time links (password reset, confirmation): sent, they are not kept.
        email.body_text = email.body_html = ""
    email.save(
        update_fields=["delivery", "sent_at", "last_error", "attempts", "next_attempt_at", "body_text", "body_html"]
    )
    return True


def _failed(email, error):
    email.delivery, email.last_error = OutgoingEmail.Delivery.FAILED, f"{type(error).__name__}: {error}"
    email.next_attempt_at = None
    # A queue that runs tasks at once (the tests') cannot wait: the next attempt is then the staff's.
    if email.attempts <= len(RETRY_DELAYS) and send_email.get_backend().supports_defer:
        email.next_attempt_at = timezone.now() + RETRY_DELAYS[email.attempts - 1]
    email.save(update_fields=["delivery", "last_error", "attempts", "next_attempt_at"])
    if email.next_attempt_at:
        hand_over(email.pk, run_after=email.next_attempt_at)


# An email this recent may still be on its way from the request that queued it.
IN_FLIGHT = datetime.timedelta(minutes=2)


def unsent(queryset=None):
    """The stored emails that failed, or have waited too long to be still on their way."""
    queryset = queryset if queryset is not None else OutgoingEmail.objects.all()
    waited = Q(delivery=OutgoingEmail.Delivery.QUEUED, created_at__lt=timezone.now() - IN_FLIGHT)
    return queryset.filter(Q(delivery=OutgoingEmail.Delivery.FAILED) | waited)


def send_unsent(queryset=None):
    """Send, here and now, the stored emails that failed or have waited too long; returns (sent, failed)."""
    results = [deliver(pk) for pk in unsent(queryset).values_list("pk", flat=True)]
    return results.count(True), results.count(False)


def queue_unsent(queryset=None):
    """Queue the sending of the stored emails that failed or have waited too long; returns how many."""
    ids = list(unsent(queryset).values_list("pk", flat=True))
    OutgoingEmail.objects.filter(pk__in=ids).update(next_attempt_at=None)
    for pk in ids:
        hand_over(pk)
    return len(ids)


def not_sent(emails):
    """Of `emails` (a queryset), those that failed: told to the person who caused them at once."""
    return emails.filter(delivery=OutgoingEmail.Delivery.FAILED)


DELEGATION_SUBJECTS = {
    "focal_point": _("You are a focal point of %(delegation)s: %(conference)s"),
    "member_invited": _("Your nomination to the delegation of %(delegation)s: %(conference)s"),
    "delegation_decided": _("Decision on the delegation of %(delegation)s: %(conference)s"),
    "member_withdrawn": _("Your nomination to the delegation of %(delegation)s is withdrawn: %(conference)s"),
}


def queue_about_delegation(kind, *, to, language, delegation, **extra):
    """Render and store an email about `delegation` to a focal point or a nominated member, who may
    have no registration (nor account) yet; send it once the current transaction commits."""
    conference = delegation.conference
    with translation.override(language):
        context = {
            "delegation": delegation,
            "conference": conference,
            "delegations_url": absolute(reverse("registration:delegations")),
            "delegation_url": absolute(reverse("registration:delegation", kwargs={"pk": delegation.pk})),
            "signup_url": absolute(reverse("account_signup")),
            "conference_url": absolute(conference.get_absolute_url()),
            **extra,
        }
        if "member" in extra:
            context["nomination_url"] = absolute(reverse("registration:nomination", kwargs={"pk": extra["member"].pk}))
        names = {"delegation": delegation.represents, "conference": conference.title}
        subject = str(DELEGATION_SUBJECTS[kind] % names)
        text, html = _rendered(kind, subject, context)
    return store(kind=kind, to=to, subject=subject, text=text, html=html)
