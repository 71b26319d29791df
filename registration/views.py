from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from conference.models import Conference, Session
from registration import selectors, services
from registration.calendar import participant_calendar
from registration.forms import RegistrationForm
from registration.models import SeatStatus, Status


@verified_email_required
@require_http_methods(["GET", "POST"])
def register(request, slug):
    conference = get_object_or_404(Conference.objects.published(), slug=slug)
    existing = selectors.registrations_of(request.user).filter(conference=conference).first()
    if existing and existing.status != Status.CANCELLED:
        messages.info(request, _("You are already registered for this conference. Here is your registration."))
        return redirect(existing)
    if not conference.registration_is_open:
        return render(request, "registration/closed.html", {"conference": conference})
    form = RegistrationForm(
        request.POST or None, request.FILES or None, conference=conference, initial={"email": request.user.email}
    )
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.register(
                user=request.user,
                conference=conference,
                data=form.participant_data(timezone.now()),
                sessions=form.chosen_sessions,
                files=form.new_files,
                language=get_language(),
            )
        except services.AlreadyRegistered as error:
            messages.info(request, str(error))
            return redirect(error.participant)
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your registration is received. We have sent you an email."))
            return redirect(participant)
    return render(request, "registration/register.html", {"form": form, "conference": conference})


@login_required
def registration_list(request):
    return render(request, "registration/list.html", {"registrations": selectors.registrations_of(request.user)})


@login_required
def registration_detail(request, reference):
    participant = selectors.own_registration(request.user, reference)
    return render(request, "registration/detail.html", {"participant": participant})


@login_required
@require_http_methods(["GET", "POST"])
def registration_edit(request, reference):
    participant = selectors.own_registration(request.user, reference)
    if participant.status != Status.PENDING:
        messages.error(request, _("Only a pending registration can be changed."))
        return redirect(participant)
    if not participant.conference.registration_is_open:
        messages.error(request, _("Registration is closed; please write to the Secretariat to change it."))
        return redirect(participant)
    conference = participant.conference
    form = RegistrationForm(request.POST or None, request.FILES or None, instance=participant, conference=conference)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_registration(
                participant,
                data=form.participant_data(timezone.now()),
                sessions=form.chosen_sessions,
                files=form.new_files,
            )
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your registration is updated."))
            return redirect(participant)
    return render(
        request, "registration/register.html", {"form": form, "conference": conference, "participant": participant}
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request, reference):
    participant = selectors.own_registration(request.user, reference)
    if request.method == "POST":
        try:
            services.cancel(participant)
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect(participant)
    return render(request, "registration/cancel.html", {"participant": participant})


@login_required
def registration_document(request, reference):
    participant = selectors.document_owner_or_staff(request.user, reference)
    response = FileResponse(
        participant.nomination_document.open("rb"),
        as_attachment=True,
        filename=f"nomination-{participant.reference}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def registration_calendar(request, reference):
    participant = selectors.own_registration(request.user, reference)
    if participant.status != Status.APPROVED:
        messages.error(request, _("The calendar file is available once your registration is approved."))
        return redirect(participant)
    held = (
        Session.objects.filter(seat_requests__participant=participant, seat_requests__status=SeatStatus.HELD)
        .select_related("conference", "room")
        .prefetch_related("pillars")
    )
    response = HttpResponse(participant_calendar(participant, held), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{participant.conference.slug}.ics"'
    return response
