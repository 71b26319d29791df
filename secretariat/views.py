"""The Secretariat's pages outside the admin (the check-in desk, the list of participants, nomination
documents), and what it issues to participants and the public (badges, letters of invitation and
their check, the public list)."""

from allauth.mfa.recovery_codes.views import ViewRecoveryCodesView
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from conference.choices import Gender
from conference.models import Conference
from registration.delegation_views import note_verbale_response
from registration.models import Delegation, LetterRequest, LetterStatus, Participant, Status
from registration.selectors import own_delegation, own_member, with_document
from registration.views import approved_registration_required, document_response
from secretariat import selectors, services
from secretariat.access import AFTER_TWO_FACTOR_SESSION_KEY, is_staff_member, staff_required
from secretariat.badges import render_badges_pdf
from secretariat.dashboard import conference_dashboard
from secretariat.figures import dashboard_figures, women_by_category_chart
from secretariat.forms import CheckInForm, PersonalDataForm
from secretariat.letters import issued_on, letter_for_token, masked_passport_number, render_letter_pdf
from secretariat.participant_list import participant_groups, render_participant_list_pdf
from secretariat.personal_data import data_under_address, json_download


def pdf_response(content, filename, *, as_attachment):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    return response


def badges_response(participants, filename):
    """The badges of `participants` (all approved: see render_badges_pdf) as a PDF download."""
    response = pdf_response(render_badges_pdf(participants), filename, as_attachment=True)
    response["Cache-Control"] = "private, no-store"
    return response


@approved_registration_required(_("Your badge is available once your registration is approved."))
def badge_download(request, participant):
    return badges_response([participant], f"badge-{participant.reference}.pdf")


def letter_response(letter):
    """A valid letter of invitation (see render_letter_pdf) as a PDF download."""
    filename = f"letter-of-invitation-{letter.reference}.pdf"
    response = pdf_response(render_letter_pdf(letter), filename, as_attachment=True)
    response["Cache-Control"] = "private, no-store"
    return response


@approved_registration_required(_("Your letter of invitation is available once your registration is approved."))
def letter_download(request, participant):
    letter = LetterRequest.objects.filter(participant=participant, status=LetterStatus.ISSUED).first()
    if letter is None:
        raise Http404
    letter.participant = participant
    return letter_response(letter)


@login_required
def member_letter_download(request, pk, member_pk):
    """A member's letter of invitation, for the focal point of their delegation."""
    member = own_member(own_delegation(request.user, pk), member_pk)
    if member.participant is None or member.participant.status != Status.APPROVED:
        raise Http404
    letter = LetterRequest.objects.filter(participant=member.participant, status=LetterStatus.ISSUED).first()
    if letter is None:
        raise Http404
    letter.participant = member.participant
    return letter_response(letter)


def letter_verify(request, token):
    """What anyone scanning a letter's QR code learns: whether the Secretariat issued it, and to whom."""
    letter = letter_for_token(token)
    context = {"letter": letter}
    if letter is not None:
        context.update(
            conference=letter.participant.conference,
            issued_on=issued_on(letter),
            passport_number=masked_passport_number(letter.passport_number),
        )
    response = render(request, "secretariat/letter_verify.html", context, status=200 if letter else 404)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@staff_required("registration.view_participant")
def nomination_document(request, reference):
    return document_response(with_document(Participant.objects.all(), reference))


@staff_required("registration.view_delegation")
def note_verbale(request, pk):
    return note_verbale_response(get_object_or_404(Delegation, pk=pk))


def participant_list_public(request, slug):
    conference = get_object_or_404(Conference.objects.published(), slug=slug, publish_participant_list=True)
    return _participant_list(request, conference, public=True, staff=False)


@staff_required("registration.view_participant")
def participant_list_staff(request, conference_id):
    """Every approved participant; with ?public=1 exactly what the public list shows."""
    conference = get_object_or_404(Conference, pk=conference_id)
    response = _participant_list(request, conference, public=request.GET.get("public") == "1", staff=True)
    response["Cache-Control"] = "private, no-store"
    return response


def _list_pdf(conference, groups, *, public):
    """The list as PDF, made once per version of the list: rendering is far dearer than the query."""
    # A change of order within a delegation (a new head, say) changes its members, not their registrations.
    version = Participant.objects.filter(conference=conference).aggregate(
        latest=Max("updated_at"), members=Max("delegation_member__updated_at"), count=Count("pk")
    )
    latest, members = (version[name].timestamp() if version[name] else 0 for name in ("latest", "members"))
    parts = [
        conference.pk,
        conference.updated_at.timestamp(),
        public,
        get_language(),
        version["count"],
        latest,
        members,
    ]
    key = "participant-list-pdf:" + ":".join(map(str, parts))
    content = cache.get(key)
    if content is None:
        content = render_participant_list_pdf(conference, groups, public=public)
        cache.set(key, content, 60 * 60)
    return content


