"""All-male panels: sessions where everyone who speaks is a man.

The United Nations is committed to gender-balanced panels, so the Secretariat flags
a session when

- the people who speak in it are its chair, moderator, speakers and panellists
  (every role of `SessionRole` today; a role added later, such as a rapporteur,
  counts only once it is added to `SPEAKING_ROLES`);
- there are at least two of them: one keynote speaker alone is not a panel;
- every one of them is recorded as male. A person whose gender is "another
  gender" or "prefer not to say" is not assumed to be a man, so their session is
  not flagged.

Cancelled sessions are still judged here; callers that list problems for the
agenda leave them out (see registration/dashboard.py).
"""

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from conference.choices import Gender
from conference.models import SessionRole

SPEAKING_ROLES = (SessionRole.CHAIR, SessionRole.MODERATOR, SessionRole.SPEAKER, SessionRole.PANELLIST)
MINIMUM_PANEL = 2

ALL_MALE_PANEL_WARNING = _(
    "Everyone who speaks in this session (chair, moderator, speakers and panellists) is a man. "
    "The United Nations is committed to gender-balanced panels: please consider inviting women speakers."
)


def all_male_panel(session):
    """True when at least two people speak in `session` and all of them are men.

    Reads `session.people.all()`, so it makes no query when the people are prefetched.
    """
    speaking = [person for person in session.people.all() if person.role in SPEAKING_ROLES]
    return len(speaking) >= MINIMUM_PANEL and all(person.gender == Gender.MALE for person in speaking)


def with_panel_counts(sessions):
    """Annotate each session with `panel_size` (people who speak) and `panel_men` (of whom men).

    Counted distinct, so that a join added by another filter (pillars, say) cannot count a person twice.
    """
    speaking = Q(people__role__in=SPEAKING_ROLES)
    return sessions.annotate(
        panel_size=Count("people", filter=speaking, distinct=True),
        panel_men=Count("people", filter=speaking & Q(people__gender=Gender.MALE), distinct=True),
    )


def all_male_panels(sessions):
    """The sessions of the queryset `sessions` for which `all_male_panel` is true, in one query."""
    return with_panel_counts(sessions).filter(panel_size__gte=MINIMUM_PANEL, panel_men=F("panel_size"))
