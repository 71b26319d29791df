"""An edit made in the admin shows at once on every public page that carries it, in all six languages,
although those pages are rendered once and kept in the shared cache: each page is read (and so kept)
in every language before the edit, and read again by new visitors after it.

The checks read the text a visitor sees (the values, for the JSON schedule), not the markup."""

import datetime
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext, ngettext

from conference.models import Conference, Room, Session, SessionPerson, Venue
from strategy.models import Pillar, StrategyReview
from tests import factories

LANGUAGES = ("en", "fr", "ar", "zh-hans", "ru", "es")


@dataclass
class World:
    conference: Conference
    past: Conference
    session: Session
    chair: SessionPerson
    room: Room
    venue: Venue
    pillar: Pillar
    other_pillar: Pillar
    review: StrategyReview


@pytest.fixture
def world(db):
    """An upcoming conference in the week of a Strategy review, with one session in a room of its venue,
    tagged with one of two pillars; a past conference at the same venue. Each text is in English, some
    also in one other language (the others show the English)."""
    review = factories.StrategyReviewFactory(
        title_en="Eighth review of the Strategy",
        title_fr="Huitième examen de la Stratégie",
        summary_en="The Assembly renewed its commitment.",
    )
    venue = factories.VenueFactory(
        name_en="Vienna International Centre", name_fr="Centre international de Vienne", city="Vienna", country="AT"
    )
    conference = factories.ConferenceFactory(
        title_en="Fourth High-Level Conference",
        title_ru="Четвертая конференция высокого уровня",
        theme_en="Partnerships against terrorism",
        venue=venue,
        strategy_review=review,
    )
    past = factories.ConferenceFactory(
        title_en="Third High-Level Conference",
        venue=venue,
        start_date=timezone.localdate() - datetime.timedelta(days=400),
    )
    pillar = factories.PillarFactory(
        number=2,
        short_name_en="Prevent and combat",
        short_name_es="Prevenir y combatir",
        title_en="Measures to prevent and combat terrorism.",
        title_zh_hans="防止和打击恐怖主义的措施。",
        description_en="Refraining from supporting terrorist activities.",
    )
    other_pillar = factories.PillarFactory(
        number=3, short_name_en="Capacity building", title_en="Measures of capacity."
    )
    room = factories.RoomFactory(venue=venue, name_en="Boardroom B", name_ar="قاعة المجلس باء")
    starts = factories.local_time(conference, conference.start_date, 9, 10)
    session = factories.SessionFactory(
        conference=conference,
        title_en="Border security",
        title_fr="Sécurité des frontières",
        room=room,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=70),
        is_open=True,
        webcast_url="https://webtv.un.org/live",
        pillars=[pillar],
    )
    chair = factories.SessionPersonFactory(session=session, role="chair", name="Amina Diallo")
    return World(conference, past, session, chair, room, venue, pillar, other_pillar, review)


PAGES = {
    "home": lambda w: "/",
    "archive": lambda w: "/archive/",
    "conference": lambda w: f"/conferences/{w.conference.slug}/",
    "past conference": lambda w: f"/conferences/{w.past.slug}/",
    "session": lambda w: f"/sessions/{w.session.pk}/",
    "schedule": lambda w: f"/conferences/{w.conference.slug}/schedule.json",
    "month": lambda w: f"/calendar/?month={w.session.date:%Y-%m}",
    "list": lambda w: f"/calendar/list/?month={w.session.date:%Y-%m}",
    "pillars": lambda w: "/pillars/",
    "pillar": lambda w: f"/pillars/{w.pillar.slug}/",
    "other pillar": lambda w: f"/pillars/{w.other_pillar.slug}/",
    "strategy": lambda w: "/strategy/",
}
# The pages that show the session's title and time, and those that also show its room, pillars and people.
SESSION_PAGES = ("conference", "session", "schedule", "month", "list", "pillar")
SESSION_DETAIL_PAGES = ("conference", "session", "schedule", "list", "pillar")


def address(language, path):
    return path if language == "en" else f"/{language}{path}"


def words(text):
    """`text` with each run of spaces (no-break ones too) as one space."""
    return " ".join(text.split())


