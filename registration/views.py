"""The participant's pages. The rules of registration are the services' (registration/services.py):
these views only show their refusals as messages."""

import functools

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from conference.models import Conference, Session
from registration import emails, selectors, services
from registration.forms import LetterRequestForm, MemberRegistrationForm, RegistrationForm
from registration.ical import participant_calendar
from registration.models import Participant, Status


@verified_email_required
@require_http_methods(["GET", "POST"])
def register(request, slug):
    conference = get_object_or_404(Conference.objects.published(), slug=slug)
    form = None
    try:
        cancelled = services.ensure_can_register(request.user, conference)
        # Registering again after a cancellation starts from what was typed then.
        form = RegistrationForm(
            request.POST or None,
            request.FILES or None,
            conference=conference,
            instance=cancelled,
            initial=None if cancelled else {"email": request.user.email},
        )
        if request.method == "POST" and form.is_valid():
            participant = services.register(
                user=request.user,
                conference=conference,
                data=form.participant_data(timezone.now()),
                sessions=form.chosen_sessions,
                files=form.new_files,
                language=get_language(),
            )
            if emails.not_sent(participant.emails.all()).exists():
                messages.warning(
                    request,
                    _(
                        "Your registration is received. We could not send you a confirmation email just now; "
                        "this page always shows the status of your registration."
                    ),
                )
            else:
                messages.success(request, _("Your registration is received. A confirmation email is on its way."))
            return redirect(participant)
    except services.AlreadyRegistered as error:
        messages.info(request, str(error))
        return redirect(error.participant)
    except services.RegistrationClosed:
        return render(request, "registration/closed.html", {"conference": conference})
    except services.RegistrationError as error:
        form.add_error(None, str(error))
    return render(request, "registration/register.html", {"form": form, "conference": conference})


@login_required
def registration_list(request):
    context = {
        "registrations": selectors.registrations_of(request.user),
        "delegations": selectors.delegations_of(request.user),
    }
    return render(request, "registration/list.html", context)


@login_required
def registration_detail(request, reference):
    participant = selectors.own_registration(request.user, reference)
    context = {
        "participant": participant,
        "undelivered": emails.not_sent(participant.emails.all()).exists(),
        "received_messages": selectors.messages_received(participant),
    }
    return render(request, "registration/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def registration_edit(request, reference):
    participant = selectors.own_registration(request.user, reference)
    conference = participant.conference
    form = None
    try:
        services.ensure_can_change(participant)
        member = services.nomination_of(participant)
        if member is not None:  # whom they represent and how they attend are the delegation's
            form = MemberRegistrationForm(
                request.POST or None, request.FILES or None, instance=participant, member=member
            )
        else:
            form = RegistrationForm(
                request.POST or None, request.FILES or None, instance=participant, conference=conference
            )
        if request.method == "POST" and form.is_valid():
            services.update_registration(
                participant,
                data=form.participant_data(timezone.now()),
                sessions=form.chosen_sessions,
                files=form.new_files,
            )
            messages.success(request, _("Your registration is updated."))
            return redirect(participant)
    except (services.NotChangeable, services.RegistrationClosed) as error:
        messages.error(request, str(error))
        return redirect(participant)
    except services.RegistrationError as error:
        form.add_error(None, str(error))
    context = {"form": form, "conference": conference, "participant": participant}
    return render(request, "registration/register.html", context)


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


def private_pdf(file, filename):
    """A stored PDF as a download that no cache keeps."""
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


def document_response(participant):
    """The participant's nomination document as a private download."""
    return private_pdf(participant.nomination_document, f"nomination-{participant.reference}.pdf")


@login_required
def registration_document(request, reference):
    return document_response(selectors.with_document(Participant.objects.filter(user=request.user), reference))


def approved_registration_required(message):
    """Decorate what a person downloads once their registration is approved (a badge, a calendar file):
    the view gets their own approved registration; before approval they read `message` on its page."""

    def decorator(view):
        @login_required
        @functools.wraps(view)
        def with_registration(request, reference):
            participant = selectors.own_registration(request.user, reference)
            if participant.status != Status.APPROVED:
                messages.error(request, message)
                return redirect(participant)
            return view(request, participant)

        return with_registration

    return decorator


@approved_registration_required(gettext_lazy("The calendar file is available once your registration is approved."))
def registration_calendar(request, participant):
    held = (
        Session.objects.filter(seat_requests__in=participant.seat_requests.held())
        .select_related("conference__venue", "room__venue")
        .prefetch_related("pillars")
    )
    response = HttpResponse(participant_calendar(participant, held), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{participant.conference.slug}.ics"'
    return response


@require_http_methods(["GET", "POST"])
@approved_registration_required(
    gettext_lazy("A letter of invitation can be asked for once your registration is approved.")
)
def letter_request(request, participant):
    """The form asking for a letter of invitation; afterwards the registration's page shows the request."""
    try:
        services.ensure_can_ask_for_letter(participant)
        form = LetterRequestForm(request.POST or None, participant=participant)
        if request.method == "POST" and form.is_valid():
            services.request_letter(participant, data=form.cleaned_data)
            messages.success(
                request,
                _("Your request for a letter of invitation is received. We will email you once the letter is ready."),
            )
            return redirect(participant)
    except services.RegistrationError as error:
        messages.info(request, str(error))
        return redirect(participant)
    return render(request, "registration/letter_request.html", {"form": form, "participant": participant})
