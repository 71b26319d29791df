"""The filters of the participants' list: whom they represent, and their delegation."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from registration.models import Delegation, Participant
from secretariat.participant_list import sort_key


class RepresentedStateFilter(admin.SimpleListFilter):
    title = _("Member State or Observer State")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        codes = (
            Participant.objects.exclude(represented_country="")
            .values_list("represented_country", flat=True)
            .order_by()
            .distinct()
        )
        return sorted(((code, Country(code).name) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(represented_country=self.value()) if self.value() else queryset


class OrganizationFilter(admin.SimpleListFilter):
    title = _("organization")
    parameter_name = "organization"

    def lookups(self, request, model_admin):
        names = Participant.objects.exclude(organization="").values_list("organization", flat=True).distinct()
        return [(name, name) for name in names.order_by("organization")[:200]]

    def queryset(self, request, queryset):
        return queryset.filter(organization=self.value()) if self.value() else queryset


class DelegationFilter(admin.SimpleListFilter):
    """In a delegation or not; once a conference is chosen, in which of its delegations."""

    title = _("delegation")
    parameter_name = "delegation"
    IN_ONE, IN_NONE = "any", "none"

    def lookups(self, request, model_admin):
        choices = [(self.IN_ONE, _("In a delegation")), (self.IN_NONE, _("In no delegation"))]
        conference = request.GET.get("conference__id__exact", "")
        if conference.isdigit():
            delegations = Delegation.objects.filter(conference=conference)
            choices += sorted(((d.pk, d.represents) for d in delegations), key=lambda pair: sort_key(pair[1]))
        return choices

    def queryset(self, request, queryset):
        member = Q(delegation_member__isnull=False, delegation_member__withdrawn_at__isnull=True)
        if self.value() == self.IN_ONE:
            return queryset.filter(member)
        if self.value() == self.IN_NONE:
            return queryset.exclude(member)
        if str(self.value() or "").isdigit():
            return queryset.filter(member, delegation_member__delegation=self.value())
        return queryset
