"""The texts of the Strategy kept in every language of the site (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from strategy.models import Pillar, StrategyReview


@register(Pillar)
class PillarTranslation(TranslationOptions):
    fields = ("title", "short_name", "description")


@register(StrategyReview)
class StrategyReviewTranslation(TranslationOptions):
    fields = ("title", "summary")
