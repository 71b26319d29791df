"""Signed tokens in the QR codes the Secretariat prints: a badge's (the participant's reference) and a
letter of invitation's (the letter's reference), each signed with the site's secret key.

Anyone can read the reference in a token, nobody can make a valid one for another reference without
the key, and a tampered or invented code is refused. Each kind has its own salt, so that a badge's
token never passes for a letter's, nor a letter's for a badge's.
"""

from django.core import signing

SALT = "registration.badge"
LETTER_SALT = "secretariat.letter-of-invitation"


def badge_token(participant):
    return signing.Signer(salt=SALT).sign(participant.reference)


def reference_from_token(token):
    """The reference a badge token vouches for, or None when the token is not genuine."""
    return _unsign(token, SALT)


def looks_like_token(text):
    return signing.Signer(salt=SALT).sep in text


def letter_token(letter):
    return signing.Signer(salt=LETTER_SALT).sign(letter.reference)


def letter_reference_from_token(token):
    """The reference a letter of invitation's token vouches for, or None when the token is not genuine."""
    return _unsign(token, LETTER_SALT)


def _unsign(token, salt):
    try:
        return signing.Signer(salt=salt).unsign(token.strip())
    except signing.BadSignature:
        return None
