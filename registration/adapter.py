"""How accounts behave where django-allauth lets a project decide."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials):
        # Failed logins count per account *and* client address: someone guessing a password
        # elsewhere cannot lock the owner out of their own account from their own address.
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"

    def send_mail(self, template_prefix, email, context):
        """Account emails (confirmation, password reset, notices) go through the task queue as
        every other email does: rendered now in the reader's language, sent by a worker."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        from registration import emails

        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request), **context},
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
