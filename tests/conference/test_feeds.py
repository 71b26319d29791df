import datetime
import re
import time

import brotli
import pytest
from django.core.cache import cache
from django.utils.http import parse_http_date_safe

from conference import ical
from conference.models import Conference, Room, Session
from strategy.models import Pillar
from tests.conference.support import SITE_URL, build_sessions, categories, events, four_pillars, parse_calendar, utc
from tests.factories import ConferenceFactory, RoomFactory, SessionFactory, UserFactory, VenueFactory, local_time

pytestmark = pytest.mark.django_db

NOV_2, NOV_3 = datetime.date(2030, 11, 2), datetime.date(2030, 11, 3)
FEEDS = ["/calendar.ics", "/conferences/week-2030/calendar.ics", "/pillars/pillar-2/calendar.ics"]
LONG_AGO = utc(2026, 1, 5, 12, 0, 0)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def week():
    conference = ConferenceFactory(
        title="Week 2030",
        slug="week-2030",
        start_date=NOV_2,
        end_date=NOV_3,
        venue=VenueFactory(name="United Nations Headquarters", city="New York"),
    )
    _, p2, p3, _ = four_pillars()
    room = RoomFactory(venue=conference.venue, name="Conference Room 4")
    # Daylight saving time ends in New York at 02:00 on 3 November 2030: 00:30 EDT to 03:30 EST.
    SessionFactory(
        conference=conference,
        title="Night dialogue",
        kind="interactive",
        starts_at=local_time(conference, NOV_3, 0, 30),
        ends_at=local_time(conference, NOV_3, 3, 30),
        room=room,
        pillars=[p3, p2],
    )
    SessionFactory(conference=conference, title="Opening", kind="opening", date=NOV_2, pillars=[p2], is_open=True)
    SessionFactory(conference=conference, title="Untimed", date=NOV_3, starts_at=None, pillars=[p2])
    SessionFactory(conference=conference, title="Cancelled", date=NOV_2, is_cancelled=True, pillars=[p2])
    Session.objects.update(updated_at=LONG_AGO)
    Conference.objects.update(updated_at=LONG_AGO)
    return conference


def session(title):
    return Session.objects.get(title=title)


def uid(title):
    return f"session-{session(title).pk}@conference.example.org"


@pytest.mark.parametrize("url", FEEDS)
def test_feed_valid_icalendar(client, week, url):
    response = client.get(url)
    calendar = parse_calendar(response)
    lines = response.content.split(b"\r\n")

    assert (response.status_code, response["Content-Type"]) == (200, "text/calendar; charset=utf-8")
    assert response.content.endswith(b"END:VCALENDAR\r\n")
    assert [line for line in lines if len(line) > 75 or b"\n" in line] == []
    assert (str(calendar["VERSION"]), str(calendar["PRODID"])) == (
        "2.0",
        "-//United Nations Counter-Terrorism Conferences//Agenda//EN",
    )
    assert (str(calendar["CALSCALE"]), str(calendar["METHOD"])) == ("GREGORIAN", "PUBLISH")
    assert sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT")) == [
        "Cancelled",
        "Night dialogue",
        "Opening",
        "Untimed",
    ]
    assert all({"UID", "DTSTAMP", "DTSTART"} <= set(event) for event in calendar.walk("VEVENT"))


@pytest.mark.parametrize(
    ("url", "name", "filename"),
    [
        ("/calendar.ics", "United Nations counter-terrorism conferences", "sessions.ics"),
        ("/conferences/week-2030/calendar.ics", "Week 2030", "week-2030.ics"),
        ("/pillars/pillar-2/calendar.ics", "Pillar 2: Pillar short name 2", "pillar-2.ics"),
    ],
)
def test_feed_named_and_served_inline(client, week, url, name, filename):
    response = client.get(url)

    assert str(parse_calendar(response)["X-WR-CALNAME"]) == name
    assert response["Content-Disposition"] == f'inline; filename="{filename}"'


