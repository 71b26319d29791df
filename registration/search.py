"""Finding people by name as the desk types it: without regard to case, accents or width, and in
Latin letters for names written in other scripts.

A participant's names are folded once, when saved, into `Participant.search_name`; what is typed is
folded the same way, so a search is a plain substring match on one column, in one query.
"""

import unicodedata

from anyascii import anyascii
from django.db.models import Q


def folded(text):
    """`"Ōtsuka"`, `"ＯＴＳＵＫＡ"`, `"otsuka"` → `"otsuka"`: compatibility forms (full-width letters,
    ligatures) replaced, combining marks (accents, Arabic vowel signs) dropped, case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _latin(text):
    """The name in Latin letters: "王小明" → "wangxiaoming", "Иван" → "ivan", "Ōtsuka" → "otsuka"."""
    return folded(anyascii(text))


def search_name(given_name, family_name):
    """What a name search looks in: the names as written and in Latin letters, word by word and run
    together (Chinese names are written without spaces, and their transliteration runs the syllables
    together: "王小明" → "WangXiaoMing", which "Wang Xiaoming" and "wangxiaoming" both find)."""
    names = f"{given_name} {family_name}"
    forms = [folded(names), _latin(names)]
    forms += ["".join(form.split()) for form in forms]
    forms.append("".join(_latin(family_name + given_name).split()))  # family name first, as often said
    return " ".join(dict.fromkeys(form for form in forms if form.strip()))


def matches_name(typed):
    """People whose names contain every word typed, in any order, each word folded as names are.
    A word that transliterates differently (typed in another script) may match either way."""
    condition = Q()
    for word in typed.split():
        word_forms = {folded(word), "".join(_latin(word).split())} - {""}
        either = Q()
        for form in word_forms:
            either |= Q(search_name__contains=form)
        condition &= either
    return condition
