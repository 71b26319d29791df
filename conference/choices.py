"""Choices shared by the people in the agenda and by participants."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Another gender")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


def choices_constraint(field, choices, name):
    """A CheckConstraint keeping `field` within `choices`, also for raw SQL writers."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name)
