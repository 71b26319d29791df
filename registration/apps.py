from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")

    def ready(self):
        from allauth.account.signals import email_confirmed
        from django.contrib.auth.signals import user_logged_in

        # A focal point designated before they had an account acts for the delegation as soon as
        # they log in with, or confirm, the address the Secretariat gave.
        user_logged_in.connect(_claim_focal_points, dispatch_uid="focal-points-on-login")
        email_confirmed.connect(_claim_focal_points_of_address, dispatch_uid="focal-points-on-confirmation")


def _claim_focal_points(sender, user, **kwargs):
    from registration.services import claim_focal_points

    claim_focal_points(user)


def _claim_focal_points_of_address(sender, email_address, **kwargs):
    from registration.services import claim_focal_points

    claim_focal_points(email_address.user)
