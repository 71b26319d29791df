"""Who may use the staff pages: the one rule, applied by every staff view and by the admin.

A staff member is an active account flagged as staff, or given one of the Secretariat's
roles (`secretariat/roles.py`; `manage.py add_to_group` also sets the flag), that holds the
permission a page needs, directly or through its role's group. Because staff pages show
participants' personal data, they open only once the account has two-factor
authentication; until then the person is sent to set it up and brought back.

`tests/secretariat/test_access.py` walks every URL pattern and fails on a staff view that
does not go through `staff_required`.
"""

import enum
import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from secretariat.roles import ROLES

AFTER_TWO_FACTOR_SESSION_KEY = "secretariat.after_two_factor"


class Access(enum.Enum):
    ALLOWED = "allowed"
    LOG_IN = "log_in"
    FORBIDDEN = "forbidden"
    SET_UP_TWO_FACTOR = "set_up_two_factor"


def staff_access(user, permission=None):
    """Whether `user` may open a staff page that needs `permission` ("app.codename"; None: staff alone)."""
    if not user.is_authenticated:
        return Access.LOG_IN
    if not (user.is_active and is_staff_member(user) and (permission is None or user.has_perm(permission))):
        return Access.FORBIDDEN
    from allauth.mfa.utils import is_mfa_enabled  # imported here: allauth's models need the app registry

    if not is_mfa_enabled(user):
        return Access.SET_UP_TWO_FACTOR
    return Access.ALLOWED


def is_staff_member(user):
    return user.is_staff or user.groups.filter(name__in=ROLES).exists()


def staff_required(permission=None):
    """Decorate a staff view: it runs only for staff holding `permission`, with two-factor authentication."""

    def decorator(view):
        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            access = staff_access(request.user, permission)
            if access is Access.LOG_IN:
                return redirect_to_login(request.get_full_path())
            if access is Access.FORBIDDEN:
                raise PermissionDenied
            if access is Access.SET_UP_TWO_FACTOR:
                messages.warning(request, _("Staff accounts need two-factor authentication. Please set it up first."))
                # Kept in the session: the set-up's pages (allauth's) do not carry `next` through.
                request.session[AFTER_TWO_FACTOR_SESSION_KEY] = request.get_full_path()
                return redirect(reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()}))
            return view(request, *args, **kwargs)

        guarded.staff_permission = permission or "staff"  # what the URL-walking test looks for
        return guarded

    return decorator
