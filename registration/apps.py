from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")

    def ready(self):
        from allauth.account.signals import email_confirmed
        from django.contrib.auth.signals import user_logged_in

        # A focal point designated, or a member registered by their focal point, before they had an
        # account finds it theirs as soon as they log in with, or confirm, the address given.
        user_logged_in.connect(_claim, dispatch_uid="claim-on-login")
        email_confirmed.connect(_claim_of_address, dispatch_uid="claim-on-confirmation")


def _claim(sender, user, **kwargs):
    from registration.services import claim_by_address

    claim_by_address(user)


def _claim_of_address(sender, email_address, **kwargs):
    from registration.services import claim_by_address

    claim_by_address(email_address.user)
