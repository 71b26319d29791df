from itertools import groupby

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from conference.models import Conference, Session
from conference.session_labels import choices_by_day


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to include in the email (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class LetterDeclineForm(forms.Form):
    message = forms.CharField(
        label=_("Reason, included in the email"),
        help_text=_(
            "The participant reads it in the email and on their registration's page, as do their delegation's "
            "focal points on theirs, and may ask again, for example with corrected passport details."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Give the reason for declining: the participant needs it to ask again.")},
    )


class PersonalDataForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The address the person wrote from, or registered or was nominated with."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class CheckInForm(forms.Form):
    """One text box for what a QR scanner types, a reference or a name."""

    conference = forms.ModelChoiceField(queryset=Conference.objects.none(), label=_("Conference"))
    session = forms.ModelChoiceField(
        queryset=Session.objects.none(),
        required=False,
        label=_("Session (for sessions with limited seats)"),
    )
    query = forms.CharField(
        label=_("Scan the badge, or type a reference or a name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "autocapitalize": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Ongoing and coming conferences: the desk has no business with past ones.
        conferences = Conference.objects.published().upcoming()
        self.fields["conference"].queryset = conferences
        sessions = Session.objects.filter(conference__in=conferences).with_seat_limit()
        self.fields["session"].queryset = sessions
        self.fields["session"].choices = session_choices(sessions)
        if not self.is_bound:
            self.fields["conference"].initial = conferences.first()

    def clean(self):
        cleaned = super().clean()
        session, conference = cleaned.get("session"), cleaned.get("conference")
        if session and conference and session.conference_id != conference.pk:
            self.add_error("session", _("This session belongs to another conference."))
        return cleaned

    def for_next_scan(self):
        """A fresh box for the next scan, keeping the conference and session chosen."""
        session = self.cleaned_data["session"]
        return CheckInForm(
            initial={"conference": self.cleaned_data["conference"].pk, "session": session and session.pk}
        )


def session_choices(sessions):
    """The sessions grouped by day, each with its time in the conference's zone and its room: titles
    alone do not tell apart a side event held on two days. Days are prefixed with their conference's
    title when sessions of several conferences are listed."""
    sessions = list(
        sessions.select_related("conference", "room").order_by(
            "conference__start_date", "conference", "date", F("starts_at").asc(nulls_last=True), "pk"
        )
    )
    several_conferences = len({session.conference_id for session in sessions}) > 1
    choices = [("", _("The conference itself"))]
    for conference, in_conference in groupby(sessions, key=lambda session: session.conference):
        for day, on_day in choices_by_day(in_conference, conference.zone, html=False):
            choices.append((f"{conference.title} · {day}" if several_conferences else day, on_day))
    return choices