class _VisibleText(HTMLParser):
    # A select's options are the filters' choices (every pillar, kind and day), not the programme.
    UNSEEN = {"script", "style", "template", "select"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.unseen_open = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.UNSEEN:
            self.unseen_open += 1

    def handle_endtag(self, tag):
        if tag in self.UNSEEN and self.unseen_open:
            self.unseen_open -= 1

    def handle_data(self, data):
        if not self.unseen_open:
            self.parts.append(data)


# When the export was made and when each row last changed: not content, and clock times besides.
EXPORT_STAMPS = {"generated_at", "updated_at"}


def _json_lines(value, key=""):
    if isinstance(value, dict):
        for name, item in value.items():
            if name not in EXPORT_STAMPS:
                yield from _json_lines(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _json_lines(item, key)
    else:
        yield f"{key}: {value if isinstance(value, str) else json.dumps(value)}"


def visible_text(response):
    """What a visitor reads: the text of an HTML page; the values of a JSON document, "key: value" each."""
    if response["Content-Type"].startswith("application/json"):
        return "\n".join(words(line) for line in _json_lines(response.json()))
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return words(" ".join(parser.parts))


# Each edit: how the admin would save it, and for each page that shows it, (the text shown before the edit
# that must be gone after it, the text that must show after it) in the page's language; None where the edit
# only adds, or only takes away. The texts are worked out in each language before the edit.


@dataclass(frozen=True)
class Edit:
    make: Callable[[World], object]
    shown: dict[str, Callable[[World], tuple[str | None, str | None]]]


def change(obj, **values):
    for field, value in values.items():
        setattr(obj, field, value)
    obj.save()


def texts(old, new):
    return lambda w: (old, new)


def on(pages, old, new):
    return dict.fromkeys(pages, texts(old, new))


def per_language(pages, english, **translations):
    """(old, new) in the page's language: as `translations` give it (zh_hans for zh-hans), else `english`."""
    return dict.fromkeys(pages, lambda w: translations.get(get_language().replace("-", "_"), english))


def sessions_count(count):
    return ngettext("%(sessions)s session", "%(sessions)s sessions", count) % {"sessions": count}


def no_session_yet():
    return gettext("No session carries this pillar yet.")


CONFERENCE_TITLE_PAGES = ("home", "conference", "session", "schedule", "list", "pillar", "strategy")
EDITS = {
    # Each text edit changes the English, changes the one translation there was, and adds one.
    "session title": Edit(
        lambda w: change(
            w.session, title_en="Borders and people", title_fr="Frontières et personnes", title_zh_hans="边境与人员"
        ),
        per_language(
            SESSION_PAGES,
            ("Border security", "Borders and people"),
            fr=("Sécurité des frontières", "Frontières et personnes"),
            zh_hans=("Border security", "边境与人员"),
        ),
    ),
    "session time": Edit(
        lambda w: change(
            w.session,
            starts_at=factories.local_time(w.conference, w.session.date, 16, 35),
            ends_at=factories.local_time(w.conference, w.session.date, 17, 50),
        ),
        on(SESSION_PAGES, "09:10", "16:35"),
    ),
    "session cancelled": Edit(
        lambda w: change(w.session, is_cancelled=True),
        {
            **dict.fromkeys(("conference", "month", "list", "pillar"), lambda w: (None, gettext("Cancelled"))),
            # And its webcast's link goes: there is nothing to watch.
            "session": lambda w: (gettext("Watch the webcast"), gettext("This session is cancelled.")),
            "schedule": texts("is_cancelled: false", "is_cancelled: true"),
        },
    ),
    "room name": Edit(
        lambda w: change(w.room, name_en="Conference Room 4", name_ar="قاعة الاجتماعات 4", name_ru="Зал заседаний 4"),
        per_language(
            SESSION_DETAIL_PAGES,
            ("Boardroom B", "Conference Room 4"),
            ar=("قاعة المجلس باء", "قاعة الاجتماعات 4"),
            ru=("Boardroom B", "Зал заседаний 4"),
        ),
    ),
    "venue name": Edit(
        lambda w: change(
            w.venue,
            name_en="United Nations Headquarters",
            name_fr="Siège de l'Organisation des Nations Unies",
            name_es="Sede de las Naciones Unidas",
        ),
        per_language(
            ("home", "archive", "conference", "session", "schedule"),
            ("Vienna International Centre", "United Nations Headquarters"),
            fr=("Centre international de Vienne", "Siège de l'Organisation des Nations Unies"),
            es=("Vienna International Centre", "Sede de las Naciones Unidas"),
        ),
    ),
    "pillar title": Edit(
        lambda w: change(
            w.pillar,
            title_en="Measures against terrorism.",
            title_zh_hans="反恐措施。",
            title_fr="Mesures antiterroristes.",
        ),
        per_language(
            ("pillars", "pillar", "strategy"),
            ("Measures to prevent and combat terrorism.", "Measures against terrorism."),
            zh_hans=("防止和打击恐怖主义的措施。", "反恐措施。"),
            fr=("Measures to prevent and combat terrorism.", "Mesures antiterroristes."),
        ),
    ),
    # The short name names the pillar wherever a session carries it: "Pillar 2: Prevent and combat".
    "pillar short name": Edit(
        lambda w: change(
            w.pillar,
            short_name_en="Countering terrorism",
            short_name_es="Contrarrestar el terrorismo",
            short_name_ar="مكافحة الإرهاب",
        ),
        per_language(
            ("conference", "session", "schedule", "list", "pillars", "pillar"),
            ("Prevent and combat", "Countering terrorism"),
            es=("Prevenir y combatir", "Contrarrestar el terrorismo"),
            ar=("Prevent and combat", "مكافحة الإرهاب"),
        ),
    ),
    "pillar description": Edit(
        lambda w: change(w.pillar, description_en="Denying terrorists the means to act."),
        on(("pillar",), "Refraining from supporting terrorist activities.", "Denying terrorists the means to act."),
    ),
    "pillar tag added": Edit(
        lambda w: w.session.pillars.add(w.other_pillar),
        {
            **dict.fromkeys(("conference", "session", "list"), lambda w: (None, str(w.other_pillar))),
            "schedule": texts(None, "short_name: Capacity building"),
            "pillars": lambda w: (sessions_count(0), sessions_count(1)),
            "other pillar": lambda w: (no_session_yet(), w.session.title),
        },
    ),
    "pillar tag removed": Edit(
        lambda w: w.session.pillars.remove(w.pillar),
        {
            **dict.fromkeys(("conference", "session", "list"), lambda w: (str(w.pillar), None)),
            "schedule": lambda w: (f"short_name: {w.pillar.short_name}", None),
            "pillars": lambda w: (sessions_count(1), sessions_count(0)),
            "pillar": lambda w: (w.session.title, no_session_yet()),
        },
    ),
    "person added": Edit(
        lambda w: factories.SessionPersonFactory(session=w.session, name="Fatima Benali"),
        on(SESSION_DETAIL_PAGES, None, "Fatima Benali"),
    ),
    "person removed": Edit(lambda w: w.chair.delete(), on(SESSION_DETAIL_PAGES, "Amina Diallo", None)),
    "conference title": Edit(
        lambda w: change(
            w.conference,
            title_en="Counter-Terrorism Week",
            title_ru="Неделя борьбы с терроризмом",
            title_ar="أسبوع مكافحة الإرهاب",
        ),
        per_language(
            CONFERENCE_TITLE_PAGES,
            ("Fourth High-Level Conference", "Counter-Terrorism Week"),
            ru=("Четвертая конференция высокого уровня", "Неделя борьбы с терроризмом"),
            ar=("Fourth High-Level Conference", "أسبوع مكافحة الإرهاب"),
        ),
    ),
    "conference theme": Edit(
        lambda w: change(w.conference, theme_en="Resilient institutions", theme_fr="Des institutions résilientes"),
        per_language(
            ("home", "conference", "schedule"),
            ("Partnerships against terrorism", "Resilient institutions"),
            fr=("Partnerships against terrorism", "Des institutions résilientes"),
        ),
    ),
    "past conference title": Edit(
        lambda w: change(w.past, title_en="Third Conference of Heads of Agencies"),
        on(
            ("home", "archive", "past conference"),
            "Third High-Level Conference",
            "Third Conference of Heads of Agencies",
        ),
    ),
    "resource added": Edit(
        lambda w: factories.ResourceFactory(conference=w.conference, title_en="Concept note of the week"),
        on(("conference",), None, "Concept note of the week"),
    ),
    "strategy review title": Edit(
        lambda w: change(
            w.review,
            title_en="Eighth review of the Global Strategy",
            title_fr="Examen n° 8 de la Stratégie",
            title_zh_hans="第八次审查",
        ),
        per_language(
            ("strategy", "conference"),
            ("Eighth review of the Strategy", "Eighth review of the Global Strategy"),
            fr=("Huitième examen de la Stratégie", "Examen n° 8 de la Stratégie"),
            zh_hans=("Eighth review of the Strategy", "第八次审查"),
        ),
    ),
    "strategy review summary": Edit(
        lambda w: change(w.review, summary_en="The Assembly called for a whole-of-society approach."),
        on(
            ("strategy",),
            "The Assembly renewed its commitment.",
            "The Assembly called for a whole-of-society approach.",
        ),
    ),
}


def read_in_every_language(path):
    """{language: (status, visible text)}, each read by a new visitor."""
    pages = {}
    for language in LANGUAGES:
        response = Client().get(address(language, path))
        pages[language] = (response.status_code, visible_text(response))
    return pages


def what_is_wrong(before, after, old, new):
    """The page's faults, as (status before, text before) and (status after, text after) show them."""
    (status_before, text_before), (status_after, text_after) = before, after
    old, new = old and words(old), new and words(new)
    faults = [f"status {status}" for status in (status_before, status_after) if status != 200]
    # Before the edit: the page shows what the edit changes, and not yet what it adds.
    if old and old not in text_before:
        faults.append(f"{old!r} not shown before the edit")
    if new and not old and new in text_before:
        faults.append(f"{new!r} shown before the edit")
    # After: the edit shows.
    if new and new not in text_after:
        faults.append(f"{new!r} not shown after the edit")
    if old and old != new and old in text_after:
        faults.append(f"{old!r} still shown after the edit")
    return faults


@pytest.mark.parametrize(("edit", "page"), [(edit, page) for edit in EDITS for page in EDITS[edit].shown])
def test_edit_shows_at_once_in_every_language(world, edit, page):
    path, shown = PAGES[page](world), EDITS[edit].shown[page]
    expected = {}
    for language in LANGUAGES:
        with translation.override(language):
            expected[language] = shown(world)
    before = read_in_every_language(path)

    with translation.override("en"):  # the admin's language, whatever language the pages were read in
        EDITS[edit].make(world)
    after = read_in_every_language(path)

    faults = {language: what_is_wrong(before[language], after[language], *expected[language]) for language in LANGUAGES}
    assert {language: found for language, found in faults.items() if found} == {}


# The admin saves an edit in one transaction, with its inlines; until it commits, visitors served by other
# app servers read the rows as they were, and the page one of them gets is kept. The edit must still show
# once it commits.

needs_postgresql = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs PostgreSQL: SQLite's test database has one writer and no readers"
)


def read_on_another_server(path):
    """The visible text of `path` for a visitor served by another app server, with its own database connection."""
    seen = []

    def visit():
        try:
            seen.append(visible_text(Client().get(path)))
        finally:
            connection.close()

    thread = threading.Thread(target=visit, daemon=True)
    thread.start()
    thread.join(timeout=30)
    return seen[0]


@pytest.mark.postgresql
@needs_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", ["session", "conference"])
def test_edit_shows_although_a_visitor_read_the_page_while_it_was_saved(world, page):
    path = PAGES[page](world)

    with transaction.atomic():
        change(world.session, title_en="Borders and people")
        factories.SessionPersonFactory(session=world.session, name="Fatima Benali")
        during = read_on_another_server(path)
    after = visible_text(Client().get(path))

    assert ("Border security" in during, "Fatima Benali" in during) == (True, False)
    assert ("Borders and people" in after, "Fatima Benali" in after, "Border security" in after) == (True, True, False)
