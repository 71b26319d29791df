"""The States a participant may represent: the 193 Member States and the 2 Observer States, by their UN names."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django_countries import countries
from django_countries.fields import Country

from conference.states import MEMBER_STATES, OBSERVER_STATES, UnitedNationsStates
from registration.models import Category
from tests.factories import ParticipantFactory

TERRITORIES = ["TW", "AQ", "FO", "HM", "GL", "PR", "HK", "EH", "XK"]


def test_193_member_states_and_2_observer_states():
    assert (len(MEMBER_STATES), OBSERVER_STATES, MEMBER_STATES & OBSERVER_STATES) == (193, {"VA", "PS"}, set())
    assert sorted(code for code in MEMBER_STATES | OBSERVER_STATES if code not in countries) == []
    assert {"SS", "ME", "TL", "CH", "KP", "KR"} <= MEMBER_STATES  # the six admitted last, 2002-2011
    assert [code for code in TERRITORIES if code in MEMBER_STATES | OBSERVER_STATES] == []


def test_the_field_of_the_state_represented_lists_the_195_states():
    assert sorted(code for code, _name in UnitedNationsStates()) == sorted(MEMBER_STATES | OBSERVER_STATES)


def test_observer_states_named_as_the_united_nations_names_them():
    with translation.override("en"):
        assert (Country("VA").name, Country("PS").name) == ("Holy See", "State of Palestine")
    # Not django-countries' "Palestine, État de": our catalogues translate the name (English until they do).
    with translation.override("fr"):
        assert "Palestine, " not in Country("PS").name


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("en", ["Russian Federation", "Republic of Korea", "Viet Nam", "Samoa", "Dominica", "Nauru"]),
        ("fr", ["Fédération de Russie", "République de Corée", "Viet Nam", "Samoa", "Dominique", "Nauru"]),
        ("es", ["Federación de Rusia", "República de Corea", "Viet Nam", "Samoa", "Dominica", "Nauru"]),
        ("ru", ["Российская Федерация", "Республика Корея", "Вьетнам", "Самоа", "Доминика", "Науру"]),
        ("zh-hans", ["俄罗斯联邦", "大韩民国", "越南", "萨摩亚", "多米尼克", "瑙鲁"]),
        ("ar", ["الاتحاد الروسي", "جمهورية كوريا", "فييت نام", "ساموا", "دومينيكا", "ناورو"]),
    ],
)
def test_member_states_named_as_the_united_nations_names_them_in_each_language(language, names):
    with translation.override(language):
        assert [Country(code).name for code in ["RU", "KR", "VN", "WS", "DM", "NR"]] == names


@pytest.mark.parametrize(
    ("language", "in_order"),
    [
        ("en", ["Afghanistan", "Australia", "Canada", "Chad"]),
        ("ru", ["Австралия", "Афганистан", "Канада", "Чад"]),  # not in the English order
        ("ar", ["أستراليا", "أفغانستان", "تشاد", "كندا"]),
    ],
)
def test_states_listed_in_the_alphabetical_order_of_each_language(language, in_order):
    with translation.override(language):
        names = [name for _code, name in UnitedNationsStates()]

    assert [name for name in names if name in in_order] == in_order


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("category", "code"),
    [
        *((Category.MEMBER_STATE, code) for code in ["TW", "AQ", "FO", "HM"]),
        (Category.MEMBER_STATE, "VA"),
        (Category.OBSERVER_STATE, "FR"),
        (Category.OBSERVER_STATE, "TW"),
    ],
)
def test_database_refuses_a_state_outside_its_category(category, code):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(category=category, represented_country=code)


@pytest.mark.django_db
@pytest.mark.parametrize(("category", "code"), [(Category.MEMBER_STATE, "AQ"), (Category.OBSERVER_STATE, "SN")])
def test_model_validation_refuses_a_state_outside_its_category(category, code):
    participant = ParticipantFactory.build(category=category, represented_country=code)

    with pytest.raises(ValidationError):
        participant.full_clean(exclude=["user", "conference", "data_consent_at"])


@pytest.mark.django_db
@pytest.mark.parametrize(("category", "code"), [(Category.MEMBER_STATE, "SS"), (Category.OBSERVER_STATE, "PS")])
def test_database_keeps_a_state_of_its_category(category, code):
    assert ParticipantFactory(category=category, represented_country=code).represented_country == code
