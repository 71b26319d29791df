"""The Django admin as the Secretariat's office: every admin page goes through the staff rule."""

import functools

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from registration import emails
from secretariat.access import staff_required


def no_overflow(view):
    """A number too large for a date or an integer in an address (`?created_at__year=99999999999999999999`)
    is no page of ours: 404, where Django's admin would let the OverflowError through as a 500."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except OverflowError:
            raise Http404 from None

    return guarded


class SecretariatAdminSite(admin.AdminSite):
    site_header = _("Counter-Terrorism Conferences: Secretariat")
    site_title = _("Secretariat")
    index_title = _("Conferences, agenda and participants")

    def admin_view(self, view, cacheable=False):
        # The staff rule first: logged out, not staff, or without two-factor authentication never
        # reach the admin's own checks. Each model's permissions are then the admin's to check.
        return staff_required()(super().admin_view(no_overflow(view), cacheable))

    def each_context(self, request):
        # Counted only where a page shows it (the index and the participants' list), once a page.
        @functools.cache
        def unsent_emails():
            if not request.user.has_perm("registration.view_outgoingemail"):
                return 0
            return emails.unsent().count()

        return {**super().each_context(request), "unsent_emails": unsent_emails}

    def login(self, request, extra_context=None):
        # Staff log in through allauth, which asks for their second factor, never the admin's own form.
        return secure_admin_login(super().login)(request, extra_context)
