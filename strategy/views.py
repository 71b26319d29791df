from django.db.models import Prefetch
from django.shortcuts import render

from strategy.models import Pillar, StrategyReview


def overview(request):
    """The Strategy: its pillars, and its adoption and reviews as a timeline with the conference of each week."""
    # A review's conferences come through the reverse relation, so this app need not import the conference app.
    published = StrategyReview._meta.get_field("conferences").related_model.objects.filter(is_published=True)
    reviews = StrategyReview.objects.prefetch_related(
        Prefetch("conferences", queryset=published.order_by("start_date"))
    )
    return render(request, "strategy/overview.html", {"reviews": list(reviews), "pillars": list(Pillar.objects.all())})
