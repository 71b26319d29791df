"""The forms of the delegations' admin: a delegation with a note verbale the Secretariat received, a new
delegation's places, a focal point's designation, a rejection's message, and the words that explain the
default places."""

from django import forms
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registration.documents import validate_pdf
from registration.models import DEFAULT_ORGANIZATION_PLACES, DEFAULT_PLACES, Category, FocalPoint, PlacesByCategory


def default_places_text():
    """The built-in places (registration.models.DEFAULT_PLACES), in words: "Member State and Observer
    State: 5 in person, 5 online; any other category: 2 in person, 3 online"."""
    by_places = {}
    for category in Category:
        places = DEFAULT_PLACES.get(category, DEFAULT_ORGANIZATION_PLACES)
        by_places.setdefault(places, []).append(category)
    parts = []
    for (in_person, online), categories in by_places.items():
        if all(category not in DEFAULT_PLACES for category in categories):
            named = _("any other category")
        else:
            named = get_text_list([str(category.label) for category in categories], _("and"))
        parts.append(
            _("%(categories)s: %(in_person)s in person, %(online)s online")
            % {"categories": named, "in_person": in_person, "online": online}
        )
    return "; ".join(parts)


def places_help_text():
    return _(
        "The places each new delegation of this category gets at this conference; the Secretariat may change "
        "them for each delegation. For a category without a line here: %(defaults)s."
    ) % {"defaults": default_places_text()}


class DelegationForm(forms.ModelForm):
    """A delegation, with the note verbale when it reached the Secretariat rather than through the focal
    point's page; checked as a focal point's is, and kept by registration.services."""

    new_note_verbale = forms.FileField(
        label=gettext_lazy("Note verbale received"),
        help_text=gettext_lazy(
            "A note verbale that reached the Secretariat, to keep with the delegation: one PDF file. It replaces "
            "the one kept, if any; the focal points see it on their page."
        ),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_new_note_verbale(self):
        upload = self.cleaned_data["new_note_verbale"]
        if upload:
            validate_pdf(upload)
        return upload


class NewDelegationForm(DelegationForm):
    """A new delegation: its places, left blank, are those of its category at its conference."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        help_text = _(
            "Leave blank for the places set for this category at this conference under Places by category, "
            "or else the built-in ones (%(defaults)s)."
        ) % {"defaults": default_places_text()}
        for name in ("places_in_person", "places_online"):
            self.fields[name].required = False
            self.fields[name].help_text = help_text

    def clean(self):
        cleaned = super().clean()
        conference, category = cleaned.get("conference"), cleaned.get("category")
        blank = [name for name in ("places_in_person", "places_online") if cleaned.get(name) is None]
        if blank and conference and category:
            in_person, online = PlacesByCategory.for_category(conference, category)
            given = {"places_in_person": in_person, "places_online": online}
            for name in blank:
                cleaned[name] = given[name]
        return cleaned


class FocalPointForm(forms.ModelForm):
    """A new focal point: an address and the language of their emails. A designated one is shown as is
    (only removed): someone else is a new designation."""

    class Meta:
        model = FocalPoint
        fields = ["email", "language"]
        help_texts = {
            "email": gettext_lazy(
                "On saving, the person is told by email: the account with this verified address acts for the "
                "delegation at once; without one, they are invited to create it."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for field in self.fields.values():
                field.disabled = True
                field.help_text = ""

    def clean(self):
        # The model's constraint, which an inline form leaves unchecked (its delegation is the formset's).
        cleaned = super().clean()
        email, delegation = cleaned.get("email"), self.instance.delegation_id
        new = self.instance.pk is None and email and delegation
        if new and FocalPoint.objects.filter(delegation=delegation, email__iexact=email.strip()).exists():
            self.add_error("email", _("This person is already a focal point of this delegation."))
        return cleaned


class RejectDelegationForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the focal points"),
        help_text=gettext_lazy(
            "Sent with the decision to each focal point, and to each member whose registration is rejected."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
