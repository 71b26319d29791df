"""The texts of messages to participants, kept in every language of the site (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from registration.models import Message


@register(Message)
class MessageTranslation(TranslationOptions):
    fields = ("subject", "body")
