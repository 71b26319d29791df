import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from conference.models import Session
from conference.session_labels import choices_by_day
from conference.states import OBSERVER_STATES, member_state_choices, observer_state_choices
from registration.documents import normalized_photo, validate_pdf
from registration.models import Attendance, Category, DelegationMember, LetterRequest, Participant, Status


class KeptFileInput(forms.ClearableFileInput):
    """A file input that names the file already kept by `kept_label` rather than by its stored path, with a
    link to `kept_url` when its owner may download it: private files have no public address. Only an
    optional file (`clearable`) offers to remove it; a required one is only ever replaced."""

    def __init__(self, attrs=None, *, kept_label, kept_url="", clearable=False, clear_label=""):
        super().__init__(attrs)
        self.kept_label, self.kept_url, self.clearable, self.clear_label = kept_label, kept_url, clearable, clear_label

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            kept_label=self.kept_label,
            kept_url=self.kept_url,
            clearable=self.clearable and not self.is_required,
            clear_checkbox_label=self.clear_label or self.clear_checkbox_label,
        )
        return context

    def value_from_datadict(self, data, files, name):
        if not self.clearable:  # a removal asked for by a crafted request is ignored
            return forms.FileInput.value_from_datadict(self, data, files, name)
        return super().value_from_datadict(data, files, name)


class ErrorSummaryMixin:
    def error_links(self):
        """(anchor, label, error) of each field's errors, for the summary at the top of the page: each
        links to the field (radio buttons and checkboxes: to their first choice)."""
        links = []
        for name, errors in self.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS or name not in self.fields:
                continue
            field = self[name]
            grouped = isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
            # The first choice's own id: "id_sessions_0_0" where the choices are grouped by day.
            anchor = field.subwidgets[0].id_for_label if grouped and field.subwidgets else field.id_for_label
            links.extend((anchor, summary_label(field.label), error) for error in errors)
        return links


# Full stops that may end a label, in the scripts of the six languages: Latin and Cyrillic, the
# ideographic and full-width ones of Chinese, the Arabic one.
FULL_STOPS = ".。．｡۔"


def summary_label(label):
    """A field's label as the error summary shows it, before a colon: without its closing full stop."""
    return str(label).rstrip().rstrip(FULL_STOPS)


