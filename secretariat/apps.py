from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class SecretariatConfig(AppConfig):
    default = True
    name = "secretariat"
    verbose_name = _("Secretariat")


class SecretariatAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the Secretariat's site (secretariat/sites.py) as the default site."""

    default = False
    default_site = "secretariat.sites.SecretariatAdminSite"
