"""How accounts behave where django-allauth lets a project decide."""

import time
from types import SimpleNamespace

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.utils.translation import gettext


def email_site():
    """The site as account emails name it ("Hello from …", "[…]" before each subject): by the name its
    pages show in their header, in the reader's language, and by its public address (DJANGO_SITE_URL),
    not by the host and port a request came in by."""
    return SimpleNamespace(name=gettext("UN Counter-Terrorism Conferences"), domain=settings.SITE_URL)


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials):
        # Failed logins count per account *and* client address: someone guessing a password
        # elsewhere cannot lock the owner out of their own account from their own address.
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"

    def is_reauthentication_required(self, *, app, **kwargs):
        """Not right after a login: whoever typed the password minutes ago is not asked for it again
        (staff setting up two-factor authentication on their first visit, for example)."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = allauth_context.request
        if request is None or not request.user.is_authenticated:
            return True
        recent = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
        records = get_authentication_records(request, request.user)
        return not any(record.get("method") == "password" and record["at"] > recent for record in records)

    def format_email_subject(self, subject):
        return f"[{email_site().name}] {subject}"

    def send_mail(self, template_prefix, email, context):
        """Account emails (confirmation, password reset, notices) go through the task queue as
        every other email does: rendered now in the reader's language, sent by a worker."""
        from registration import emails

        request = allauth_context.request
        message = self.render_mail(
            template_prefix, email, {"request": request, "email": email, **context, "current_site": email_site()}
        )
        html = next(
            (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
        )
        emails.store(
            kind=template_prefix.replace("/email/", "/"),
            to=email,
            subject=message.subject,
            text=message.body,
            html=html,
        )
