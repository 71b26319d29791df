"""How accounts behave where django-allauth lets a project decide."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials):
        # Failed logins count per account *and* client address: someone guessing a password
        # elsewhere cannot lock the owner out of their own account from their own address.
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"
