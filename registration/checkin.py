"""The check-in desk: one text box for what a QR scanner types, a reference or a name."""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from conference.models import Conference, Session
from registration import selectors, services


class CheckInForm(forms.Form):
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
        conferences = Conference.objects.filter(is_published=True).upcoming()
        self.fields["conference"].queryset = conferences
        self.fields["session"].queryset = Session.objects.filter(conference__in=conferences).exclude(
            seat_limit__isnull=True, online_seat_limit__isnull=True
        )
        if not self.is_bound:
            self.fields["conference"].initial = conferences.first()

    def clean(self):
        cleaned = super().clean()
        session, conference = cleaned.get("session"), cleaned.get("conference")
        if session and conference and session.conference_id != conference.pk:
            self.add_error("session", _("This session belongs to another conference."))
        return cleaned


@login_required
@permission_required("registration.check_in_participant", raise_exception=True)
@require_http_methods(["GET", "POST"])
def desk(request):
    form = CheckInForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        context.update(_answer(request, form.cleaned_data))
        # A fresh box for the next scan, keeping the conference and session chosen.
        chosen_session = form.cleaned_data["session"]
        context["form"] = CheckInForm(
            initial={"conference": form.cleaned_data["conference"].pk, "session": chosen_session and chosen_session.pk}
        )
    return render(request, "registration/checkin.html", context)


def _answer(request, data):
    conference, session = data["conference"], data["session"]
    participant, candidates = selectors.find_for_check_in(conference, data["query"])
    if participant is None:
        return {"outcome": services.CheckIn.UNKNOWN if not candidates else None, "candidates": candidates}
    if session:
        outcome, record = services.check_in_session(participant, session, by=request.user)
        checked_in_at = record.checked_in_at if record else None
    else:
        outcome, participant = services.check_in(participant, by=request.user)
        checked_in_at = participant.checked_in_at
    return {
        "outcome": outcome,
        "participant": participant,
        "session": session,
        "checked_in_at": timezone.localtime(checked_in_at, conference.zone) if checked_in_at else None,
        "conference": conference,
    }