def _participant_list(request, conference, *, public, staff):
    groups = participant_groups(conference, public=public)
    if request.GET.get("format") == "pdf":
        filename = f"participants-{conference.slug}{'' if public else '-all'}.pdf"
        return pdf_response(_list_pdf(conference, groups, public=public), filename, as_attachment=False)
    context = {
        "conference": conference,
        "groups": groups,
        "public": public,
        "staff": staff,
        "pdf_url": "?" + urlencode({**request.GET.dict(), "format": "pdf"}),
        "public_url": request.path + "?public=1",
        "all_url": request.path,
    }
    return render(request, "secretariat/participant_list.html", context)


@staff_required("registration.check_in_participant")
@require_http_methods(["GET", "POST"])
def check_in_desk(request):
    form = CheckInForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        context.update(_check_in_scanned(request, form.cleaned_data))
        context["form"] = form.for_next_scan()
    return render(request, "secretariat/checkin.html", context)


def _check_in_scanned(request, data):
    """Check in whoever the desk's text identifies; or list the people whose names match it."""
    conference, session = data["conference"], data["session"]
    found = selectors.find_for_check_in(conference, data["query"], session=session)
    context = {"conference": conference, "session": session}
    if found.participant is None:
        outcome = services.CheckInOutcome.UNKNOWN if not found.candidates else None
        return {**context, "outcome": outcome, "candidates": list(found.candidates), "more": found.more}
    outcome, checked_in_at = services.check_in(found.participant, session=session, by=request.user)
    return {**context, "outcome": outcome, "participant": found.participant, "checked_in_at": checked_in_at}


def dashboard_url(conference_id, admin_site_name="admin"):
    return reverse("admin:registration_participant_dashboard", args=[conference_id], current_app=admin_site_name)


def participation_dashboard(modeladmin, request, conference_id):
    """The dashboard page in the admin (see ParticipantAdmin.get_urls), for staff who may see participants."""
    if not modeladmin.has_view_permission(request):
        raise PermissionDenied
    conference = get_object_or_404(Conference, pk=conference_id)
    chosen = request.GET.get("conference", "")
    if chosen.isdigit() and int(chosen) != conference.pk:
        return redirect(dashboard_url(int(chosen), modeladmin.admin_site.name))
    figures = conference_dashboard(conference)
    changelist = reverse("admin:registration_participant_changelist", current_app=modeladmin.admin_site.name)

    def link(**filters):
        """The admin's list of this conference's participants, filtered."""
        return f"{changelist}?{urlencode({'conference__id__exact': conference.pk, **filters})}"

    def delegations_link(**filters):
        url = reverse("admin:registration_delegation_changelist", current_app=modeladmin.admin_site.name)
        return f"{url}?{urlencode({'conference__id__exact': conference.pk, **filters})}"

    rtl = get_language_bidi()
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Participation: %(conference)s") % {"conference": conference},
        "opts": modeladmin.model._meta,
        "conference": conference,
        "conferences": Conference.objects.order_by("-start_date", "pk").values_list("pk", "title"),
        "dashboard": figures,
        "figures": dashboard_figures(figures, link, rtl=rtl, delegations_link=delegations_link),
        "women_by_category_chart": women_by_category_chart(figures, rtl=rtl),
        "genders": Gender.choices,
        "participants_url": link(),
    }
    return TemplateResponse(request, "secretariat/dashboard.html", context)


def personal_data_lookup(modeladmin, request):
    """The page, in the participants' admin, that downloads everything kept under one email address,
    for a person's request to see their data. The address goes by POST: it stays out of the logs."""
    if not modeladmin.has_view_permission(request):
        raise PermissionDenied
    form = PersonalDataForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = data_under_address(form.cleaned_data["email"])
        if data is not None:
            return json_download(data)
        form.add_error("email", _("Nothing is kept under this address."))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Personal data of one person"),
        "opts": modeladmin.model._meta,
        "form": form,
    }
    return TemplateResponse(request, "admin/registration/participant/personal_data.html", context)


class RecoveryCodesView(ViewRecoveryCodesView):
    """allauth's recovery codes page, with a way onward: to the staff page that asked for two-factor
    authentication, else the admin's home for staff, else the site's home."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        wanted = self.request.session.get(AFTER_TWO_FACTOR_SESSION_KEY, "")
        if url_has_allowed_host_and_scheme(wanted, allowed_hosts={self.request.get_host()}):
            context["continue_url"] = wanted
        elif is_staff_member(self.request.user):
            context["continue_url"] = reverse("admin:index")
        else:
            context["continue_url"] = reverse("conference:home")
        return context
