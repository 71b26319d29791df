"""A focal point's pages for their delegation, and a nominated member's registration. The rules
(places, the registration window, who may do what) are the services' (registration/services.py);
each page is found through the person's own delegations or nominations, so anyone else's is a 404."""

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from registration import selectors, services
from registration.forms import LetterRequestForm, MemberForm, MemberRegistrationForm, NoteVerbaleForm
from registration.models import Status
from registration.views import private_pdf


@login_required
def delegation_list(request):
    return render(request, "registration/delegation_list.html", {"delegations": selectors.delegations_of(request.user)})


@login_required
def delegation_detail(request, pk, member_form=None, note_form=None):
    page = selectors.delegation_page(request.user, pk)
    conference = page["delegation"].conference
    page["member_form"] = member_form or MemberForm(conference=conference, head=page["head"])
    page["note_form"] = note_form or NoteVerbaleForm()
    return render(request, "registration/delegation_detail.html", page)


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, pk):
    """POST: nominate a member. A GET (the address of a failed nomination, reloaded or opened in another
    language) goes back to the delegation's page."""
    delegation = selectors.own_delegation(request.user, pk)
    if request.method == "GET":
        return redirect("registration:delegation", pk=delegation.pk)
    form = MemberForm(request.POST, conference=delegation.conference, head=selectors.head_of(delegation))
    if form.is_valid():
        try:
            member = services.add_member(delegation, data=form.cleaned_data, by=request.user)
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _nominated_message(member))
            return redirect("registration:delegation", pk=delegation.pk)
    return delegation_detail(request, pk, member_form=form)


def _nominated_message(member):
    if member.replaced_head is None:
        return _("%(name)s is nominated and invited by email.") % {"name": member.full_name}
    return _("%(name)s is nominated and invited by email, and replaces %(former)s as head of delegation.") % {
        "name": member.full_name,
        "former": member.replaced_head.full_name,
    }


