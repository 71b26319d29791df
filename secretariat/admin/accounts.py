"""Accounts in the admin, by email address (no usernames)."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from registration.models import User


class EmailIgnoringCaseMixin:
    """One error, on the field, for an address another account has in any case (as Django does for usernames)."""

    def clean_email(self):
        model = self._meta.model
        email = model.objects.normalize_email(self.cleaned_data.get("email"))
        if email and model.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise self.instance.unique_error_message(model, ["email"])
        return email


class UserChangeForm(EmailIgnoringCaseMixin, auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User
        field_classes = {}


class UserCreationForm(EmailIgnoringCaseMixin, auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ["email"]
        field_classes = {}


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    """Django's account admin, with the email address as the login (accounts have no username)."""

    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]}),
    ]
    list_display = ["email", "first_name", "last_name", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["email"]
