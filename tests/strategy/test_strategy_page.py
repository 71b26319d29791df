import datetime
import re

import pytest
from django.utils.html import strip_tags

from strategy.models import StrategyReview
from tests.factories import ConferenceFactory, PillarFactory, StrategyReviewFactory

pytestmark = pytest.mark.django_db

SLUG_2018 = "first-high-level-conference-2018"
SLUG_2021 = "second-high-level-conference-2021"
SLUG_2023 = "third-high-level-conference-2023"


def page(response):
    return response.content.decode()


def timeline(response):
    """[(ordinal, date, heading, resolution link, [conference link, ...]), ...] in the order shown."""
    items = page(response).split('<ol class="timeline list-unstyled">')[1].split("</ol>")[0]
    result = []
    for ordinal, item in re.findall(r'<li id="review-(\d+)" class="timeline-item">(.*?)</li>', items, re.S):
        heading = re.search(r'<h3 class="h5"><time datetime="([\d-]+)">.*?</time>: (.*?)</h3>', item)
        resolution = re.search(r'<p class="mb-1">(?:<a href="([^"]+)">)?(A/RES/[\d/]+)(?:</a>)?</p>', item)
        weeks = re.findall(r'Week of <a href="([^"]+)">', item)
        result.append((int(ordinal), heading.group(1), heading.group(2), resolution.groups(), weeks))
    return result


def test_strategy_timeline_adoption_first_then_reviews_in_order(client, reference_data):
    items = timeline(client.get("/strategy/"))

    assert [ordinal for ordinal, *_ in items] == list(range(9))
    assert items[0][:4] == (
        0,
        "2006-09-08",
        "Adoption of the United Nations Global Counter-Terrorism Strategy",
        ("https://undocs.org/A/RES/60/288", "A/RES/60/288"),
    )
    assert [date for _, date, *_ in items] == sorted(date for _, date, *_ in items)
    assert items[8][2:4] == (
        "Eighth Review of the United Nations Global Counter-Terrorism Strategy",
        ("https://undocs.org/A/RES/77/298", "A/RES/77/298"),
    )


def test_strategy_adoption_shown_with_its_date(client, reference_data):
    first = page(client.get("/strategy/")).split('<li id="review-0" class="timeline-item">')[1].split("</li>")[0]

    assert '<time datetime="2006-09-08">8 September 2006</time>' in first
    assert "The General Assembly adopted the Strategy by consensus" in first


def test_strategy_reviews_linked_to_conference_of_their_week(client, reference_data):
    weeks = {ordinal: links for ordinal, *_, links in timeline(client.get("/strategy/"))}

    assert weeks == {
        0: [],
        1: [],
        2: [],
        3: [],
        4: [],
        5: [],
        6: [f"/conferences/{SLUG_2018}/"],
        7: [f"/conferences/{SLUG_2021}/"],
        8: [f"/conferences/{SLUG_2023}/"],
    }


def test_strategy_review_link_names_conference(client, reference_data):
    review_7 = page(client.get("/strategy/")).split('<li id="review-7" class="timeline-item">')[1].split("</li>")[0]

    assert " ".join(strip_tags(review_7.split("Week of")[1]).split()) == (
        "Second United Nations High-Level Conference of Heads of Counter-Terrorism Agencies of Member States"
    )


def test_strategy_review_not_linked_to_draft_conference(client, reference_data):
    ConferenceFactory(slug="draft-week", is_published=False, strategy_review=StrategyReview.objects.get(ordinal=5))

    weeks = {ordinal: links for ordinal, *_, links in timeline(client.get("/strategy/"))}

    assert weeks[5] == []


def test_strategy_review_with_two_conferences_lists_both_in_date_order(client):
    review = StrategyReviewFactory(ordinal=9, resolution="A/RES/79/300", adopted_on=datetime.date(2030, 6, 20))
    ConferenceFactory(slug="later", start_date=datetime.date(2030, 6, 22), strategy_review=review)
    ConferenceFactory(slug="sooner", start_date=datetime.date(2030, 6, 18), strategy_review=review)

    assert timeline(client.get("/strategy/"))[0][4] == ["/conferences/sooner/", "/conferences/later/"]


def test_strategy_page_lists_pillars_with_official_titles(client, reference_data):
    section = page(client.get("/strategy/")).split('id="pillars-heading"')[1].split("</ol>")[0]

    assert re.findall(r'<li><a href="([^"]+)">(.*?)</a></li>', section)[:2] == [
        ("/pillars/conditions-conducive/", "Measures to address the conditions conducive to the spread of terrorism."),
        ("/pillars/prevent-and-combat/", "Measures to prevent and combat terrorism."),
    ]
    assert len(re.findall(r"<li><a ", section)) == 4


def test_strategy_page_without_login(client, reference_data):
    response = client.get("/strategy/")

    assert (response.status_code, response.wsgi_request.user.is_authenticated) == (200, False)


@pytest.mark.parametrize("reviews", [2, 30])
def test_strategy_page_query_count_constant(client, django_assert_num_queries, reviews):
    PillarFactory.create_batch(4)
    for review in StrategyReviewFactory.create_batch(reviews):
        ConferenceFactory(strategy_review=review)

    with django_assert_num_queries(3):  # reviews, their published conferences, pillars
        response = client.get("/strategy/")

    assert len(timeline(response)) == reviews
