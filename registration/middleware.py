from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

# The staff areas: the Django admin and the check-in desk.
STAFF_PREFIXES = ("/admin/", "/checkin/")


class StaffTwoFactorMiddleware:
    """Staff (and check-in desk members) must set up two-factor authentication before the staff areas open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(STAFF_PREFIXES)
            and user.is_authenticated
            and (user.is_staff or user.has_perm("registration.check_in_participant"))
            and not is_mfa_enabled(user)
        ):
            messages.warning(request, _("Staff accounts need two-factor authentication. Please set it up first."))
            return redirect(reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)
