"""What a participant was sent is their personal data: in the export of their data, and removed with
the rest once the conference's retention period has passed."""

import json

import pytest
from django.urls import reverse

from registration.models import Message, MessageRecipient, OutgoingEmail
from secretariat import services
from secretariat.roles import SECRETARIAT
from tests import factories
from tests.registration.support import utc
from tests.secretariat.test_retention import conference_ending, purge

pytestmark = pytest.mark.django_db


def send(conference, capture, **fields):
    message = factories.MessageFactory(conference=conference, **fields)
    with capture(execute=True):
        services.send_message(message, by=None, expected=conference.participants.approved().count())
    Message.objects.filter(pk=message.pk).update(sent_at=utc(2030, 6, 28, 14, 5))
    return message


def test_purge_removes_what_each_participant_was_sent(settings, django_capture_on_commit_callbacks):
    expired, within = conference_ending(31, 30, "Third Conference"), conference_ending(30, 30, "Fourth Conference")
    gone = factories.ParticipantFactory(conference=expired, approved=True, email="gone@example.org")
    kept = factories.ParticipantFactory(conference=within, approved=True, email="kept@example.org")
    old = send(expired, django_capture_on_commit_callbacks, subject_en="Old news")
    send(within, django_capture_on_commit_callbacks, subject_en="Recent news")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    send(expired, django_capture_on_commit_callbacks, subject_en="Not written yet")  # its email is still to write
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    purge()

    assert list(MessageRecipient.objects.values_list("participant", "message__subject_en")) == [
        (kept.pk, "Recent news")
    ]
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["kept@example.org"]
    assert (gone.messages_received.count(), Message.objects.filter(pk=old.pk).exists()) == (0, True)


def test_export_of_personal_data_has_the_messages_received(client, django_capture_on_commit_callbacks):
    conference = conference_ending(31, 30, "Third Conference")
    participant = factories.ParticipantFactory(conference=conference, approved=True, language="fr")
    send(
        conference,
        django_capture_on_commit_callbacks,
        subject_fr="Informations pratiques",
        body_fr="Ouverture à 10 heures.",
    )
    client.force_login(factories.StaffUserFactory(groups=[SECRETARIAT]))
    changelist = reverse("admin:registration_participant_changelist")
    action = {"action": "export_personal_data", "index": "0", "_selected_action": [participant.pk]}

    before = json.loads(client.post(changelist, action).content)
    purge()
    after = json.loads(client.post(changelist, action).content)

    assert before[0]["messages"] == [
        {
            "subject": "Informations pratiques",
            "body": "Ouverture à 10 heures.",
            "language": "fr",
            "sent_at": "2030-06-28T14:05:00Z",
            "delivery": "sent",
        }
    ]
    assert after[0]["messages"] == []
