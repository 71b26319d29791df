"""Helpers for the tests of messages to participants: the admin's addresses, a secretary, sending."""

import errno

from django.core.mail.backends import locmem
from django.test import Client
from django.urls import reverse

from secretariat.roles import SECRETARIAT
from tests import factories

CHANGELIST = reverse("admin:registration_message_changelist")
ADD = reverse("admin:registration_message_add")
UNREACHABLE = "@unreachable.example.org"
REFUSING_BACKEND = "tests.secretariat.message_support.RefusesUnreachableBackend"


def page(message):
    return reverse("admin:registration_message_change", args=[message.pk])


def send_page(message):
    return reverse("admin:registration_message_send", args=[message.pk])


def send_again_page(message):
    return reverse("admin:registration_message_send_again", args=[message.pk])


def secretary_client(email="secretary@un.org"):
    client = Client()
    client.force_login(factories.StaffUserFactory(email=email, groups=[SECRETARIAT]))
    return client


def confirm(client, message, expected, capture):
    """Press "Send" on the preview of `message`, which showed `expected` recipients; the worker runs at once.

    The response carries the notes of the page it leads to as `notes`."""
    with capture(execute=True):
        response = client.post(send_page(message), {"expected": str(expected)})
    response.notes = followed_messages(client, response)
    return response


def followed_messages(client, response):
    """The notes the admin shows on the page a response redirects to."""
    return [str(message) for message in client.get(response["Location"]).context["messages"]]


class RefusesUnreachableBackend(locmem.EmailBackend):
    """A mail server that refuses addresses at UNREACHABLE and accepts the others (into mail.outbox)."""

    def send_messages(self, email_messages):
        if any(address.endswith(UNREACHABLE) for message in email_messages for address in message.recipients()):
            raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
        return super().send_messages(email_messages)
