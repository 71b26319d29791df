"""The list of participants: its order, who is on it, the public and staff pages and the PDF."""

import re

import pypdfium2 as pdfium
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from registration.models import Category
from secretariat.participant_list import participant_groups, render_participant_list_pdf
from tests import factories
from tests.registration.support import login_redirect


def delegate(conference, given_name, family_name, country, **fields):
    return factories.ParticipantFactory(
        conference=conference,
        approved=True,
        listed=True,
        given_name=given_name,
        family_name=family_name,
        represented_country=country,
        **fields,
    )


def member(conference, given_name, family_name, category, organization, **fields):
    return factories.ParticipantFactory(
        conference=conference,
        approved=True,
        listed=True,
        given_name=given_name,
        family_name=family_name,
        category=category,
        represented_country="",
        organization=organization,
        **fields,
    )


@pytest.fixture
def people(conference):
    """Approved participants in several categories, made out of order; and some who are not listed."""
    member(conference, "Lena", "Weber", Category.CIVIL_SOCIETY, "Peace Forum")
    member(conference, "Omar", "Haddad", Category.UN_ENTITY, "United Nations Office on Drugs and Crime")
    member(conference, "Sofia", "Rossi", Category.UN_ENTITY, "Office of Counter-Terrorism")
    member(conference, "Ana", "Costa", Category.UN_ENTITY, "Office of Counter-Terrorism")
    delegate(conference, "Paul", "Tremblay", "CA", excellency=True)
    delegate(conference, "Koffi", "Yao", "CI")
    delegate(conference, "Javier", "Muñoz", "CL")
    delegate(conference, "Yusuf", "Ba", "SN")
    delegate(conference, "Amina", "Diallo", "SN", title="dr", function="Director")
    delegate(conference, "Ismael", "Ávila", "CU")  # sorts with the "A"s, before Ba
    delegate(conference, "Pietro", "Bianchi", "VA", category=Category.OBSERVER_STATE)
    # Approved without consent to the public list: on the staff list only.
    delegate(conference, "Marie", "Dubois", "SN", public_list_consent_at=None)
    member(conference, "Lin", "Wei", Category.MEDIA, "Sample News Agency", public_list_consent_at=None)
    # Not approved: on no list.
    factories.ParticipantFactory(conference=conference, given_name="Pending", family_name="Person", listed=True)
    factories.ParticipantFactory(conference=conference, waitlisted=True, given_name="Waiting", listed=True)
    # Another conference's participant.
    delegate(factories.ConferenceFactory(), "Elsewhere", "Someone", "SN")


def outline(groups):
    """The groups as plain data: [(category, [(State or organization, [names])])]."""
    return [
        (
            group.label,
            [(delegation.name, [person.full_name for person in delegation.people]) for delegation in group.delegations],
        )
        for group in groups
    ]


PUBLIC_OUTLINE = [
    (
        "Member State",
        [
            ("Canada", ["Paul Tremblay"]),
            ("Chile", ["Javier Muñoz"]),
            ("Côte d’Ivoire", ["Koffi Yao"]),
            ("Cuba", ["Ismael Ávila"]),
            ("Senegal", ["Yusuf Ba", "Amina Diallo"]),
        ],
    ),
    ("Observer State", [("Holy See", ["Pietro Bianchi"])]),
    (
        "United Nations entity",
        [
            ("Office of Counter-Terrorism", ["Ana Costa", "Sofia Rossi"]),
            ("United Nations Office on Drugs and Crime", ["Omar Haddad"]),
        ],
    ),
    ("Civil society organization", [("Peace Forum", ["Lena Weber"])]),
]


def test_groups_public_in_category_then_alphabetical_order_consenting_only(conference, people):
    assert outline(participant_groups(conference, public=True)) == PUBLIC_OUTLINE


def test_groups_for_staff_include_approved_without_consent(conference, people):
    assert outline(participant_groups(conference, public=False)) == [
        (
            "Member State",
            [
                ("Canada", ["Paul Tremblay"]),
                ("Chile", ["Javier Muñoz"]),
                ("Côte d’Ivoire", ["Koffi Yao"]),
                ("Cuba", ["Ismael Ávila"]),
                ("Senegal", ["Yusuf Ba", "Amina Diallo", "Marie Dubois"]),
            ],
        ),
        ("Observer State", [("Holy See", ["Pietro Bianchi"])]),
        (
            "United Nations entity",
            [
                ("Office of Counter-Terrorism", ["Ana Costa", "Sofia Rossi"]),
                ("United Nations Office on Drugs and Crime", ["Omar Haddad"]),
            ],
        ),
        ("Civil society organization", [("Peace Forum", ["Lena Weber"])]),
        ("Media", [("Sample News Agency", ["Lin Wei"])]),
    ]


