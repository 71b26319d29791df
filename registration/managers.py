from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import UserManager as DjangoUserManager


class UserManager(DjangoUserManager):
    """Accounts by email address, stored in lower case so that every lookup can be exact."""

    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        """`" Amina.Diallo@UN.org "` → `"amina.diallo@un.org"`: the whole address, not only the domain."""
        return (email or "").strip().lower()

    def get_by_natural_key(self, email):
        return self.get(email=self.normalize_email(email))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An account needs an email address.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.password = make_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields["is_staff"] is not True:
            raise ValueError("Superuser must have is_staff=True.")
        if extra_fields["is_superuser"] is not True:
            raise ValueError("Superuser must have is_superuser=True.")
        user = self._create_user(email, password, **extra_fields)
        mark_email_verified(user)
        return user


def mark_email_verified(user):
    """The account's address as verified and primary: for accounts the operator makes on the command
    line (`make superuser`, `add_to_group --create`), whose address they vouch for, so that the first
    login does not stop at "Verify your email"."""
    from allauth.account.models import EmailAddress  # imported here: the managers load before allauth's models

    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
