"""The States of the United Nations: its 193 Member States and its two non-member Observer States.

ISO 3166-1 lists territories too (Antarctica, the Faroe Islands, Heard Island...) and
places whose status is disputed; none of them is a Member State, so a participant can
represent only one of the States below. Everything else is represented as an organization.

Source: the United Nations' list of Member States, https://www.un.org/en/about-us/member-states
(193 since South Sudan's admission on 14 July 2011, the latest), and of non-member
Observer States: the Holy See and the State of Palestine. The codes are ISO 3166-1
alpha-2, as django-countries stores them. The two Observer States are named as the
United Nations names them: conference/un_names.py.
"""

from django_countries import Countries, countries

# A block of codes rather than a list literal, which the formatter would spread one to a line.
MEMBER_STATES = frozenset(
    """
    AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ
    CA CD CF CG CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI
    FJ FM FR GA GB GD GE GH GM GN GQ GR GT GW GY HN HR HT HU ID IE IL IN IQ IR IS IT JM
    JO JP KE KG KH KI KM KN KP KR KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG
    MH MK ML MM MN MR MT MU MV MW MX MY MZ NA NE NG NI NL NO NP NR NZ OM PA PE PG PH PK
    PL PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD
    TG TH TJ TL TM TN TO TR TT TV TZ UA UG US UY UZ VC VE VN VU WS YE ZA ZM ZW
    """.split()  # noqa: SIM905
)
OBSERVER_STATES = frozenset({"VA", "PS"})  # the Holy See and the State of Palestine
STATES = MEMBER_STATES | OBSERVER_STATES


class UnitedNationsStates(Countries):
    """The country list of a field that holds a State: only the Member States and Observer States."""

    only = sorted(STATES)


def member_state_choices():
    """(code, name) of the Member States, by name in the active language."""
    return [(code, name) for code, name in countries if code in MEMBER_STATES]


def observer_state_choices():
    return [(code, name) for code, name in countries if code in OBSERVER_STATES]
