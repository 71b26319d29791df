"""The name a participant is searched by: made on every save, for bulk creations and, once, for the
registrations that existed before it."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from registration.models import Participant
from registration.search import folded, search_name
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Ōtsuka", "otsuka"), ("ＯＴＳＵＫＡ", "otsuka"), ("Groß", "gross"), ("أحمد", "احمد"), ("ﬁne", "fine")],
)
def test_folded_ignores_case_accents_and_width(text, expected):
    assert folded(text) == expected


def test_search_name_holds_the_names_as_written_and_in_latin_letters():
    assert search_name("小明", "王") == "小明 王 xiaoming wang 小明王 xiaomingwang wangxiaoming"
    assert search_name("Amina", "Diallo") == "amina diallo aminadiallo dialloamina"


def test_saving_makes_the_search_name():
    person = factories.ParticipantFactory(given_name="Kenji", family_name="Ōtsuka")

    assert Participant.objects.get(pk=person.pk).search_name.split()[:2] == ["kenji", "otsuka"]


def test_saving_changed_names_with_update_fields_remakes_it():
    person = factories.ParticipantFactory(given_name="Kenji", family_name="Tanaka")
    person.family_name = "Ōtsuka"
    person.save(update_fields=["family_name"])

    assert "otsuka" in Participant.objects.get(pk=person.pk).search_name


def test_bulk_create_makes_the_search_name():
    conference, user = factories.ConferenceFactory(), factories.VerifiedUserFactory()
    unsaved = factories.ParticipantFactory.build(
        conference=conference, user=user, given_name="Иван", family_name="Петров"
    )

    Participant.objects.bulk_create([unsaved])

    assert "ivan petrov" in Participant.objects.get(family_name="Петров").search_name


def test_migration_fills_existing_registrations():
    people = [factories.ParticipantFactory(given_name="Kenji", family_name=f"Ōtsuka {n}") for n in range(3)]
    Participant.objects.update(search_name="")
    migration = importlib.import_module("registration.migrations.0004_participant_search_name")

    migration.fill_search_names(apps, schema_editor=None)

    assert [Participant.objects.get(pk=p.pk).search_name.split()[:3] for p in people] == [
        ["kenji", "otsuka", str(n)] for n in range(3)
    ]


def test_admin_search_finds_names_without_their_accents_or_in_latin_letters(staff_client):
    otsuka = factories.ParticipantFactory(given_name="Kenji", family_name="Ōtsuka")
    wang = factories.ParticipantFactory(given_name="小明", family_name="王")
    factories.ParticipantFactory(given_name="Amina", family_name="Diallo")
    changelist = reverse("admin:registration_participant_changelist")

    found = {q: list(staff_client.get(changelist, {"q": q}).context["cl"].result_list) for q in ["otsuka", "wang"]}

    assert found == {"otsuka": [otsuka], "wang": [wang]}