class RegistrationForm(ErrorSummaryMixin, forms.ModelForm):
    """The registration of one person; also used to change a pending one."""

    sessions = forms.ModelMultipleChoiceField(
        queryset=Session.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Sessions with limited seats you ask for"),
        help_text=_("Seats are given when your registration is approved, in the order requests came in."),
    )
    data_consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data for this conference."),
        help_text=_(
            "The Secretariat keeps the data in this form, and your nomination document, to organize the "
            "conference, issue your badge and report on participation. It is removed or made anonymous "
            "after the retention period that follows the conference; the figures kept then name no one."
        ),
        error_messages={"required": _("Registration needs your consent to the processing of your data.")},
    )
    public_list_consent = forms.BooleanField(
        required=False, label=_("List my name, title and function in the public list of participants.")
    )

    class Meta:
        model = Participant
        fields = [
            "title",
            "excellency",
            "given_name",
            "family_name",
            "email",
            "gender",
            "nationality",
            "category",
            "represented_country",
            "organization",
            "function",
            "attendance",
            "accessibility_needs",
            "nomination_document",
            "photo",
        ]
        help_texts = {
            "photo": _("Optional, for your badge: a JPEG or PNG portrait."),
            "represented_country": _("Required for Member States and Observer States."),
            "organization": _("Required for every other category: the entity or organization you represent."),
            "given_name": _("As in your passport, in any script."),
            "nomination_document": _("A note verbale for governments, a nomination letter for others: one PDF file."),
            "accessibility_needs": _("Anything that would help you take part: access, interpretation, assistance."),
        }
        error_messages = {
            "represented_country": {
                "invalid_choice": _("Choose a Member State or an Observer State of the United Nations from the list.")
            }
        }

    FILE_FIELDS = ("nomination_document", "photo")
    # What browsers and password managers may fill in (WCAG 1.3.5, identify input purpose).
    AUTOCOMPLETE = {
        "title": "honorific-prefix",
        "given_name": "given-name",
        "family_name": "family-name",
        "email": "email",
        "organization": "organization",
        "function": "organization-title",
    }

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        sessions = conference.sessions.not_cancelled().with_seat_limit().select_related("room")
        self.fields["sessions"].queryset = sessions
        # Grouped by day with time and room: validation still goes by the queryset.
        self.fields["sessions"].choices = choices_by_day(sessions, conference.zone)
        if not self.fields["sessions"].choices:
            del self.fields["sessions"]
        if "attendance" in self.fields:  # a delegation's member attends as nominated
            self.fields["attendance"].choices = self.attendance_choices()
            self.fields["attendance"].widget = forms.RadioSelect(choices=self.fields["attendance"].choices)
            self.fields["represented_country"].choices = self.state_choices()
            self.fields["nomination_document"].required = not (self.instance.pk and self.instance.nomination_document)
            self.fields["nomination_document"].widget = KeptFileInput(
                attrs={"accept": "application/pdf"},
                kept_label=_("Nomination document (PDF)"),
                kept_url=self.document_url(),
            )
        # No page shows the photo to its owner: it is named, not linked.
        self.fields["photo"].widget = KeptFileInput(
            attrs={"accept": "image/jpeg,image/png"},
            kept_label=_("Your photo (JPEG)"),
            clearable=True,
            clear_label=_("Remove the photo"),
        )
        self.fields["title"].required = False
        self.fields["accessibility_needs"].widget.attrs["rows"] = 3
        for name, token in self.AUTOCOMPLETE.items():
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = token
        if self.instance.pk and self.instance.status == Status.CANCELLED and "nomination_document" in self.fields:
            # Registering again: what was typed before is offered, consent is asked anew.
            self.fields["nomination_document"].help_text = _(
                "The document of your earlier registration is kept unless you choose a new one."
            )
        elif self.instance.pk:
            self.fields["data_consent"].initial = bool(self.instance.data_consent_at)
            self.fields["public_list_consent"].initial = bool(self.instance.public_list_consent_at)
            if "sessions" in self.fields:
                self.fields["sessions"].initial = list(self.instance.seat_requests.values_list("session_id", flat=True))
        self.helper = self.build_helper()

    def document_url(self):
        """The private download of the document kept (also of a cancelled registration, registered anew)."""
        if self.instance.pk and self.instance.nomination_document:
            return reverse("registration:document", kwargs={"reference": self.instance.reference})
        return ""

    @property
    def changes_registration(self):
        """Whether the form changes a registration rather than makes one (anew, after a cancellation)."""
        return bool(self.instance.pk) and self.instance.status != Status.CANCELLED

    def submit_label(self):
        return _("Save changes") if self.changes_registration else _("Submit registration")

    def attendance_choices(self):
        allowed = []
        if self.conference.allows_in_person:
            allowed.append(Attendance.IN_PERSON)
        if self.conference.allows_online:
            allowed.append(Attendance.ONLINE)
        return [(choice.value, choice.label) for choice in allowed]

    def state_choices(self):
        """The States in two groups, each by name in the visitor's language: one list, no script needed."""
        blank = self.fields["represented_country"].choices[0]
        return [
            blank,
            (_("Member States"), member_state_choices()),
            (_("Observer States"), observer_state_choices()),
        ]

    def build_helper(self):
        helper = FormHelper()
        helper.form_tag = False
        helper.layout = Layout(
            Fieldset(_("You"), "title", "excellency", "given_name", "family_name", "email", "gender", "nationality"),
            Fieldset(_("Whom you represent"), "category", "represented_country", "organization", "function"),
            Fieldset(
                _("Taking part"),
                "attendance",
                *(["sessions"] if "sessions" in self.fields else []),
                "accessibility_needs",
                "nomination_document",
                "photo",
            ),
            Fieldset(_("Consent"), "data_consent", "public_list_consent"),
            Submit("submit", self.submit_label()),
        )
        return helper

    def clean_nomination_document(self):
        upload = self.cleaned_data.get("nomination_document")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the file already kept
            validate_pdf(upload)
        return upload

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload and hasattr(upload, "content_type"):
            return normalized_photo(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category")
        country = cleaned.get("represented_country")
        if category in Category.state_categories():
            cleaned["organization"] = ""
            if not country:
                if "represented_country" not in self.errors:  # a code not on the list is already refused
                    self.add_error("represented_country", _("Choose the State you represent."))
            elif category == Category.MEMBER_STATE and country in OBSERVER_STATES:
                self.add_error("represented_country", _("This State is an Observer State; choose that category."))
            elif category == Category.OBSERVER_STATE and country not in OBSERVER_STATES:
                self.add_error("represented_country", _("This State is not an Observer State."))
        elif category:
            cleaned["represented_country"] = ""
            if not cleaned.get("organization", "").strip():
                self.add_error("organization", _("Name the organization you represent."))
        return cleaned

    def participant_data(self, now):
        """The cleaned values to store, with consents time-stamped."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields if name not in self.FILE_FIELDS}
        kept = self.instance.pk and self.instance.status != Status.CANCELLED  # a new registration consents anew
        previous_data = self.instance.data_consent_at if kept else None
        previous_public = self.instance.public_list_consent_at if kept else None
        data["data_consent_at"] = previous_data or now
        data["public_list_consent_at"] = (previous_public or now) if self.cleaned_data["public_list_consent"] else None
        return data

    @property
    def new_files(self):
        """The files uploaded with this submission, by field name; "" for a file to remove."""
        return {
            name: self.cleaned_data[name] or ""
            for name in self.FILE_FIELDS
            if name in self.changed_data and self.cleaned_data.get(name) is not None
        }

    @property
    def files_to_choose_again(self):
        """The labels of the files sent with a submission that had errors: browsers do not keep them."""
        if not self.is_bound or not self.errors:
            return []
        return [str(self.fields[name].label) for name in self.FILE_FIELDS if self.files.get(name)]

    @property
    def chosen_sessions(self):
        return list(self.cleaned_data.get("sessions") or [])


class MemberForm(forms.ModelForm):
    """A member a focal point nominates: who, and how they attend (each way has its own places)."""

    class Meta:
        model = DelegationMember
        fields = ["given_name", "family_name", "email", "function", "attendance", "is_head", "language"]
        help_texts = {
            "given_name": _("As in the passport, in any script."),
            "email": _("The member is invited at this address to complete their registration."),
            "language": _("The language of the member's emails, until they register in theirs."),
        }

    def __init__(self, *args, conference, with_head=True, head=None, **kwargs):
        """`head`: the delegation's head of delegation now, whom a new head replaces (None if it has none)."""
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()
        allowed = [Attendance.IN_PERSON] * conference.allows_in_person + [Attendance.ONLINE] * conference.allows_online
        self.fields["attendance"].choices = [(choice.value, choice.label) for choice in allowed]
        self.fields["attendance"].widget = forms.RadioSelect(choices=self.fields["attendance"].choices)
        if not with_head:  # a replacement takes the role of the member replaced
            del self.fields["is_head"]
        elif head is not None:  # a delegation has one head: the focal point should know whom a new one replaces
            self.fields["is_head"].help_text = _(
                "%(name)s is the head of delegation now; the new member would take their place."
            ) % {"name": head.full_name}
        else:
            self.fields["is_head"].help_text = _("The delegation has no head of delegation yet.")
        # Another person's details: nothing for the browser to fill in from the focal point's own.
        for name in ("given_name", "family_name", "email"):
            self.fields[name].widget.attrs["autocomplete"] = "off"


class NoteVerbaleForm(ErrorSummaryMixin, forms.Form):
    note_verbale = forms.FileField(
        label=_("Note verbale"),
        help_text=_("The note verbale that nominates the delegation: one PDF file. It replaces any sent before."),
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_note_verbale(self):
        upload = self.cleaned_data["note_verbale"]
        validate_pdf(upload)
        return upload


class MemberRegistrationForm(RegistrationForm):
    """The registration of a member of a delegation: whom they represent and how they attend come
    from the delegation and the nomination, and the delegation's note verbale stands for a
    nomination document. Filled by the member, or by a focal point for them (`on_behalf`)."""

    class Meta(RegistrationForm.Meta):
        fields = [
            name
            for name in RegistrationForm.Meta.fields
            if name not in ("category", "represented_country", "organization", "attendance", "nomination_document")
        ]

    FILE_FIELDS = ("photo",)

    def __init__(self, *args, member, on_behalf=False, **kwargs):
        # A new registration starts from the nomination; a registration changed, from itself.
        if kwargs.get("instance") is None:
            kwargs["initial"] = {
                name: getattr(member, name) for name in ("given_name", "family_name", "email", "function")
            }
        self.on_behalf = on_behalf
        super().__init__(*args, conference=member.delegation.conference, **kwargs)
        # A member sends no nomination document: the delegation's note verbale stands for it.
        self.fields["data_consent"].help_text = _(
            "The Secretariat keeps the data in this form to organize the conference, issue your badge and report "
            "on participation. It is removed or made anonymous after the retention period that follows the "
            "conference; the figures kept then name no one."
        )
        if on_behalf:
            self._speak_of_the_member()
            self.fields["data_consent"].label = _(
                "The person agreed to the processing of their personal data for this conference."
            )
            self.fields["data_consent"].error_messages["required"] = _(
                "Registration needs the person's consent to the processing of their data."
            )
            self.fields["public_list_consent"].label = _(
                "The person agreed to be listed, with their title and function, in the public list of participants."
            )

    def _speak_of_the_member(self):
        """The texts that say "you" to the person registering, about the member when a focal point fills the form."""
        texts = {
            "given_name": _("As in the member's passport, in any script."),
            "photo": _("Optional, for the member's badge: a JPEG or PNG portrait."),
            "accessibility_needs": _(
                "Anything that would help the member take part: access, interpretation, assistance."
            ),
            "data_consent": _(
                "The Secretariat keeps the data in this form to organize the conference, issue the member's badge "
                "and report on participation. It is removed or made anonymous after the retention period that "
                "follows the conference; the figures kept then name no one."
            ),
        }
        if "sessions" in self.fields:
            self.fields["sessions"].label = _("Sessions with limited seats the member asks for")
            texts["sessions"] = _(
                "Seats are given when the member's registration is approved, in the order requests came in."
            )
        for name, text in texts.items():
            self.fields[name].help_text = text

    def build_helper(self):
        helper = FormHelper()
        helper.form_tag = False
        person = ("title", "excellency", "given_name", "family_name", "email", "gender", "nationality")
        helper.layout = Layout(
            Fieldset(_("The member") if self.on_behalf else _("You"), *person),
            Fieldset(
                _("Taking part"),
                "function",
                *(["sessions"] if "sessions" in self.fields else []),
                "accessibility_needs",
                "photo",
            ),
            Fieldset(_("Consent"), "data_consent", "public_list_consent"),
            Submit("submit", self.submit_label()),
        )
        return helper

    def clean(self):
        return forms.ModelForm.clean(self)


# What ICAO passports print: capital Latin letters and digits (9 in the machine-readable zone; a few
# States use more).
PASSPORT_NUMBER = re.compile(r"[A-Z0-9]{5,20}")


class LetterRequestForm(ErrorSummaryMixin, forms.ModelForm):
    """What a letter of invitation needs of the passport: the name as printed, nationality, number, expiry."""

    class Meta:
        model = LetterRequest
        fields = ["passport_name", "nationality", "passport_number", "passport_expires_on"]
        help_texts = {
            "passport_name": _("Exactly as printed in your passport, in any script."),
            "nationality": _("The nationality printed in your passport."),
            "passport_number": _("Letters and digits, as printed in your passport."),
        }
        widgets = {"passport_expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, participant, on_behalf=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant = participant
        if on_behalf:  # a focal point asks for a member of the delegation
            self.fields["passport_name"].help_text = _("Exactly as printed in the member's passport, in any script.")
            self.fields["nationality"].help_text = _("The nationality printed in the member's passport.")
            self.fields["passport_number"].help_text = _("Letters and digits, as printed in the member's passport.")
        self.fields["nationality"].initial = participant.nationality
        # Asked again after a decline: from the details given then, to the person alone (their focal
        # point may not have been the one who gave them).
        if participant.letter is not None and not on_behalf:
            for name in self._meta.fields:
                self.fields[name].initial = getattr(participant.letter, name)
        self.fields["passport_name"].widget.attrs["autocomplete"] = "name"
        self.fields["passport_number"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters"})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self._meta.fields, Submit("submit", _("Ask for the letter of invitation")))

    def clean_passport_name(self):
        return " ".join(self.cleaned_data["passport_name"].split())

    def clean_passport_number(self):
        number = "".join(self.cleaned_data["passport_number"].split()).upper()
        if not PASSPORT_NUMBER.fullmatch(number):
            raise forms.ValidationError(
                _("Type the passport number as printed: 5 to 20 Latin letters and digits, without other signs."),
                code="invalid",
            )
        return number

    def clean_passport_expires_on(self):
        expires_on = self.cleaned_data["passport_expires_on"]
        if expires_on and expires_on < self.participant.conference.last_day:
            raise forms.ValidationError(
                _(
                    "This passport expires before the conference ends: a visa needs a passport valid for the "
                    "whole stay."
                ),
                code="expires_too_soon",
            )
        return expires_on
