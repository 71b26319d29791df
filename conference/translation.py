"""The texts of the programme kept in every language of the site (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from conference.models import Conference, Resource, Room, Session, Venue


@register(Venue)
class VenueTranslation(TranslationOptions):
    fields = ("name", "city")


@register(Room)
class RoomTranslation(TranslationOptions):
    fields = ("name",)


@register(Conference)
class ConferenceTranslation(TranslationOptions):
    fields = ("title", "theme", "description")


@register(Resource)
class ResourceTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "description")
