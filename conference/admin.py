import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from conference.models import Conference, Resource, Room, Session, SessionPerson, Venue, city_of_zone, time_zone_choices
from conference.panels import ALL_MALE_PANEL_WARNING, all_male_panel, all_male_panels


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete box, which shows a form again with a posted value that is no key
    ("abc") as a form error rather than failing on it."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta.get_field(self.field.remote_field.field_name)
        return super().optgroups(name, [v for v in value if _is_key(target, v)], attr)


def _is_key(field, value):
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class SafeAutocompleteMixin:
    """For admins and inlines with autocomplete_fields: see SafeAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ConferenceTimeZoneMixin:
    """Shows and reads a form's date-times in the conference's own zone, as its programme gives them."""

    change_form_template = "admin/change_form_in_zone.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        zone = self.time_zone_for(request, object_id)
        if zone:
            note = _("Dates and times on this page are in %(city)s time (%(zone)s).") % {
                "city": city_of_zone(zone),
                "zone": zone,
            }
            extra_context = {**(extra_context or {}), "time_zone_note": note}
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # The admin answers with a lazy TemplateResponse: render it while the zone is active.
            if hasattr(response, "render"):
                response.render()
            return response

    def time_zone_for(self, request, object_id):
        """The IANA zone for this form, or None for UTC."""
        return None


def in_conference_zone(model, field, conference_of):
    """A list column of `model` showing its date-time `field` in the zone of the conference that
    `conference_of(obj)` returns, named ("12 Jun 2030, 10:00 EDT"), as the conference's times are shown
    everywhere, rather than in UTC."""

    @admin.display(description=model._meta.get_field(field).verbose_name, ordering=field)
    def column(modeladmin, obj):
        moment = getattr(obj, field)
        if moment is None:
            return None  # the admin's sign for an empty value
        return date_format(moment.astimezone(conference_of(obj).zone), "j M Y, H:i T")

    return column


class RoomInline(TranslationTabularInline):
    model = Room
    extra = 1


@admin.register(Venue)
class VenueAdmin(TranslationAdmin):
    list_display = ["name", "city", "country"]
    list_filter = ["country"]
    search_fields = ["name", "city", "address"]
    inlines = [RoomInline]


@admin.register(Room)
class RoomAdmin(SafeAutocompleteMixin, TranslationAdmin):
    list_display = ["name", "venue", "capacity"]
    list_filter = ["venue"]
    list_select_related = ["venue"]
    search_fields = ["name", "venue__name"]
    autocomplete_fields = ["venue"]


class ResourceInline(TranslationStackedInline):
    model = Resource
    extra = 0
    fields = [("kind", "position"), "title", "description", ("url", "file")]


@admin.register(Conference)
class ConferenceAdmin(SafeAutocompleteMixin, ConferenceTimeZoneMixin, TranslationAdmin):
    list_display = [
        "title",
        "start_date",
        "end_date",
        "format",
        "is_published",
        "is_sample",
        "session_count",
        "participation_link",
    ]
    list_filter = ["format", "is_published", "is_sample", "strategy_review"]
    search_fields = ["title", "theme", "description", "slug"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["venue", "strategy_review"]
    list_select_related = ["venue"]
    inlines = [ResourceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "edition", "theme", "description", "is_published", "is_sample"]}),
        (_("When and where"), {"fields": [("start_date", "end_date"), "time_zone", "format", "venue"]}),
        (
            _("Registration and participants"),
            {
                "fields": [
                    ("registration_opens_at", "registration_closes_at"),
                    ("capacity_in_person", "capacity_online"),
                    "publish_participant_list",
                    "participant_list_links",
                    "retention_days",
                ]
            },
        ),
        (_("Strategy"), {"fields": ["strategy_review"]}),
    ]

    readonly_fields = ["participant_list_links"]

    @admin.display(description=_("participation"))
    def participation_link(self, conference):
        url = reverse(
            "admin:registration_participant_dashboard", args=[conference.pk], current_app=self.admin_site.name
        )
        return format_html('<a href="{}">{}</a>', url, _("Dashboard"))

    @admin.display(description=_("list of participants"))
    def participant_list_links(self, conference):
        if conference.pk is None:
            return "—"
        # By URL name: the list lives in the secretariat app, which this app does not import.
        url = reverse("secretariat:participant_list_staff", kwargs={"conference_id": conference.pk})
        return format_html(
            '<a href="{}">{}</a> · <a href="{}?format=pdf">{}</a> · <a href="{}?public=1">{}</a>',
            url,
            _("All approved participants"),
            url,
            _("PDF"),
            url,
            _("As the public sees it"),
        )

    def time_zone_for(self, request, object_id):
        posted = request.POST.get("time_zone")
        if posted in zoneinfo.available_timezones():
            return posted
        conference = Conference.objects.filter(pk=object_id).first() if str(object_id or "").isdigit() else None
        return conference.time_zone if conference else None

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "time_zone":
            return forms.ChoiceField(
                choices=time_zone_choices(),
                initial=db_field.default,
                label=db_field.verbose_name,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_total=Count("sessions"))

    @admin.display(description=_("sessions"), ordering="session_total")
    def session_count(self, conference):
        return conference.session_total


class AllMalePanelFilter(admin.SimpleListFilter):
    title = _("panel")
    parameter_name = "all_male_panel"

    def lookups(self, request, model_admin):
        return [("yes", _("All-male panels"))]

    def queryset(self, request, queryset):
        return all_male_panels(queryset) if self.value() == "yes" else queryset


class SessionPersonInline(admin.TabularInline):
    model = SessionPerson
    extra = 1
    fields = ["role", "name", "function", "organization", "gender", "position"]


@admin.register(Session)
class SessionAdmin(SafeAutocompleteMixin, ConferenceTimeZoneMixin, TranslationAdmin):
    list_display = ["title", "conference", "local_time", "kind", "room", "is_open", "seat_limit", "is_cancelled"]
    list_filter = ["conference", "kind", "is_open", "is_cancelled", "pillars", AllMalePanelFilter]
    list_select_related = ["conference", "room"]
    search_fields = ["title", "description", "organizers", "people__name"]
    date_hierarchy = "date"
    ordering = ["date", "starts_at"]
    autocomplete_fields = ["conference", "room"]
    filter_horizontal = ["pillars"]
    inlines = [SessionPersonInline]
    fieldsets = [
        (None, {"fields": ["conference", "title", "kind", "description", "pillars", "is_cancelled"]}),
        (
            _("When"),
            {
                "fields": ["date", ("starts_at", "ends_at")],
                "description": _(
                    "Times are in the conference's time zone. The day follows the start time when one is "
                    "given; without times, the session is listed on that day as “time not announced”."
                ),
            },
        ),
        (
            _("Where"),
            {
                "fields": [
                    "room",
                    "online_url",
                    ("is_open", "webcast_url"),
                    ("seat_limit", "online_seat_limit"),
                    "organizers",
                ]
            },
        ),
    ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET" and not obj.is_cancelled and all_male_panel(obj):
            messages.warning(request, ALL_MALE_PANEL_WARNING)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # "Save and continue" reopens the page, which warns then: warn once.
        if "_continue" not in request.POST and not form.instance.is_cancelled and all_male_panel(form.instance):
            messages.warning(request, ALL_MALE_PANEL_WARNING)

    @admin.display(description=_("time"), ordering="starts_at")
    def local_time(self, session):
        if not session.starts_at:
            return date_format(session.date)
        return date_format(
            session.starts_at.astimezone(session.conference.zone), "j M Y, H:i T"
        )  # as in_conference_zone

    def time_zone_for(self, request, object_id):
        conference_id = request.POST.get("conference") or request.GET.get("conference")
        conferences = Conference.objects.none()
        if conference_id and conference_id.isdigit():
            conferences = Conference.objects.filter(pk=conference_id)
        elif object_id and str(object_id).isdigit():
            conferences = Conference.objects.filter(sessions__pk=object_id)
        return conferences.values_list("time_zone", flat=True).first()