def test_pillar_feed_only_sessions_of_pillar(client, week):
    assert [str(e["SUMMARY"]) for e in events(client.get("/pillars/pillar-3/calendar.ics")).values()] == [
        "Night dialogue"
    ]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_timed_session_in_conference_zone_across_dst(client, week, url):
    response = client.get(url)
    calendar = parse_calendar(response)
    event = events(response)[uid("Night dialogue")]

    assert b"\r\nDTSTART;TZID=America/New_York:20301103T003000\r\n" in response.content
    assert b"\r\nDTEND;TZID=America/New_York:20301103T033000\r\n" in response.content
    assert event.decoded("DTSTART").astimezone(datetime.UTC) == utc(2030, 11, 3, 4, 30)
    assert event.decoded("DTEND").astimezone(datetime.UTC) == utc(2030, 11, 3, 8, 30)
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    # The VTIMEZONE itself gives the right offsets on both sides of the change.
    tz = calendar.walk("VTIMEZONE")[0].to_tz()
    assert datetime.datetime(2030, 11, 3, 0, 30, tzinfo=tz).utcoffset() == datetime.timedelta(hours=-4)
    assert datetime.datetime(2030, 11, 3, 3, 30, tzinfo=tz).utcoffset() == datetime.timedelta(hours=-5)


def test_feed_untimed_session_all_day(client, week):
    event = events(client.get("/calendar.ics"))[uid("Untimed")]

    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (NOV_3, datetime.date(2030, 11, 4))
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert str(event["DESCRIPTION"]).split("\n\n")[2] == "Time not announced."


def test_feed_fields_of_one_session(client, week):
    event = events(client.get("/conferences/week-2030/calendar.ics"))[uid("Night dialogue")]

    assert str(event["SUMMARY"]) == "Night dialogue"
    assert categories(event) == ["Interactive discussion", "Pillar short name 2", "Pillar short name 3"]
    assert str(event["URL"]) == f"{SITE_URL}/sessions/{session('Night dialogue').pk}/"
    assert str(event["LOCATION"]) == "Conference Room 4, United Nations Headquarters, New York"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert (event.decoded("SEQUENCE"), event.decoded("DTSTAMP"), event.decoded("LAST-MODIFIED")) == (
        0,
        LONG_AGO,
        LONG_AGO,
    )


def test_feed_cancelled_session_kept_as_cancelled(client, week):
    found = events(client.get("/calendar.ics"))

    assert (str(found[uid("Cancelled")]["STATUS"]), str(found[uid("Opening")]["STATUS"])) == ("CANCELLED", "CONFIRMED")


def test_feed_uid_same_in_every_feed_and_request(client, week):
    uids = [sorted(events(client.get(url))) for url in [*FEEDS, *FEEDS]]

    assert uids == [sorted(uid(t) for t in ["Night dialogue", "Opening", "Untimed", "Cancelled"])] * 6
    assert next(iter(events(client.get(f"/sessions/{session('Opening').pk}/calendar.ics")))) == uid("Opening")


def test_feed_edit_keeps_uid_and_moves_sequence_and_stamps(client, week):
    before = events(client.get("/calendar.ics"))[uid("Night dialogue")]
    night = session("Night dialogue")
    night.title = "Night dialogue (moved)"
    night.starts_at = local_time(week, NOV_3, 1, 30)
    night.save()
    night.refresh_from_db()

    after = events(client.get("/calendar.ics"))[uid("Night dialogue (moved)")]

    edited = night.updated_at.replace(microsecond=0)
    assert str(after["UID"]) == str(before["UID"]) == f"session-{night.pk}@conference.example.org"
    assert (before.decoded("SEQUENCE"), after.decoded("SEQUENCE")) == (0, 1)
    assert (after.decoded("LAST-MODIFIED"), after.decoded("DTSTAMP")) == (edited, edited)
    assert edited > LONG_AGO
    assert str(after["SUMMARY"]) == "Night dialogue (moved)"
    assert after.decoded("DTSTART").astimezone(datetime.UTC) == utc(2030, 11, 3, 5, 30)


def test_feed_cancelling_session_keeps_it_with_new_sequence(client, week):
    opening = session("Opening")
    opening.is_cancelled = True
    opening.save()

    event = events(client.get("/conferences/week-2030/calendar.ics"))[uid("Opening")]

    assert (str(event["STATUS"]), event.decoded("SEQUENCE")) == ("CANCELLED", 1)


@pytest.mark.parametrize("url", FEEDS)
def test_feed_conditional_and_shared_cache_headers_present(client, week, url):
    response = client.get(url)

    assert (response.has_header("ETag"), parse_http_date_safe(response["Last-Modified"]) is not None) == (True, True)
    assert {part.strip() for part in response["Cache-Control"].split(",")} >= {"public", "s-maxage=60"}
    assert "cookie" not in response["Vary"].lower()


@pytest.mark.parametrize("url", FEEDS)
def test_feed_compressed_when_the_client_accepts_it(client, week, url):
    plain = client.get(url)

    compressed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert (compressed["Content-Encoding"], brotli.decompress(compressed.content)) == ("br", plain.content)
    assert len(compressed.content) < len(plain.content) / 3


