"""The token in a badge's QR code: the participant's reference, signed with the site's secret key.

Anyone can read the reference in it, nobody can make a valid one for another reference
without the key, and a scan of a tampered or invented code is refused.
"""

from django.core import signing

SALT = "registration.badge"


def badge_token(participant):
    return signing.Signer(salt=SALT).sign(participant.reference)


def reference_from_token(token):
    """The reference a badge token vouches for, or None when the token is not genuine."""
    try:
        return signing.Signer(salt=SALT).unsign(token.strip())
    except signing.BadSignature:
        return None


def looks_like_token(text):
    return signing.Signer(salt=SALT).sep in text
