from django.contrib import admin

from strategy.models import Pillar, StrategyReview


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["number", "short_name", "title"]
    list_display_links = ["number", "short_name"]
    search_fields = ["title", "short_name", "description"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(StrategyReview)
class StrategyReviewAdmin(admin.ModelAdmin):
    list_display = ["ordinal", "title", "resolution", "adopted_on"]
    list_display_links = ["ordinal", "title"]
    search_fields = ["title", "resolution", "summary"]
    date_hierarchy = "adopted_on"
