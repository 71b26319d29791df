import pytest
from django.utils import translation

from conference.models import city_of_zone


@pytest.mark.parametrize(
    ("language", "city"),
    [
        ("en", "New York"),
        ("ar", "نيويورك"),
        ("zh-hans", "纽约"),
        ("fr", "New York"),
        ("ru", "Нью-Йорк"),
        ("es", "Nueva York"),
    ],
)
def test_zone_city_in_the_active_language(language, city):
    with translation.override(language):
        assert city_of_zone("America/New_York") == city


def test_zone_city_in_a_given_language():
    assert (city_of_zone("Europe/Vienna", "fr"), city_of_zone("Africa/Nairobi", "zh-hans")) == ("Vienne", "内罗毕")


@pytest.mark.parametrize(
    ("zone", "city"),
    [("Factory", "Factory"), ("Etc/GMT+5", "GMT+5"), ("Moon/Sea_Of_Tranquility", "Sea Of Tranquility")],
)
def test_zone_without_a_city_of_its_own_keeps_its_name(zone, city):
    with translation.override("ru"):
        assert city_of_zone(zone) == city
