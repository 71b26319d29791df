"""Badges and the list of participants, as PDF files and a printable page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from conference.models import Conference
from registration import selectors
from registration.badges import render_badges_pdf
from registration.models import Participant, Status
from registration.participant_list import participant_groups, render_participant_list_pdf


def pdf_response(content, filename, *, as_attachment):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    return response


def badges_response(participants, filename):
    """The badges of `participants` (all approved: see render_badges_pdf) as a PDF download."""
    response = pdf_response(render_badges_pdf(participants), filename, as_attachment=True)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def badge_download(request, reference):
    participant = selectors.own_registration(request.user, reference)
    if participant.status != Status.APPROVED:
        messages.error(request, _("Your badge is available once your registration is approved."))
        return redirect(participant)
    return badges_response([participant], f"badge-{participant.reference}.pdf")


def participant_list_public(request, slug):
    conference = get_object_or_404(Conference.objects.published(), slug=slug, publish_participant_list=True)
    return _participant_list(request, conference, public=True, staff=False)


@login_required
def participant_list_staff(request, conference_id):
    """Every approved participant; with ?public=1 exactly what the public list shows."""
    if not (request.user.is_staff and request.user.has_perm("registration.view_participant")):
        raise PermissionDenied
    conference = get_object_or_404(Conference, pk=conference_id)
    response = _participant_list(request, conference, public=request.GET.get("public") == "1", staff=True)
    response["Cache-Control"] = "private, no-store"
    return response


def _list_pdf(conference, groups, *, public):
    """The list as PDF, made once per version of the list: rendering is far dearer than the query."""
    version = Participant.objects.filter(conference=conference).aggregate(latest=Max("updated_at"), count=Count("pk"))
    latest = version["latest"].timestamp() if version["latest"] else 0
    parts = [conference.pk, conference.updated_at.timestamp(), public, get_language(), version["count"], latest]
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
    return render(request, "registration/participant_list.html", context)