def test_feed_for_a_logged_in_person_the_same_as_for_everyone(client, week):
    for_everyone = client.get("/calendar.ics")
    client.force_login(UserFactory())

    response = client.get("/calendar.ics")

    assert (response.content, "public" in response["Cache-Control"]) == (for_everyone.content, True)


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.parametrize(("header", "validator"), [("If-None-Match", "ETag"), ("If-Modified-Since", "Last-Modified")])
def test_feed_repeat_with_validator_304(client, week, url, header, validator):
    first = client.get(url)

    response = client.get(url, headers={header: first[validator]})

    assert (response.status_code, response.content) == (304, b"")


@pytest.mark.parametrize("url", FEEDS)
def test_feed_304_repeats_etag(client, week, url):
    first = client.get(url)

    response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    # RFC 9110 §15.4.5: a 304 MUST carry the ETag that a 200 to the same request would have carried.
    assert (response.status_code, response.get("ETag")) == (304, first["ETag"])


def test_feed_older_if_modified_since_200(client, week):
    response = client.get("/calendar.ics", HTTP_IF_MODIFIED_SINCE="Sun, 04 Jan 2026 12:00:00 GMT")

    assert response.status_code == 200


def revalidate(client, url, obj, **changes):
    """The feed, then `changes` saved on `obj`, then the feed again as a calendar app asks for it: both responses."""
    first = client.get(url)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()
    return first, client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])


@pytest.mark.parametrize("url", FEEDS)
def test_feed_after_edit_new_etag_and_updated_body(client, week, url):
    first, response = revalidate(client, url, session("Night dialogue"), title="Night dialogue, renamed")

    assert (response.status_code, response["ETag"] != first["ETag"]) == (200, True)
    assert str(events(response)[uid("Night dialogue, renamed")]["SUMMARY"]) == "Night dialogue, renamed"
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_feed_after_conference_edit_updated_body(client, week):
    _, response = revalidate(client, "/conferences/week-2030/calendar.ics", week, title="CT Week 2030")

    assert (response.status_code, str(parse_calendar(response)["X-WR-CALNAME"])) == (200, "CT Week 2030")


def test_feed_after_room_renamed_updated_location(client, week):
    room = session("Night dialogue").room
    _, response = revalidate(client, "/calendar.ics", room, name="Conference Room 1")

    assert response.status_code == 200
    assert (
        str(events(response)[uid("Night dialogue")]["LOCATION"])
        == "Conference Room 1, United Nations Headquarters, New York"
    )


def test_feed_session_without_room_held_at_the_conference_venue(client, week):
    found = events(client.get("/calendar.ics"))

    assert str(found[uid("Opening")]["LOCATION"]) == "United Nations Headquarters, New York"


def test_feed_online_session_without_room_held_online(client, week):
    online = ConferenceFactory(format="virtual", venue=None, start_date=NOV_2)
    webinar = SessionFactory(conference=online, title="Webinar", online_url="https://meet.example.org/w")

    assert str(events(client.get("/calendar.ics"))[uid(webinar.title)]["LOCATION"]) == "Online"


@pytest.mark.parametrize("url", FEEDS)
def test_feed_after_venue_renamed_updated_location(client, week, url):
    first, response = revalidate(client, url, week.venue, name="UN Headquarters", city="")

    found = events(response)
    assert (response.status_code, response["ETag"] != first["ETag"]) == (200, True)
    assert str(found[uid("Night dialogue")]["LOCATION"]) == "Conference Room 4, UN Headquarters"
    assert str(found[uid("Untimed")]["LOCATION"]) == "UN Headquarters"


def test_feed_after_pillar_renamed_updated_categories(client, week):
    pillar = Pillar.objects.get(number=3)
    _, response = revalidate(client, "/pillars/pillar-3/calendar.ics", pillar, short_name="Capacity")

    assert response.status_code == 200
    assert categories(events(response)[uid("Night dialogue")])[2] == "Capacity"


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.pillars.add(Pillar.objects.get(number=1)),
        lambda s: s.pillars.clear(),
        lambda s: Pillar.objects.get(number=3).sessions.remove(s),
        lambda s: Pillar.objects.get(number=3).sessions.clear(),
    ],
    ids=["added", "cleared", "removed from the pillar", "pillar cleared"],
)
def test_feed_after_pillars_changed_alone_updated_categories(client, week, change):
    night = session("Night dialogue")
    first = client.get("/calendar.ics")
    before = categories(events(first)[uid("Night dialogue")])

    change(night)
    response = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 200
    assert categories(events(response)[uid("Night dialogue")]) != before


