from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from strategy.models import Pillar, StrategyReview


@admin.register(Pillar)
class PillarAdmin(TranslationAdmin):
    list_display = ["number", "short_name", "title"]
    list_display_links = ["number", "short_name"]
    search_fields = ["title", "short_name", "description"]
    prepopulated_fields = {"slug": ["short_name_en"]}


@admin.register(StrategyReview)
class StrategyReviewAdmin(TranslationAdmin):
    list_display = ["ordinal", "title", "resolution", "adopted_on"]
    list_display_links = ["ordinal", "title"]
    search_fields = ["title", "resolution", "summary"]
    date_hierarchy = "adopted_on"
