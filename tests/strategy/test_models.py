import datetime

import pytest
from django.db import IntegrityError, transaction

from strategy.models import Pillar, StrategyReview
from tests.factories import PillarFactory, StrategyReviewFactory

pytestmark = pytest.mark.django_db


def test_pillar_saves_when_valid():
    pillar = PillarFactory(number=3, short_name="Building States' capacity", slug="capacity-building")

    assert Pillar.objects.get(pk=pillar.pk).number == 3
    assert str(pillar) == "Pillar 3: Building States' capacity"


def test_pillar_number_unique_refused():
    Pillar.objects.create(number=1, title="Measures 1.", short_name="One", slug="one")

    with pytest.raises(IntegrityError), transaction.atomic():
        Pillar.objects.create(number=1, title="Measures 1 again.", short_name="One again", slug="one-again")


@pytest.mark.parametrize("number", [0, 5, 12])
def test_pillar_number_outside_1_to_4_refused(number):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pillar.objects.create(number=number, title="Measures.", short_name="Fifth", slug="fifth")


@pytest.mark.parametrize("number", [1, 4])
def test_pillar_number_at_bounds_saves(number):
    Pillar.objects.create(number=number, title="Measures.", short_name="Bound", slug="bound")

    assert Pillar.objects.filter(number=number).count() == 1


def test_review_saves_when_valid():
    review = StrategyReviewFactory(ordinal=0, resolution="A/RES/60/288", adopted_on=datetime.date(2006, 9, 8))

    assert StrategyReview.objects.get(pk=review.pk).resolution == "A/RES/60/288"
    assert review.is_adoption is True


def test_review_ordinal_unique_refused():
    StrategyReviewFactory(ordinal=7, resolution="A/RES/75/291")

    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyReviewFactory(ordinal=7, resolution="A/RES/77/298")


def test_review_resolution_unique_refused():
    StrategyReviewFactory(ordinal=7, resolution="A/RES/75/291")

    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyReviewFactory(ordinal=8, resolution="A/RES/75/291")


@pytest.mark.parametrize(
    "symbol",
    [
        "S/RES/2396(2017)",  # a Security Council resolution
        "A/75/291",
        "RES/75/291",
        " A/RES/75/291",
        "",
        "a/res/75/291",  # the symbol is upper case; SQLite's LIKE ignores case
    ],
)
def test_review_resolution_not_starting_with_a_res_refused(symbol):
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyReviewFactory(resolution=symbol)


def test_review_queryset_reviews_excludes_adoption():
    StrategyReviewFactory(ordinal=0, resolution="A/RES/60/288")
    first = StrategyReviewFactory(ordinal=1, resolution="A/RES/62/272")

    assert list(StrategyReview.objects.reviews()) == [first]
