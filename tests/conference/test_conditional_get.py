"""Public pages answer a repeat request with 304 Not Modified while nothing they show has changed,
and with the page again as soon as anything has: every kind of edit changes the version."""

import gzip
import time

import brotli
import pytest
import time_machine
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.middleware.locale import LocaleMiddleware
from django.test import Client, override_settings
from django.urls import path

from conference import caching
from conference.caching import public_page
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


@pytest.fixture
def one_clock_step():
    """The clock starts again at the beginning of a clock step, so that a test's requests all fall in
    it: the validators, and the pages kept, also change with the step."""
    step = caching.CLOCK_STEP_SECONDS
    with time_machine.travel((time.time() // step + 1) * step + 1, tick=True):
        yield


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
    assert response.cookies == {}


def test_page_for_a_logged_in_person_is_never_shared(world, person_client):
    response = person_client.get("/pillars/", HTTP_ACCEPT_ENCODING="gzip, br")

    assert "public" not in response.get("Cache-Control", "")
    assert "Cookie" in response["Vary"]
    assert not response.has_header("Content-Encoding")  # pages with a CSRF token are not compressed


def test_message_waiting_is_shown_on_a_page_of_its_own(world, person_client):
    """After logging out, the next page says so: it is rendered for this visitor, neither kept nor shared."""
    kept = Client().get("/")
    person_client.post("/accounts/logout/")
    visitor = Client()  # as a browser keeps it: the message's cookie, no session's
    visitor.cookies["messages"] = person_client.cookies["messages"].value

    told, others = visitor.get("/"), Client().get("/")

    assert (b"signed out" in told.content, "public" in told.get("Cache-Control", "")) == (True, False)
    assert (others.content, "public" in others["Cache-Control"]) == (kept.content, True)


def test_not_modified_answer_is_shareable_too(world):
    client = Client()
    first = client.get("/strategy/")

    repeat = client.get("/strategy/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert (repeat.status_code, "public" in repeat["Cache-Control"]) == (304, True)


def test_staff_page_and_feed_unaffected(world, staff_client):
    response = staff_client.get("/admin/")

    assert "public" not in response.get("Cache-Control", "")


def test_page_for_visitors_is_rendered_once_per_version(world, django_assert_num_queries, one_clock_step):
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


def test_kept_page_costs_one_round_trip_to_the_shared_cache(world, monkeypatch, one_clock_step):
    """The programme's version and the page kept for it come together."""
    Client().get("/pillars/", HTTP_ACCEPT_ENCODING="br")
    calls = counted_cache_calls(monkeypatch)

    response = Client().get("/pillars/", HTTP_ACCEPT_ENCODING="br")

    assert (response.status_code, calls) == (200, ["get_many"])


def counted_cache_calls(monkeypatch):
    calls = []

    class CountingCache:
        def __getattr__(self, name):
            calls.append(name)
            return getattr(cache, name)

    monkeypatch.setattr(caching, "cache", CountingCache())
    return calls


def test_repeat_answered_not_modified_without_fetching_the_page(world, monkeypatch, one_clock_step):
    """A 304 needs the version only: the page, with its compressed forms, stays in the cache."""
    first = Client().get("/pillars/", HTTP_ACCEPT_ENCODING="br")
    calls = counted_cache_calls(monkeypatch)

    repeat = Client().get("/pillars/", HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=first["ETag"])

    assert (repeat.status_code, calls) == (304, ["get_many"])


def test_stale_validator_gets_the_page_kept(world, monkeypatch, one_clock_step):
    first = Client().get("/pillars/", HTTP_ACCEPT_ENCODING="br")
    calls = counted_cache_calls(monkeypatch)

    response = Client().get("/pillars/", HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH='"an-older-version"')

    assert (response.status_code, response.content, calls) == (200, first.content, ["get_many", "get"])


# Compression: each public page is compressed once per version and encoding, and kept compressed.

BROWSER = "gzip, deflate, br, zstd"
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}


def body(response):
    """The page as the client reads it, once decoded."""
    assert response["Content-Length"] == str(len(response.content))
    return DECODE[response.get("Content-Encoding")](response.content)


@pytest.mark.parametrize(
    ("accept_encoding", "encoding"),
    [
        (BROWSER, "br"),
        ("gzip", "gzip"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("identity", None),
        ("", None),
    ],
)
def test_page_comes_in_the_encoding_the_client_prefers(world, accept_encoding, encoding):
    response = Client().get("/pillars/", HTTP_ACCEPT_ENCODING=accept_encoding)

    assert (response.status_code, response.get("Content-Encoding")) == (200, encoding)
    assert "Accept-Encoding" in response["Vary"]


def test_every_encoding_decodes_to_the_same_page(world):
    paths = public_paths(world)
    first = {
        path: {name: body(Client().get(path, HTTP_ACCEPT_ENCODING=name)) for name in ("br", "gzip", "")}
        for path in paths
    }
    kept = {
        path: {name: body(Client().get(path, HTTP_ACCEPT_ENCODING=name)) for name in ("gzip", "br", "")}
        for path in paths
    }

    assert {path: len(set(bodies.values())) for path, bodies in first.items()} == dict.fromkeys(paths, 1)
    assert kept == first
    assert b"Border security" in first[f"/sessions/{world['session'].pk}/"][""]


def test_without_accept_encoding_the_page_comes_as_it_is(world):
    response = Client().get("/")

    assert (response.status_code, response.has_header("Content-Encoding")) == (200, False)
    assert "Accept-Encoding" in response["Vary"]
    assert b"Fourth Conference" in response.content


@pytest.mark.parametrize("accept_encoding", [BROWSER, "gzip", ""])
def test_repeat_with_the_validator_of_its_encoding_is_not_modified(world, accept_encoding):
    client = Client(HTTP_ACCEPT_ENCODING=accept_encoding)
    first = client.get("/")

    repeat = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert (first.status_code, repeat.status_code, repeat["ETag"]) == (200, 304, first["ETag"])
    assert ("public" in repeat["Cache-Control"], "Accept-Encoding" in repeat["Vary"]) == (True, True)


def test_each_encoding_has_its_own_validator(world):
    etags = {name: Client().get("/", HTTP_ACCEPT_ENCODING=name)["ETag"] for name in ("br", "gzip", "")}

    other_encoding = Client().get("/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etags["br"])

    assert len(set(etags.values())) == 3
    assert (other_encoding.status_code, other_encoding["Content-Encoding"]) == (200, "gzip")


def test_kept_page_is_compressed_once_per_encoding(world, monkeypatch, one_clock_step):
    compressed = []
    compress = caching.compress
    monkeypatch.setattr(
        caching, "compress", lambda content, encoding: compressed.append(encoding) or compress(content, encoding)
    )

    for _ in range(3):
        for name in (BROWSER, "gzip", ""):
            assert Client().get("/", HTTP_ACCEPT_ENCODING=name).status_code == 200

    assert compressed == ["br", "gzip"]


@public_page
def page_with_a_token(request):
    return HttpResponse(f"<form><input name='csrfmiddlewaretoken' value='{get_token(request)}'></form>")


urlpatterns = [path("with-a-token/", page_with_a_token)]


@pytest.mark.urls(__name__)
def test_public_page_holding_a_csrf_token_is_neither_kept_compressed_nor_shared(db):
    first, second = (Client().get("/with-a-token/", HTTP_ACCEPT_ENCODING=BROWSER) for _ in range(2))

    assert (first.status_code, first.has_header("Content-Encoding")) == (200, False)
    assert "public" not in first.get("Cache-Control", "")
    assert first.content != second.content  # each visitor gets their own token


# A page kept is served before the session, the language and the address are looked at.


@pytest.fixture
def stack_reached(monkeypatch):
    """Paths whose request went past the middleware that serves kept pages (to the language's)."""
    reached = []
    process_request = LocaleMiddleware.process_request
    monkeypatch.setattr(
        LocaleMiddleware,
        "process_request",
        lambda self, request: reached.append(request.path) or process_request(self, request),
    )
    return reached


@pytest.mark.parametrize("accept_encoding", [BROWSER, "gzip", ""])
def test_kept_page_served_before_the_rest_of_the_stack_as_the_stack_served_it(world, stack_reached, accept_encoding):
    paths = public_paths(world)
    first = {path: Client().get(path, HTTP_ACCEPT_ENCODING=accept_encoding) for path in paths}

    again = {path: Client().get(path, HTTP_ACCEPT_ENCODING=accept_encoding) for path in paths}

    assert stack_reached == paths  # the first time only
    assert {path: response.content for path, response in again.items()} == {
        path: response.content for path, response in first.items()
    }
    assert {path: sorted(response.items()) for path, response in again.items()} == {
        path: sorted(response.items()) for path, response in first.items()
    }


STRATEGY_IN_EACH_LANGUAGE = ("/strategy/", "/fr/strategy/", "/zh-hans/strategy/", "/ar/strategy/")


def test_kept_page_in_each_language_served_in_it(world, stack_reached):
    for address in STRATEGY_IN_EACH_LANGUAGE:
        Client().get(address)

    pages = {address: Client().get(address) for address in STRATEGY_IN_EACH_LANGUAGE}

    assert len(stack_reached) == 4
    assert {path: response["Content-Language"] for path, response in pages.items()} == {
        "/strategy/": "en",
        "/fr/strategy/": "fr",
        "/zh-hans/strategy/": "zh-hans",
        "/ar/strategy/": "ar",
    }


def test_visitor_with_a_session_or_a_conditional_request_goes_through_the_stack(world, stack_reached, person_client):
    Client().get("/pillars/")

    person_client.get("/pillars/")
    Client().get("/pillars/", HTTP_IF_NONE_MATCH='"an-older-version"')
    Client().post("/pillars/")

    assert stack_reached == ["/pillars/"] * 4


def test_public_page_served_while_the_shared_cache_does_not_answer(world):
    unreachable = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }

    with override_settings(CACHES=unreachable):
        response = Client().get("/strategy/", HTTP_ACCEPT_ENCODING=BROWSER)

    assert (response.status_code, "public" in response.get("Cache-Control", "")) == (200, False)
    assert b"Strategy" in response.content


def served(method, path, **headers):
    """(status, headers, body bytes) as the site hands them to the WSGI server (gunicorn): Django's test
    client would drop a HEAD response's body itself. As that client does, the database connection is
    kept across the request: closing it would end the test's transaction (on PostgreSQL)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import RequestFactory

    environ = RequestFactory()._base_environ(REQUEST_METHOD=method, PATH_INFO=path, **headers)
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started.update(status=status, headers=dict(response_headers))

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, start_response)
        body = b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"], started["headers"], body


@pytest.mark.parametrize("encoding", ["", "gzip, br"])
def test_head_of_a_public_page_gives_the_headers_of_get_and_no_body(world, one_clock_step, encoding):
    path = f"/sessions/{world['session'].pk}/"
    rendered = served("HEAD", path, HTTP_ACCEPT_ENCODING=encoding)  # the page is rendered and kept
    _, got_headers, got = served("GET", path, HTTP_ACCEPT_ENCODING=encoding)
    kept = served("HEAD", path, HTTP_ACCEPT_ENCODING=encoding)  # the page kept is served

    for status, headers, body in (rendered, kept):
        assert (status, body) == ("200 OK", b"")
        assert headers["Content-Length"] == got_headers["Content-Length"] == str(len(got))
        assert headers["ETag"] == got_headers["ETag"]