def test_feed_after_session_deleted_drops_it(client, week):
    first = client.get("/calendar.ics")
    session("Opening").delete()

    response = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])

    assert (response.status_code, len(events(response))) == (200, 3)


def test_feed_after_conference_unpublished_drops_its_sessions(client, week):
    _, response = revalidate(client, "/calendar.ics", week, is_published=False)

    assert (response.status_code, events(response)) == (200, {})
    assert client.get("/conferences/week-2030/calendar.ics").status_code == 404


@pytest.mark.parametrize("url", ["/conferences/no-such/calendar.ics", "/pillars/no-such/calendar.ics"])
def test_feed_unknown_slug_404(client, week, url):
    assert client.get(url).status_code == 404


def test_feed_without_sessions_empty_calendar(client):
    response = client.get("/calendar.ics")

    assert (response.status_code, events(response)) == (200, {})


FEED_QUERIES = [
    # (url, queries for a 200, queries for a 304: the version is in the shared cache)
    ("/calendar.ics", 2, 0),  # sessions with conference and room; pillars
    ("/conferences/busy/calendar.ics", 3, 0),  # the conference first
    ("/pillars/pillar-1/calendar.ics", 3, 0),  # the pillar first
]


@pytest.mark.parametrize("count", [5, 500])
@pytest.mark.parametrize(("url", "full", "not_modified"), FEED_QUERIES)
def test_feed_query_count_constant(client, django_assert_num_queries, count, url, full, not_modified):
    conference = ConferenceFactory(slug="busy", start_date=NOV_2, end_date=datetime.date(2030, 11, 4))
    build_sessions(conference, count, pillars=four_pillars()[:2], room=RoomFactory(venue=conference.venue))

    with django_assert_num_queries(full):
        response = client.get(url)
    with django_assert_num_queries(not_modified):
        repeat = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])

    assert (len(events(response)), repeat.status_code) == (count, 304)


def test_feed_repeat_without_validators_served_from_cache(client, django_assert_num_queries, week):
    first = client.get("/calendar.ics")

    with django_assert_num_queries(0):
        again = client.get("/calendar.ics")

    assert again.content == first.content


# Each event's text is kept in the shared cache: an edit writes again only the events it changes.


@pytest.fixture
def written(monkeypatch):
    """Primary keys of the sessions whose events are written anew rather than taken from the cache."""
    pks = []
    write = ical.session_event

    def write_and_note(facts):
        pks.append(facts.pk)
        return write(facts)

    monkeypatch.setattr(ical, "session_event", write_and_note)
    return pks


def event_texts(response):
    """{UID: the VEVENT's lines, as sent}."""
    texts = re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", response.content, flags=re.DOTALL)
    return {re.search(rb"\r\nUID:(.*?)\r\n", text).group(1).decode(): text for text in texts}


def retitle(night):
    night.title = "Night talk"
    night.save()
    return b"\r\nSUMMARY:Night talk\r\n"


def move(night):
    night.starts_at = local_time(night.conference, NOV_3, 1, 30)
    night.ends_at = local_time(night.conference, NOV_3, 4, 30)
    night.save()
    return b"\r\nDTSTART;TZID=America/New_York:20301103T013000\r\n"


def rename_room(night):
    night.room.name = "Conference Room 1"
    night.room.save()
    return b"\r\nLOCATION:Conference Room 1\\, United Nations Headquarters\\, New York\r\n"


def change_pillars(night):
    night.save()  # as the admin does: the session, then its pillars
    night.pillars.set([Pillar.objects.get(number=4)])
    return b"\r\nCATEGORIES:Interactive discussion,Pillar short name 4\r\n"


def cancel(night):
    night.is_cancelled = True
    night.save()
    return b"\r\nSTATUS:CANCELLED\r\n"


EDITS = [retitle, move, rename_room, change_pillars, cancel]


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("url", FEEDS[:2])
def test_feed_edit_shows_at_once_and_only_its_event_written_again(client, week, written, url, edit):
    before = event_texts(client.get(url))
    night, night_uid = session("Night dialogue"), uid("Night dialogue")
    written.clear()

    line = edit(night)
    after = event_texts(client.get(url))

    others = set(before) - {night_uid}
    assert written == [night.pk]
    assert (line in before[night_uid], line in after[night_uid]) == (False, True)
    assert {u: after[u] for u in others} == {u: before[u] for u in others}


