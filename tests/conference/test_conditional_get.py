"""Public pages answer a repeat request with 304 Not Modified while nothing they show has changed,
and with the page again as soon as anything has: every kind of edit changes the version."""

import pytest
from django.test import Client

from conference.models import Room
from strategy.models import Pillar
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(conference):
    room = factories.RoomFactory(venue=conference.venue) if conference.venue else factories.RoomFactory()
    session = factories.SessionFactory(conference=conference, room=room, title="Border security")
    pillar = factories.PillarFactory(number=2)
    session.pillars.add(pillar)
    return {"conference": conference, "session": session, "room": room, "pillar": pillar}


def public_paths(world):
    conference, session, pillar = world["conference"], world["session"], world["pillar"]
    return [
        "/",
        "/archive/",
        f"/conferences/{conference.slug}/",
        f"/sessions/{session.pk}/",
        f"/conferences/{conference.slug}/schedule.json",
        "/calendar/",
        "/calendar/list/",
        "/pillars/",
        f"/pillars/{pillar.slug}/",
        "/strategy/",
        "/fr/strategy/",
    ]


def revalidate(client, path):
    """(first status, repeat status) of a request and its conditional repeat."""
    first = client.get(path)
    repeat = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    return first.status_code, repeat.status_code, first["ETag"], first.get("Last-Modified")


def test_repeat_request_of_every_public_page_is_not_modified(world):
    client, paths = Client(), public_paths(world)

    results = {path: revalidate(client, path)[:2] for path in paths}

    assert results == dict.fromkeys(paths, (200, 304))


def test_each_language_has_its_own_validator(world):
    english, french = Client().get("/strategy/"), Client().get("/fr/strategy/")

    assert english["ETag"] != french["ETag"]
    assert Client().get("/fr/strategy/", HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 200


EDITS = {
    "session title": lambda w: setattr(w["session"], "title", "Borders") or w["session"].save(),
    "session translation": lambda w: setattr(w["session"], "title_fr", "Frontières") or w["session"].save(),
    "conference": lambda w: setattr(w["conference"], "theme", "A new theme") or w["conference"].save(),
    "room": lambda w: Room.objects.get(pk=w["room"].pk).save(),
    "pillar": lambda w: Pillar.objects.get(pk=w["pillar"].pk).save(),
    "pillar tag": lambda w: w["session"].pillars.clear(),
    "person": lambda w: factories.SessionPersonFactory(session=w["session"]),
    "resource": lambda w: factories.ResourceFactory(conference=w["conference"]),
    "session deleted": lambda w: w["session"].delete(),
    "strategy review": lambda w: factories.StrategyReviewFactory(),
    "venue": lambda w: factories.VenueFactory(),
}


@pytest.mark.parametrize("edit", EDITS)
def test_any_edit_shows_at_once(world, edit):
    client = Client()
    path = f"/conferences/{world['conference'].slug}/"
    _status, _repeat, etag, _last_modified = revalidate(client, path)

    EDITS[edit](world)
    after = client.get(path, HTTP_IF_NONE_MATCH=etag)

    assert (after.status_code, after["ETag"] != etag) == (200, True)


def test_logged_in_people_get_their_own_page_without_validators(world, person_client):
    response = person_client.get("/")

    assert (response.status_code, response.has_header("ETag")) == (200, False)


def test_last_modified_lets_a_client_without_etags_revalidate(world):
    client = Client()
    first = client.get("/pillars/")

    repeat = client.get("/pillars/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert (first.status_code, repeat.status_code) == (200, 304)


def test_public_page_for_visitors_may_be_kept_by_a_shared_cache(world):
    response = Client().get("/pillars/", HTTP_ACCEPT_ENCODING="gzip, br")

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=0", "s-maxage=60", "stale-while-revalidate=30"}
    assert "cookie" not in response.get("Vary", "").lower()
    assert (response.cookies, response["Content-Encoding"]) == ({}, "gzip")
    # Compressed, the validator is weak, and a repeat with it is still not modified.
    repeat = Client().get("/pillars/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"])
    assert (response["ETag"].startswith('W/"'), repeat.status_code) == (True, 304)


def test_page_for_a_logged_in_person_is_never_shared(world, person_client):
    response = person_client.get("/pillars/", HTTP_ACCEPT_ENCODING="gzip")

    assert "public" not in response.get("Cache-Control", "")
    assert "Cookie" in response["Vary"]
    assert not response.has_header("Content-Encoding")  # pages with a CSRF token are not compressed


def test_not_modified_answer_is_shareable_too(world):
    client = Client()
    first = client.get("/strategy/")

    repeat = client.get("/strategy/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert (repeat.status_code, "public" in repeat["Cache-Control"]) == (304, True)


def test_staff_page_and_feed_unaffected(world, staff_client):
    response = staff_client.get("/admin/")

    assert "public" not in response.get("Cache-Control", "")


def test_page_for_visitors_is_rendered_once_per_version(world, django_assert_num_queries):
    path = f"/conferences/{world['conference'].slug}/"
    first = Client().get(path)

    with django_assert_num_queries(0):
        again = Client().get(path)
    world["session"].title = "Borders and people"
    world["session"].save()
    edited = Client().get(path)

    assert (first.status_code, again.status_code, again.content) == (200, 200, first.content)
    assert (b"Borders and people" in edited.content, b"Borders and people" in first.content) == (True, False)
    assert again["Content-Type"] == first["Content-Type"]


def test_version_read_once_a_request(world, monkeypatch):
    """The version is a round trip to the shared cache: the validators and the rendered page share it."""
    from conference import caching

    reads = []
    monkeypatch.setattr(caching, "schedule_version", lambda: reads.append(1) or 42)

    response = Client().get("/pillars/")

    assert (response.status_code, len(reads)) == (200, 1)
