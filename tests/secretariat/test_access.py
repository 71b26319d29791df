"""Every staff page goes through the one staff rule (secretariat/access.py).

The test walks every URL pattern of the site. A pattern that is not on the short list of
public and participants' pages below is a staff page, and must answer as the rule does:
a visitor is sent to log in, a participant is refused, and staff without two-factor
authentication are sent to set it up. The rule runs before the view, so the values put
in the URL need not exist. A new staff page that forgets `staff_required` fails here.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from tests import factories

pytestmark = pytest.mark.django_db

# Pages for everyone, or for each participant's own registration, by namespace and by name.
PUBLIC_NAMESPACES = {"conference", "registration"}
PUBLIC_NAMES = {
    (None, "health"),
    ("secretariat", "badge"),  # the participant's own badge
    ("secretariat", "letter"),  # the participant's own letter of invitation
    ("secretariat", "letter_verify"),  # the check of a letter of invitation, for whoever holds it
    ("secretariat", "member_letter"),  # a member's letter of invitation, for their delegation's focal point
    ("secretariat", "participant_list"),  # the list published with the participants' consent
    ("admin", "login"),  # allauth's login, which asks for the second factor
    ("secretariat", "recovery_codes"),  # allauth's page of one's own recovery codes
}
PUBLIC_MODULES = ("allauth.", "django.views.static")


def url_patterns(patterns=None, prefix="", namespace=None):
    """(sample path, namespace, name, callback) of every pattern, with a value in place of each parameter."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        route = prefix + _sample(str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, route, pattern.namespace or namespace)
        else:
            yield route, namespace, pattern.name, pattern.callback


def _sample(route):
    route = re.sub(r"<(?:\w+:)?\w+>", "1", route)  # path converters
    route = re.sub(r"\(\?P<\w+>([\w]+)\|[^)]*\)", r"\1", route)  # a choice of names: the first
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)  # any other group
    return route.replace("^", "").replace("$", "")


def is_public(namespace, name, callback):
    if namespace in PUBLIC_NAMESPACES or (namespace, name) in PUBLIC_NAMES:
        return True
    if namespace == "admin" and name is None and callback.__name__ == "catch_all_view":
        return True  # adds a slash or answers 404 for an unknown admin address
    return callback.__module__.startswith(PUBLIC_MODULES)


def staff_paths():
    return sorted({"/" + route for route, ns, name, callback in url_patterns() if not is_public(ns, name, callback)})


def unguarded(paths):
    """The paths that do not answer as the staff rule does, with what they answered instead."""
    staff = factories.VerifiedUserFactory(is_staff=True, is_superuser=True)  # everything but the second factor
    participant = factories.VerifiedUserFactory()
    clients = {"visitor": Client(), "participant": Client(), "staff": Client()}
    clients["participant"].force_login(participant)
    clients["staff"].force_login(staff)
    expected = {
        "visitor": (302, reverse("account_login")),
        "participant": (403, ""),
        "staff": (302, reverse("mfa_activate_totp")),
    }
    found = {}
    for path in paths:
        for who, client in clients.items():
            response = client.get(path)
            answer = (response.status_code, urlsplit(response.get("Location", "")).path)
            if answer != expected[who]:
                found.setdefault(path, {})[who] = answer
    return found


def test_every_staff_page_follows_the_staff_rule():
    paths = staff_paths()

    assert unguarded(paths) == {}
    # The walk found the Secretariat's pages and the admin's, not an empty list.
    assert {"/checkin/", "/admin/", "/admin/registration/participant/", "/admin/participant-lists/1/"} <= set(paths)


def test_a_staff_page_without_the_rule_is_found(settings):
    settings.ROOT_URLCONF = "tests.secretariat.unguarded_urls"

    assert staff_paths() == ["/desk/", "/guarded/"]
    assert unguarded(staff_paths()) == {"/desk/": {"visitor": (200, ""), "participant": (200, ""), "staff": (200, "")}}