@login_required
@require_http_methods(["GET", "POST"])
def member_make_head(request, pk, member_pk):
    """POST: make a member the head of delegation, in place of the former head. A GET goes back to the
    delegation's page."""
    delegation = selectors.own_delegation(request.user, pk)
    member = selectors.own_member(delegation, member_pk)
    if request.method == "POST":
        try:
            former = services.make_head(member)
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            names = {"name": member.full_name, "former": former.full_name if former else ""}
            if former is None:
                messages.success(request, _("%(name)s is the head of delegation.") % names)
            else:
                messages.success(request, _("%(name)s is the head of delegation, in place of %(former)s.") % names)
    return redirect("registration:delegation", pk=delegation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def member_withdraw(request, pk, member_pk):
    delegation = selectors.own_delegation(request.user, pk)
    member = selectors.own_member(delegation, member_pk)
    if request.method == "POST":
        try:
            services.withdraw_member(member)
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s is withdrawn from the delegation.") % {"name": member.full_name})
        return redirect("registration:delegation", pk=delegation.pk)
    return render(request, "registration/member_withdraw.html", {"delegation": delegation, "member": member})


@login_required
@require_http_methods(["GET", "POST"])
def member_replace(request, pk, member_pk):
    delegation = selectors.own_delegation(request.user, pk)
    member = selectors.own_member(delegation, member_pk)
    form = MemberForm(request.POST or None, conference=delegation.conference, with_head=False)
    if request.method == "POST" and form.is_valid():
        try:
            replacement = services.replace_member(member, data=form.cleaned_data, by=request.user)
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(old)s is replaced by %(new)s, who is invited by email.")
                % {"old": member.full_name, "new": replacement.full_name},
            )
            return redirect("registration:delegation", pk=delegation.pk)
    context = {"delegation": delegation, "member": member, "form": form}
    return render(request, "registration/member_replace.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_register(request, pk, member_pk):
    """The focal point completes a member's registration for them."""
    delegation = selectors.own_delegation(request.user, pk)
    member = selectors.own_member(delegation, member_pk)
    if member.participant_id is not None:
        messages.info(request, _("%(name)s is already registered.") % {"name": member.full_name})
        return redirect("registration:delegation", pk=delegation.pk)
    return _register_member(request, member, user=None, done=delegation)


@verified_email_required
@require_http_methods(["GET", "POST"])
def nomination(request, pk):
    """A nominated member completes their own registration, from the link in their invitation; once the
    nomination is withdrawn, the link says so (to them alone)."""
    withdrawn = selectors.withdrawn_nomination_of(request.user, pk)
    if withdrawn is not None:
        return render(request, "registration/nomination_withdrawn.html", {"member": withdrawn}, status=410)
    member = selectors.nomination_of(request.user, pk)
    return _register_member(request, member, user=request.user, done=None)


def _register_member(request, member, *, user, done):
    """The registration form of `member`, entered by the member (`user`) or by a focal point (None),
    who then goes back to the delegation `done`; the member goes to their registration."""
    conference = member.delegation.conference
    form = MemberRegistrationForm(request.POST or None, request.FILES or None, member=member, on_behalf=user is None)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.register(
                user=user,
                conference=conference,
                data=form.participant_data(timezone.now()),
                sessions=form.chosen_sessions,
                files=form.new_files,
                # Registered by their focal point: in the language chosen for them.
                language=get_language() if user is not None else member.language,
                member=member,
            )
        except services.AlreadyRegistered as error:
            messages.info(request, str(error))
            return redirect("registration:delegation", pk=done.pk) if done else redirect(error.participant)
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The registration is received. A confirmation email is on its way."))
            return redirect("registration:delegation", pk=done.pk) if done else redirect(participant)
    context = {"form": form, "conference": conference, "member": member, "on_behalf": user is None}
    return render(request, "registration/register.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def note_verbale(request, pk):
    """GET: the delegation's note verbale, a private download; POST: a new one."""
    delegation = selectors.own_delegation(request.user, pk)
    if request.method == "POST":
        form = NoteVerbaleForm(request.POST, request.FILES)
        if not form.is_valid():
            return delegation_detail(request, pk, note_form=form)
        services.replace_note_verbale(delegation, form.cleaned_data["note_verbale"])
        messages.success(request, _("The note verbale is received."))
        return redirect("registration:delegation", pk=delegation.pk)
    if not delegation.note_verbale:  # the address of a failed first upload, reloaded or in another language
        return redirect("registration:delegation", pk=delegation.pk)
    return note_verbale_response(delegation)


def note_verbale_response(delegation):
    """The delegation's note verbale as a private download, or 404 while there is none."""
    if not delegation.note_verbale:
        raise Http404
    return private_pdf(delegation.note_verbale, f"note-verbale-{delegation.pk}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def member_letter(request, pk, member_pk):
    """The focal point asks for a member's letter of invitation, with the member's passport details."""
    delegation = selectors.own_delegation(request.user, pk)
    member = selectors.own_member(delegation, member_pk)
    participant = member.participant
    back = redirect("registration:delegation", pk=delegation.pk)
    if participant is None or participant.status != Status.APPROVED:
        messages.error(
            request, _("A letter of invitation can be asked for once the member's registration is approved.")
        )
        return back
    try:
        services.ensure_can_ask_for_letter(participant)
    except services.RegistrationError as error:
        messages.info(request, str(error))
        return back
    form = LetterRequestForm(request.POST or None, participant=participant, on_behalf=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_letter(participant, data=form.cleaned_data)
        except services.RegistrationError as error:  # asked for meanwhile, by the member or another
            messages.info(request, str(error))
            return back
        messages.success(
            request,
            _("The request for %(name)s's letter of invitation is received. We will email them once it is ready.")
            % {"name": member.full_name},
        )
        return back
    context = {"form": form, "participant": participant, "member": member, "delegation": delegation}
    return render(request, "registration/letter_request.html", context)