def test_groups_same_organization_however_spaced_or_cased(conference):
    member(conference, "Ana", "Costa", Category.CIVIL_SOCIETY, "Peace  Forum")
    member(conference, "Lena", "Weber", Category.CIVIL_SOCIETY, "peace forum")

    groups = participant_groups(conference, public=True)

    assert [len(delegation.people) for delegation in groups[0].delegations] == [2]
    assert groups[0].count == 2


def test_groups_empty_without_approved_participants(conference):
    factories.ParticipantFactory(conference=conference, listed=True)

    assert participant_groups(conference, public=False) == []


@pytest.mark.parametrize("count", [5, 50])
def test_groups_one_query_whatever_the_count(conference, django_assert_num_queries, count):
    factories.ParticipantFactory.create_batch(count // 2, conference=conference, approved=True, listed=True)
    factories.ParticipantFactory.create_batch(count - count // 2, conference=conference, approved=True, ngo=True)

    with django_assert_num_queries(1):
        groups = participant_groups(conference, public=False)

    assert sum(group.count for group in groups) == count


# The public page.


def public_url(conference, **query):
    url = reverse("secretariat:participant_list", kwargs={"slug": conference.slug})
    return f"{url}?format=pdf" if query.get("pdf") else url


@pytest.fixture
def published(conference):
    conference.publish_participant_list = True
    conference.save()
    return conference


def test_public_page_shows_the_public_list(client, published, people):
    response = client.get(public_url(published))

    assert response.status_code == 200
    assert outline(response.context["groups"]) == PUBLIC_OUTLINE
    assert response.context["public"] is True
    html = response.content.decode()
    assert html.count('<span class="person-name">') == 11
    assert '<span class="person-name">Dr. <bdi>Amina Diallo</bdi></span>' in html
    assert "<h3><bdi>Côte d’Ivoire</bdi></h3>" in html
    assert "Not on the public list" not in html


@pytest.mark.parametrize("count", [5, 50])
def test_public_page_query_count_constant(client, published, django_assert_num_queries, count):
    factories.ParticipantFactory.create_batch(count, conference=published, approved=True, listed=True)

    with django_assert_num_queries(2):  # the conference; the participants
        response = client.get(public_url(published))

    assert response.status_code == 200


def test_public_page_not_found_unless_published(client, conference, people):
    assert client.get(public_url(conference)).status_code == 404
    assert client.get(public_url(conference, pdf=True)).status_code == 404


def test_public_page_not_found_for_an_unpublished_conference(client, published):
    published.is_published = False
    published.save()

    assert client.get(public_url(published)).status_code == 404


def pdf_lines(pdf):
    """The lines of text of every page, and apart the page numbers ("1 / 2") from the page footers."""
    document = pdfium.PdfDocument(pdf)
    lines = [line for page in document for line in page.get_textpage().get_text_range().splitlines()]
    numbers = [line for line in lines if re.fullmatch(r"\d+ / \d+", line)]
    return [line for line in lines if line not in numbers], numbers


@pytest.mark.pdf
def test_public_pdf_lists_the_names(client, published, people):
    response = client.get(public_url(published, pdf=True))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="participants-{published.slug}.pdf"'
    lines, page_numbers = pdf_lines(response.content)
    assert page_numbers == ["1 / 2", "2 / 2"]
    assert lines == [
        "UNITED NATIONS",
        "List of participants",
        "Fourth Conference",
        f"1 July {published.start_date.year} – 3 July {published.start_date.year}",
        "MEMBER STATE",
        "Canada",
        "H.E. Paul Tremblay",
        "Director, National Counter-Terrorism Agency",
        "Chile",
        "Javier Muñoz",
        "Director, National Counter-Terrorism Agency",
        "Côte d’Ivoire",
        "Koffi Yao",
        "Director, National Counter-Terrorism Agency",
        "Cuba",
        "Ismael Ávila",
        "Director, National Counter-Terrorism Agency",
        "Senegal",
        "Yusuf Ba",
        "Director, National Counter-Terrorism Agency",
        "Dr. Amina Diallo",
        "Director",
        "OBSERVER STATE",
        "Holy See",
        "Pietro Bianchi",
        "Director, National Counter-Terrorism Agency",
        "UNITED NATIONS ENTITY",
        "Office of Counter-Terrorism",
        "Ana Costa",
        "Director, National Counter-Terrorism Agency",
        "Sofia Rossi",
        "Director, National Counter-Terrorism Agency",
        "United Nations Office on Drugs and Crime",
        "Omar Haddad",
        "Director, National Counter-Terrorism Agency",
        "CIVIL SOCIETY ORGANIZATION",
        "Peace Forum",
        "Lena Weber",
        "Director, National Counter-Terrorism Agency",
    ]


@pytest.mark.pdf
def test_pdf_non_latin_names_extract_unchanged(published):
    delegate(published, "Мария", "Иванова", "RU")
    delegate(published, "小明", "王", "CN")

    pdf = render_participant_list_pdf(published, participant_groups(published, public=True))

    assert pdf_lines(pdf)[0][5:11] == [
        "China",
        "小明 王",
        "Director, National Counter-Terrorism Agency",
        "Russian Federation",
        "Мария Иванова",
        "Director, National Counter-Terrorism Agency",
    ]


# The staff page.


def staff_url(conference, query=""):
    return reverse("secretariat:participant_list_staff", kwargs={"conference_id": conference.pk}) + query


def test_staff_page_lists_every_approved_participant(staff_client, conference, people):
    response = staff_client.get(staff_url(conference))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert outline(response.context["groups"]) == outline(participant_groups(conference, public=False))
    html = response.content.decode()
    assert html.count("Not on the public list") == 2


def test_staff_public_variant_shows_exactly_the_public_list(staff_client, client, published, people):
    staff_response = staff_client.get(staff_url(published, "?public=1"))
    client.logout()
    public_response = client.get(public_url(published))

    assert staff_response.context["groups"] == public_response.context["groups"]
    assert outline(staff_response.context["groups"]) == PUBLIC_OUTLINE


@pytest.mark.pdf
def test_staff_pdf_of_every_approved_participant(staff_client, conference, people):
    response = staff_client.get(staff_url(conference, "?format=pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="participants-{conference.slug}-all.pdf"'
    lines, _page_numbers = pdf_lines(response.content)
    assert lines[4] == "For the Secretariat: every approved participant, including those not on the public list."
    assert lines.count("Not on the public list") == 2


def test_staff_page_forbidden_without_view_permission(client, conference):
    user = factories.AuthenticatorFactory(user__is_staff=True).user  # with two-factor authentication
    client.force_login(user)

    assert client.get(staff_url(conference)).status_code == 403


def test_staff_page_with_view_permission_only(client, conference, people):
    user = factories.AuthenticatorFactory(user__is_staff=True).user  # with two-factor authentication
    user.user_permissions.add(Permission.objects.get(codename="view_participant"))
    client.force_login(user)

    assert client.get(staff_url(conference)).status_code == 200


def test_staff_page_forbidden_to_participants(client, conference, people):
    client.force_login(factories.UserFactory())

    assert client.get(staff_url(conference)).status_code == 403


def test_staff_page_needs_login(client, conference):
    response = client.get(staff_url(conference))

    assert response.status_code == 302
    assert response["Location"] == login_redirect(staff_url(conference))


def test_staff_page_needs_two_factor_authentication(client, conference):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    response = client.get(staff_url(conference))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_page_unknown_conference_not_found(staff_client):
    assert (
        staff_client.get(reverse("secretariat:participant_list_staff", kwargs={"conference_id": 999_999})).status_code
        == 404
    )


@pytest.mark.pdf
def test_pdf_in_arabic_is_written_in_arabic(client, published, people):
    response = client.get("/ar" + public_url(published, pdf=True))

    lines, _page_numbers = pdf_lines(response.content)
    # Headings, categories and States in Arabic, States in Arabic alphabetical order. (Lines with the
    # lam-alef ligature, as in "United Nations", extract with its letters swapped, so they are left out.)
    assert lines[1:6] == [
        "قائمة المشاركين",
        "Fourth Conference",
        f"1 يوليو، {published.start_date.year} – 3 يوليو، {published.start_date.year}",
        "دولة عضو",
        "السنغال",
    ]
    assert [line for line in lines if line in ("كوت ديفوار", "شيلي", "كندا", "كوبا", "الكرسي الرسولي")] == [
        "شيلي",
        "كندا",
        "كوبا",
        "كوت ديفوار",  # Côte d'Ivoire, as the United Nations writes it in Arabic
        "الكرسي الرسولي",
    ]


def test_observer_states_listed_by_their_united_nations_names(conference):
    delegate(conference, "Pietro", "Bianchi", "VA", category=Category.OBSERVER_STATE)
    delegate(conference, "Rania", "Khalil", "PS", category=Category.OBSERVER_STATE)

    assert outline(participant_groups(conference, public=True)) == [
        ("Observer State", [("Holy See", ["Pietro Bianchi"]), ("State of Palestine", ["Rania Khalil"])])
    ]
