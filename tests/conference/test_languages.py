"""Each page in each of the six languages, at an address that names it, with links between them."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]


def in_language(code, name, **kwargs):
    with translation.override(code):
        return reverse(name, kwargs=kwargs)


def html(response):
    return response.content.decode()


@pytest.mark.parametrize(
    ("code", "direction"),
    [("ar", "rtl"), ("zh-hans", "ltr"), ("en", "ltr"), ("fr", "ltr"), ("ru", "ltr"), ("es", "ltr")],
)
def test_page_in_the_language_its_address_names(client, code, direction):
    response = client.get(in_language(code, "conference:home"), HTTP_ACCEPT_LANGUAGE="fr")

    assert f'<html lang="{code}" dir="{direction}">' in html(response)


def test_english_at_unprefixed_addresses_and_others_prefixed():
    assert [in_language(code, "conference:pillars") for code in LANGUAGES] == [
        "/ar/pillars/",
        "/zh-hans/pillars/",
        "/pillars/",
        "/fr/pillars/",
        "/ru/pillars/",
        "/es/pillars/",
    ]


def test_language_links_lead_to_the_same_page_with_its_filters(client):
    conference = factories.ConferenceFactory(slug="week-2030")

    page = html(client.get("/fr/conferences/week-2030/?kind=thematic&access=open"))

    links = re.findall(
        r'<a href="([^"]+)" hreflang="([^"]+)" lang="[^"]+" dir="(\w+)"( aria-current="page")?>',
        page,
    )
    query = "?kind=thematic&amp;access=open"
    assert links == [
        (f"/ar/conferences/{conference.slug}/{query}", "ar", "rtl", ""),
        (f"/zh-hans/conferences/{conference.slug}/{query}", "zh-hans", "ltr", ""),
        (f"/conferences/{conference.slug}/{query}", "en", "ltr", ""),
        (f"/fr/conferences/{conference.slug}/{query}", "fr", "ltr", ' aria-current="page"'),
        (f"/ru/conferences/{conference.slug}/{query}", "ru", "ltr", ""),
        (f"/es/conferences/{conference.slug}/{query}", "es", "ltr", ""),
    ]


def test_public_pages_name_their_alternates_in_every_language(client):
    page = html(client.get("/ru/strategy/"))

    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page)
    assert alternates == [
        ("ar", "http://testserver/ar/strategy/"),
        ("zh-hans", "http://testserver/zh-hans/strategy/"),
        ("en", "http://testserver/strategy/"),
        ("x-default", "http://testserver/strategy/"),
        ("fr", "http://testserver/fr/strategy/"),
        ("ru", "http://testserver/ru/strategy/"),
        ("es", "http://testserver/es/strategy/"),
    ]


def test_login_keeps_the_language_chosen_before_it(client):
    response = client.get("/fr/registrations/")

    assert (response.status_code, response["Location"]) == (302, "/fr/accounts/login/?next=/fr/registrations/")


def test_session_times_keep_their_order_inside_arabic_pages(client):
    conference = factories.ConferenceFactory(slug="winter-2030", start_date=datetime.date(2030, 1, 14))
    factories.SessionFactory(
        conference=conference,
        starts_at=datetime.datetime(2030, 1, 14, 15, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 1, 14, 16, 30, tzinfo=datetime.UTC),
    )

    page = html(client.get("/ar/conferences/winter-2030/"))

    times = re.findall(
        r'<span dir="ltr"><time datetime="[^"]+">([^<]+)</time>–<time datetime="[^"]+">([^<]+)</time></span>', page
    )
    assert times == [("10:00", "11:30 EST")]