@pytest.mark.parametrize("edit", EDITS)
def test_feed_put_together_from_cache_same_as_written_from_scratch(client, week, edit):
    client.get("/calendar.ics")
    edit(session("Night dialogue"))

    assembled = client.get("/calendar.ics")
    cache.clear()
    from_scratch = client.get("/calendar.ics")

    calendar = parse_calendar(assembled)
    assert assembled.content == from_scratch.content
    assert (len(calendar.walk("VEVENT")), [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")]) == (
        4,
        ["America/New_York"],
    )


def test_feed_after_conference_renamed_every_event_written_again(client, week, written):
    client.get("/conferences/week-2030/calendar.ics")
    written.clear()
    week.title = "CT Week 2030"
    week.save()

    found = events(client.get("/conferences/week-2030/calendar.ics"))

    assert sorted(written) == sorted(session(t).pk for t in ["Night dialogue", "Opening", "Untimed", "Cancelled"])
    assert {str(e["DESCRIPTION"]).split("\n\n")[0] for e in found.values()} == {"CT Week 2030"}


def test_feeds_share_the_texts_of_events(client, week, written):
    client.get("/pillars/pillar-3/calendar.ics")
    night_only = list(written)
    client.get("/conferences/week-2030/calendar.ics")
    then_others = written[len(night_only) :]
    client.get("/calendar.ics")
    client.get(f"/sessions/{session('Opening').pk}/calendar.ics")

    assert night_only == [session("Night dialogue").pk]
    assert sorted(then_others) == sorted(session(t).pk for t in ["Opening", "Untimed", "Cancelled"])
    assert len(written) == 4  # none written again for the feed of all sessions or the session's own calendar


def test_session_calendar_event_same_as_in_feed(client, week):
    opening = session("Opening")
    in_feed = event_texts(client.get("/conferences/week-2030/calendar.ics"))[uid("Opening")]
    cache.clear()

    alone = event_texts(client.get(f"/sessions/{opening.pk}/calendar.ics"))

    assert alone == {uid("Opening"): in_feed}


def test_feed_in_french_with_english_where_no_french(client, week, written):
    night, night_uid = session("Night dialogue"), uid("Night dialogue")
    Session.objects.filter(pk=night.pk).update(title_fr="Dialogue de nuit")
    Room.objects.update(name_fr="Salle de conférence 4")
    Pillar.objects.filter(number=2).update(short_name_fr="Pilier 2")
    english = events(client.get("/conferences/week-2030/calendar.ics"))[night_uid]

    french = events(client.get("/fr/conferences/week-2030/calendar.ics"))[night_uid]

    assert (str(english["SUMMARY"]), str(english["LOCATION"])) == (
        "Night dialogue",
        "Conference Room 4, United Nations Headquarters, New York",
    )
    assert (str(french["SUMMARY"]), str(french["LOCATION"])) == (
        "Dialogue de nuit",
        "Salle de conférence 4, United Nations Headquarters, New York",
    )
    assert categories(french) == ["Débat interactif", "Pilier 2", "Pillar short name 3"]
    assert written.count(night.pk) == 2  # once in each language


def test_feed_of_conferences_in_two_zones_describes_both(client, week):
    vienna = ConferenceFactory(
        title="Vienna 2030", slug="vienna-2030", start_date=NOV_2, end_date=NOV_3, time_zone="Europe/Vienna"
    )
    SessionFactory(conference=vienna, title="Vienna talk", starts_at=local_time(vienna, NOV_2, 10, 0))

    response = client.get("/calendar.ics")
    calendar = parse_calendar(response)

    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["America/New_York", "Europe/Vienna"]
    assert b"\r\nDTSTART;TZID=Europe/Vienna:20301102T100000\r\n" in response.content
    assert events(response)[uid("Vienna talk")].decoded("DTSTART").astimezone(datetime.UTC) == utc(2030, 11, 2, 9)


def test_feed_events_all_written_again_a_day_after_first(client, week, written, monkeypatch):
    # So that a label newly translated shows, even in a conference edited every hour.
    first, day = time.time(), ical.EVENT_TEXTS_MAX_AGE_SECONDS
    client.get("/calendar.ics")
    monkeypatch.setattr(time, "time", lambda: first + 0.6 * day)
    retitle(session("Night dialogue"))
    client.get("/calendar.ics")
    written.clear()
    monkeypatch.setattr(time, "time", lambda: first + 1.1 * day)

    client.get("/conferences/week-2030/calendar.ics")

    assert sorted(written) == sorted(Session.objects.values_list("pk", flat=True))
