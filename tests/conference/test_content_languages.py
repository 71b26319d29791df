"""Content in several languages: each text shown in the visitor's language, English where a text has none,
marked as English so that screen readers and right-to-left pages treat it right."""

import re

import pytest

from strategy.models import Pillar
from tests import factories
from tests.test_admin import admin_url

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "title"),
    [
        ("/fr", "Mesures visant à prévenir et combattre le terrorisme."),
        ("/ar", "تدابير منع الإرهاب ومكافحته."),
        ("/zh-hans", "防止和打击恐怖主义的措施。"),
        ("", "Measures to prevent and combat terrorism."),
    ],
)
def test_pillars_official_title_in_each_language(client, reference_data, prefix, title):
    page = html(client.get(f"{prefix}/pillars/prevent-and-combat/"))

    assert re.search(r'<p class="lead">(.*?)</p>', page).group(1) == title


def test_text_without_a_translation_falls_back_to_english_marked_as_such(client):
    conference = factories.ConferenceFactory(
        slug="week-2030", title_en="Counter-Terrorism Week", title_fr="Semaine de la lutte antiterroriste"
    )
    session = factories.SessionFactory(conference=conference, title_en="Opening session", title_fr=None)

    french = html(client.get("/fr/conferences/week-2030/"))
    arabic = html(client.get("/ar/conferences/week-2030/"))

    assert '<h1 id="conference-title">Semaine de la lutte antiterroriste</h1>' in french
    assert f'<a href="/fr/sessions/{session.pk}/"><span lang="en" dir="ltr">Opening session</span></a>' in french
    assert '<h1 id="conference-title" lang="en" dir="ltr">Counter-Terrorism Week</h1>' in arabic


def test_english_pages_carry_no_fallback_marks(client):
    factories.ConferenceFactory(slug="week-2030", title_en="Counter-Terrorism Week")

    page = html(client.get("/conferences/week-2030/"))

    main = page.split('<main id="main"')[1].split("</main>")[0]
    assert ('<h1 id="conference-title">Counter-Terrorism Week</h1>' in main, 'lang="en"' in main) == (True, False)


def test_staff_edit_every_language_of_a_text_side_by_side(client, staff_user):
    client.force_login(staff_user)
    pillar = Pillar.objects.create(number=1, slug="conditions", title_en="Measures.", short_name_en="Conditions")

    page = html(client.get(admin_url(Pillar, "change", pillar.pk)))

    assert re.findall(r'name="(title_[a-z_]+)"', page) == [
        "title_ar",
        "title_zh_hans",
        "title_en",
        "title_fr",
        "title_ru",
        "title_es",
    ]


def test_feeds_and_schedule_speak_the_language_of_their_address(client):
    conference = factories.ConferenceFactory(slug="week-2030", title_en="Counter-Terrorism Week")
    factories.SessionFactory(conference=conference, title_en="Opening session", title_fr="Séance d'ouverture")

    french_feed = client.get("/fr/conferences/week-2030/calendar.ics").content.decode()
    english_feed = client.get("/conferences/week-2030/calendar.ics").content.decode()
    french_schedule = client.get("/fr/conferences/week-2030/schedule.json").json()

    assert ("SUMMARY:Séance d'ouverture" in french_feed, "SUMMARY:Opening session" in english_feed) == (True, True)
    assert [session["title"] for session in french_schedule["sessions"]] == ["Séance d'ouverture"]


@pytest.fixture
def organized_session():
    conference = factories.ConferenceFactory(slug="week-2030")
    session = factories.SessionFactory(conference=conference, organizers="UNOCT and CTED")
    factories.SessionPersonFactory(
        session=session, name="Kenji Sato", function="Director", organization="Office of Counter-Terrorism"
    )
    return session


@pytest.mark.parametrize("prefix", ["/fr", "/ar", "/zh-hans"])
def test_texts_kept_in_english_only_marked_as_english_on_other_pages(client, organized_session, prefix):
    session_page = html(client.get(f"{prefix}/sessions/{organized_session.pk}/"))
    programme = html(client.get(f"{prefix}/conferences/week-2030/"))

    english = '<span lang="en" dir="ltr">{}</span>'
    assert english.format("UNOCT and CTED") in session_page
    assert f"{english.format('Director')}, {english.format('Office of Counter-Terrorism')}" in session_page
    assert english.format("UNOCT and CTED") in programme
    assert english.format("Director, Office of Counter-Terrorism") in programme


def test_texts_kept_in_english_only_not_marked_on_english_pages(client, organized_session):
    session_page = html(client.get(f"/sessions/{organized_session.pk}/"))
    programme = html(client.get("/conferences/week-2030/"))

    for page in (session_page, programme):
        main = page.split('<main id="main"')[1].split("</main>")[0]
        assert ("Director, Office of Counter-Terrorism" in main, 'lang="en"' in main) == (True, False)
