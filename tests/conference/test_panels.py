import pytest
from django.db.models import Prefetch

from conference.models import Session, SessionPerson
from conference.panels import all_male_panel, all_male_panels, with_panel_counts
from tests import factories

pytestmark = pytest.mark.django_db


def session_with(*people, **session_fields):
    """A session with one person per (role, gender) pair in `people`."""
    session = factories.SessionFactory(**session_fields)
    for role, gender in people:
        factories.SessionPersonFactory(session=session, role=role, gender=gender)
    return session


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ([("speaker", "male"), ("speaker", "male")], True),
        ([("chair", "male"), ("panellist", "male"), ("panellist", "male")], True),
        ([("moderator", "male"), ("speaker", "male")], True),
        ([("speaker", "male"), ("speaker", "female")], False),
        ([("chair", "female"), ("speaker", "male"), ("speaker", "male")], False),
        ([("speaker", "male"), ("speaker", "other")], False),
        ([("speaker", "male"), ("speaker", "undisclosed")], False),
        ([("speaker", "male")], False),
        ([], False),
    ],
    ids=[
        "two-male-speakers",
        "male-chair-and-panellists",
        "male-moderator-and-speaker",
        "a-woman-speaks",
        "a-woman-chairs",
        "another-gender",
        "gender-undisclosed",
        "one-man-alone",
        "nobody",
    ],
)
def test_all_male_panel_and_queryset_agree(people, expected):
    session = session_with(*people)

    assert (all_male_panel(session), list(all_male_panels(Session.objects.all()))) == (
        expected,
        [session] if expected else [],
    )


def test_all_male_panel_uses_prefetched_people_without_a_query(django_assert_num_queries):
    session_with(("speaker", "male"), ("chair", "male"))
    session_with(("speaker", "male"), ("speaker", "female"))
    sessions = list(
        Session.objects.order_by("pk").prefetch_related(Prefetch("people", queryset=SessionPerson.objects.all()))
    )

    with django_assert_num_queries(0):
        flags = [all_male_panel(session) for session in sessions]

    assert flags == [True, False]


def test_all_male_panels_is_one_query(django_assert_num_queries):
    flagged = session_with(("speaker", "male"), ("speaker", "male"))
    session_with(("speaker", "female"), ("speaker", "male"))

    with django_assert_num_queries(1):
        found = list(all_male_panels(Session.objects.all()))

    assert found == [flagged]


def test_all_male_panels_not_misled_by_a_join_on_pillars():
    """Two pillars double the joined rows; distinct counting keeps one woman among two men visible."""
    pillars = [factories.PillarFactory(number=1), factories.PillarFactory(number=2)]
    mixed = session_with(("speaker", "male"), ("speaker", "male"), ("speaker", "female"), pillars=pillars)
    all_men = session_with(("speaker", "male"), ("chair", "male"), pillars=pillars)

    sessions = Session.objects.filter(pillars__number__in=[1, 2]).distinct()

    assert (
        list(all_male_panels(sessions)),
        sorted(with_panel_counts(sessions).values_list("pk", "panel_size", "panel_men")),
    ) == ([all_men], [(mixed.pk, 3, 2), (all_men.pk, 2, 2)])


def test_all_male_panels_keeps_the_queryset_filters():
    conference = factories.ConferenceFactory()
    here = session_with(("speaker", "male"), ("speaker", "male"), conference=conference)
    session_with(("speaker", "male"), ("speaker", "male"))  # another conference

    assert list(all_male_panels(Session.objects.filter(conference=conference))) == [here]
