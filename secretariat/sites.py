"""The Django admin as the Secretariat's office: every admin page goes through the staff rule."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from secretariat.access import staff_required


class SecretariatAdminSite(admin.AdminSite):
    site_header = _("Counter-Terrorism Conferences: Secretariat")
    site_title = _("Secretariat")
    index_title = _("Conferences, agenda and participants")

    def admin_view(self, view, cacheable=False):
        # The staff rule first: logged out, not staff, or without two-factor authentication never
        # reach the admin's own checks. Each model's permissions are then the admin's to check.
        return staff_required()(super().admin_view(view, cacheable))

    def login(self, request, extra_context=None):
        # Staff log in through allauth, which asks for their second factor, never the admin's own form.
        return secure_admin_login(super().login)(request, extra_context)
