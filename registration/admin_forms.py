from django import forms
from django.utils.translation import gettext_lazy as _


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to include in the email (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
