"""Delegations in the admin: their places, their focal points (designated through
registration.services, which links an existing account or invites by email), their members in
order, decisions on all their registrations at once, and their badges; and the places each category
gets by default at a conference. Decisions member by member stay on the participants' admin."""

from collections import Counter

from django.contrib import admin, messages
from django.db.models import F, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conference.admin import ConferenceTimeZoneMixin
from conference.models import Conference
from registration import services
from registration.models import Delegation, DelegationMember, FocalPoint, PlacesByCategory, Status
from registration.models.delegations import name_order
from secretariat import selectors
from secretariat import services as secretariat_services
from secretariat.admin.confirmation import action_confirmation
from secretariat.admin.delegation_forms import (
    DelegationForm,
    FocalPointForm,
    NewDelegationForm,
    RejectDelegationForm,
    places_help_text,
)
from secretariat.admin.filters import DelegationFilter
from secretariat.admin.participants import BADGES_AT_ONCE
from secretariat.models import PreparedFile
from secretariat.views import badges_response

# What a delegation represents is fixed once people are nominated under it: their registrations carry it.
FIXED_WITH_MEMBERS = ["conference", "category", "represented_country", "organization"]


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    form = FocalPointForm
    extra = 1
    fields = ["email", "language", "account", "invited_at"]
    readonly_fields = ["account", "invited_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description=_("account"))
    def account(self, focal_point):
        if focal_point.pk is None:
            return "—"
        return focal_point.user.email if focal_point.user else _("None yet: invited to create one")


class MemberInline(admin.TabularInline):
    """The members in the delegation's order, head first, those withdrawn last; nominated by the focal points."""

    model = DelegationMember
    verbose_name_plural = _("Members")
    extra = 0
    can_delete = False
    fields = ["name", "is_head", "email", "function", "attendance", "registration", "withdrawn_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("participant")
            .order_by(F("withdrawn_at").asc(nulls_first=True), "-is_head", "position", "pk")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("name"))
    def name(self, member):
        return member.full_name

    @admin.display(description=_("registration"))
    def registration(self, member):
        participant = member.participant
        if participant is None:
            return _("Details to complete")
        url = reverse("admin:registration_participant_change", args=[participant.pk])
        return format_html('<a href="{}">{} · {}</a>', url, participant.reference, participant.get_status_display())


@admin.register(Delegation)
class DelegationAdmin(ConferenceTimeZoneMixin, admin.ModelAdmin):
    list_display = [
        "represents",
        "conference",
        "category",
        "head",
        "members",
        "in_person",
        "online",
        "note_verbale_link",
    ]
    list_display_links = ["represents"]
    form = DelegationForm
    list_filter = ["conference", "category"]
    list_select_related = ["conference"]
    # Searched by name of State in the active language too: see get_search_results.
    search_fields = ["organization"]
    inlines = [FocalPointInline, MemberInline]
    fields = [
        "conference",
        "category",
        "represented_country",
        "organization",
        ("places_in_person", "places_online"),
        "note_verbale_link",
        "new_note_verbale",
        ("created_at", "updated_at"),
    ]
    readonly_fields = ["note_verbale_link", "created_at", "updated_at"]
    actions = ["approve_registrations", "reject_registrations", "print_badges", "invite_focal_points_again"]

    def get_queryset(self, request):
        return selectors.with_places_used(super().get_queryset(request))

    def get_ordering(self, request):
        return name_order()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = NewDelegationForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.members.exists():
            return [*FIXED_WITH_MEMBERS, *self.readonly_fields]
        return self.readonly_fields

    def get_actions(self, request):
        # Deleting goes one delegation at a time, where the page can refuse one with members.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        # Deleting a delegation would drop its members' nominations: only one made by mistake goes.
        if obj is not None and obj.members.exists():
            return False
        return super().has_delete_permission(request, obj)

    def has_decide_permission(self, request):
        return request.user.has_perm("registration.change_participant") and self.has_change_permission(request)

    def has_badges_permission(self, request):
        return request.user.has_perm("registration.view_participant")

    def time_zone_for(self, request, object_id):
        if not str(object_id or "").isdigit():
            return None
        return Conference.objects.filter(delegations__pk=object_id).values_list("time_zone", flat=True).first()

    def get_search_results(self, request, queryset, search_term):
        """By organization, or by name of the State in the language of the page (or its code)."""
        term = " ".join(search_term.split())
        if not term:
            return queryset, False
        states = Delegation._meta.get_field("represented_country").countries
        codes = [code for code, name in states if term.casefold() in name.casefold() or term.upper() == code]
        return queryset.filter(Q(organization__icontains=term) | Q(represented_country__in=codes)), False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("new_note_verbale"):
            services.replace_note_verbale(obj, form.cleaned_data["new_note_verbale"])

    def save_formset(self, request, form, formset, change):
        if formset.model is not FocalPoint:
            return super().save_formset(request, form, formset, change)
        delegation = form.instance
        for focal_point in formset.save(commit=False):
            designated = services.designate_focal_point(delegation, focal_point.email, language=focal_point.language)
            self.message_user(request, self.designated_message(designated), messages.SUCCESS)
        for focal_point in formset.deleted_objects:
            focal_point.delete()
        return None

    @staticmethod
    def designated_message(focal_point):
        names = {"email": focal_point.email, "delegation": focal_point.delegation}
        if focal_point.user_id:
            message = _(
                "Focal point of %(delegation)s designated: %(email)s, who acts through their account and is told by "
                "email."
            )
        else:
            message = _(
                "Focal point of %(delegation)s designated: %(email)s, who is invited by email to create an account."
            )
        return message % names

    @admin.action(description=_("Approve the delegations' registrations"), permissions=["decide"])
    def approve_registrations(self, request, queryset):
        self.decide(
            request,
            queryset,
            Status.APPROVED,
            lambda delegation: services.approve_delegation(delegation, by=request.user),
        )

    @admin.action(description=_("Reject the delegations' registrations"), permissions=["decide"])
    def reject_registrations(self, request, queryset):
        form = RejectDelegationForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            message = form.cleaned_data["message"]
            self.decide(
                request,
                queryset,
                Status.REJECTED,
                lambda delegation: services.reject_delegation(delegation, by=request.user, message=message),
            )
            return None
        return action_confirmation(
            self,
            request,
            template="admin/registration/delegation/reject.html",
            title=_("Reject the delegations' registrations"),
            form=form,
            selected=queryset,
        )

    def decide(self, request, queryset, decision, decide):
        """Apply `decide` to each delegation, then tell how many registrations ended in each status."""
        outcomes = Counter()
        for delegation in queryset:
            try:
                outcomes.update(decide(delegation))
            except services.RegistrationError as error:
                self.message_user(request, f"{delegation}: {error}", messages.WARNING)
        if not outcomes:
            self.message_user(
                request, _("No registration of the selected delegations was waiting for this decision."), messages.INFO
            )
        for status, count in outcomes.items():
            self.message_user(
                request,
                ngettext(
                    "%(count)d participant is now: %(status)s.", "%(count)d participants are now: %(status)s.", count
                )
                % {"count": count, "status": Status(status).label},
                messages.SUCCESS if status == decision else messages.WARNING,
            )

    @admin.action(description=_("Badges of the selected delegations"), permissions=["badges"])
    def print_badges(self, request, queryset):
        """The badges of the approved members, delegation by delegation, head first."""
        delegations = list(queryset.values_list("pk", flat=True))
        approved = selectors.approved_member_registrations(delegations)
        count = approved.count()
        if not count:
            self.message_user(
                request, _("No member of the selected delegations is approved: no badges to print."), messages.ERROR
            )
            return None
        if count > BADGES_AT_ONCE:
            kind = PreparedFile.Kind.DELEGATION_BADGES
            prepared = secretariat_services.prepare_file(kind, approved, by=request.user)
            url = reverse("admin:secretariat_preparedfile_change", args=[prepared.pk], current_app=self.admin_site.name)
            return redirect(url)
        return badges_response(selectors.approved_members(delegations), "badges.pdf")

    @admin.action(description=_("Invite again the focal points who have no account yet"), permissions=["change"])
    def invite_focal_points_again(self, request, queryset):
        """For an invitation lost or forgotten: the same email again, in each focal point's language."""
        waiting = FocalPoint.objects.filter(delegation__in=queryset, user__isnull=True).select_related("delegation")
        count = 0
        for focal_point in waiting:
            services.designate_focal_point(focal_point.delegation, focal_point.email, language=focal_point.language)
            count += 1
        if not count:
            self.message_user(
                request,
                _("Every focal point of the selected delegations already has an account: no one to invite."),
                messages.INFO,
            )
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d focal point is invited again by email.",
                "%(count)d focal points are invited again by email.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.display(description=_("represents"))
    def represents(self, delegation):
        return delegation.represents

    @admin.display(description=_("head of delegation"))
    def head(self, delegation):
        return delegation.head_name or "—"

    @admin.display(description=_("Members"), ordering="member_count")
    def members(self, delegation):
        url = reverse("admin:registration_participant_changelist", current_app=self.admin_site.name)
        query = urlencode({DelegationFilter.parameter_name: delegation.pk})
        return format_html('<a href="{}?{}">{}</a>', url, query, delegation.member_count)

    @admin.display(description=_("Places in person"))
    def in_person(self, delegation):
        return _("%(used)s of %(total)s") % {"used": delegation.used_in_person, "total": delegation.places_in_person}

    @admin.display(description=_("Places online"))
    def online(self, delegation):
        return _("%(used)s of %(total)s") % {"used": delegation.used_online, "total": delegation.places_online}

    @admin.display(description=_("note verbale"))
    def note_verbale_link(self, delegation):
        if not delegation.note_verbale:
            return "—"
        url = reverse("secretariat:note_verbale", kwargs={"pk": delegation.pk})
        return format_html('<a href="{}">{}</a>', url, _("Download (PDF)"))


@admin.register(PlacesByCategory)
class PlacesByCategoryAdmin(admin.ModelAdmin):
    list_display = ["conference", "category", "in_person", "online"]
    list_filter = ["conference", "category"]
    list_select_related = ["conference"]

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["conference", "category", "in_person", "online"], "description": places_help_text()})
        ]
