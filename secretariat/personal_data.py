"""Everything kept about a person, for their request to see their data: by registration (the
participants' admin action) or by email address (the page under the participants' admin), which also
finds what a focal point entered for someone who never registered, their designations as a focal
point, and the emails sent to that address."""

import json

from allauth.account.models import EmailAddress
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpResponse

from registration.models import DelegationMember, FocalPoint, OutgoingEmail, Participant
from secretariat.exports import COLUMNS, safe_cell


def personal_data(participant):
    """Everything kept about one person's registration, for a request to see their data."""
    record = {str(label): safe_cell(value(participant)) for label, value in COLUMNS}
    record.update(
        {
            "language": participant.language,
            "nationality_code": participant.nationality.code,
            "data_consent_at": participant.data_consent_at,
            "public_list_consent_at": participant.public_list_consent_at,
            "decision_message": participant.decision_message,
            "nomination_document": bool(participant.nomination_document),
            "photo": bool(participant.photo),
            "seat_requests": [
                {"session": request.session.title, "status": request.status, "requested_at": request.created_at}
                for request in participant.seat_requests.select_related("session")
            ],
            "emails": [
                {"subject": email.subject, "to": email.to, "sent_at": email.sent_at, "delivery": email.delivery}
                for email in participant.emails.all()
            ],
            "letter_of_invitation": letter_data(participant.letter),
            "delegation": nomination_data(getattr(participant, "delegation_member", None)),
            "messages": [
                message_received(received)
                for received in participant.messages_received.select_related("message", "email")
            ],
        }
    )
    return record


def letter_data(letter):
    """The request for a letter of invitation with the passport details it holds; None without one."""
    if letter is None:
        return None
    return {
        "reference": letter.reference,
        "status": letter.status,
        "passport_name": letter.passport_name,
        "nationality_code": letter.nationality.code,
        "passport_number": letter.passport_number,
        "passport_expires_on": letter.passport_expires_on,
        "requested_at": letter.requested_at,
        "decided_at": letter.decided_at,
        "decision_message": letter.decision_message,
    }


def nomination_data(member):
    """What a focal point entered when nominating the person to their delegation; None without it."""
    if member is None:
        return None
    return {
        "delegation": member.delegation.represents,
        "head_of_delegation": member.is_head,
        "given_name": member.given_name,
        "family_name": member.family_name,
        "email": member.email,
        "function": member.function,
        "attendance": member.attendance,
        "nominated_at": member.created_at,
        "withdrawn_at": member.withdrawn_at,
    }


def message_received(received):
    subject, body = received.text
    return {
        "subject": subject,
        "body": body,
        "language": received.language,
        "sent_at": received.message.sent_at,
        "delivery": received.status,
    }


def personal_data_response(participants):
    return json_download([personal_data(participant) for participant in participants])


def data_under_address(email):
    """Everything kept under `email`: the registrations made with it or by its account, nominations
    not registered, designations as a focal point and the other emails sent to it; None when nothing is."""
    # By any address of the account too: a person may have written from one and registered with another.
    accounts = EmailAddress.objects.filter(email__iexact=email).values("user")
    registrations = list(
        Participant.objects.filter(Q(email__iexact=email) | Q(user__in=accounts))
        .select_related("conference", "letter_request", "delegation_member__delegation")
        .order_by("conference__start_date", "pk")
    )
    # A nomination under this address whose registration was made under another is listed too; one
    # whose registration is listed above is there already.
    nominations = (
        DelegationMember.objects.filter(email__iexact=email)
        .exclude(participant__in=[registration.pk for registration in registrations])
        .select_related("delegation")
        .order_by("created_at", "pk")
    )
    focal_points = (
        FocalPoint.objects.filter(Q(email__iexact=email) | Q(user__in=accounts))
        .select_related("delegation__conference")
        .order_by("created_at", "pk")
    )
    other_emails = OutgoingEmail.objects.filter(to__iexact=email, participant__isnull=True).order_by("created_at", "pk")
    data = {
        "email": email,
        "registrations": [personal_data(participant) for participant in registrations],
        "nominations": [nomination_data(member) for member in nominations],
        "focal_point_of": [focal_point_data(focal_point) for focal_point in focal_points],
        "other_emails": [
            {"kind": sent.kind, "subject": sent.subject, "sent_at": sent.sent_at, "delivery": sent.delivery}
            for sent in other_emails
        ],
    }
    return data if any(value for key, value in data.items() if key != "email") else None


def focal_point_data(focal_point):
    return {
        "delegation": focal_point.delegation.represents,
        "conference": focal_point.delegation.conference.title,
        "email": focal_point.email,
        "language": focal_point.language,
        "designated_at": focal_point.created_at,
        "invited_at": focal_point.invited_at,
        "has_account": focal_point.user_id is not None,
    }


def json_download(data):
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    return response
