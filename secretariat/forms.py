from django import forms
from django.utils.translation import gettext_lazy as _

from conference.models import Conference, Session


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to include in the email (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class CheckInForm(forms.Form):
    """One text box for what a QR scanner types, a reference or a name."""

    conference = forms.ModelChoiceField(queryset=Conference.objects.none(), label=_("Conference"))
    session = forms.ModelChoiceField(
        queryset=Session.objects.none(),
        required=False,
        label=_("Session (for sessions with limited seats)"),
        empty_label=_("The conference itself"),
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
        self.fields["session"].queryset = Session.objects.filter(conference__in=conferences).with_seat_limit()
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
