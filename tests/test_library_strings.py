"""Every library text we translate ourselves (config/library_strings.py) is still a text of its library:
when allauth or Django rewords one, this fails, and the list is brought up to date."""

import ast
import pathlib

import allauth
import django
import polib
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
KEYWORDS = {
    "gettext_noop": (None, 0, None),
    "pgettext_lazy": (0, 1, None),
    "ngettext_lazy": (None, 0, 1),
    "npgettext_lazy": (0, 1, 2),
}


def listed(name):
    """(context, msgid, plural) of each text in the list `name` of config/library_strings.py."""
    module = ast.parse((ROOT / "config" / "library_strings.py").read_text(encoding="utf-8"))
    assignment = next(node for node in module.body if isinstance(node, ast.Assign) and node.targets[0].id == name)
    texts = []
    for call in assignment.value.elts:
        context, msgid, plural = KEYWORDS[call.func.id]
        arguments = [argument.value for argument in call.args]
        texts.append(
            (
                arguments[context] if context is not None else "",
                arguments[msgid],
                arguments[plural] if plural is not None else "",
            )
        )
    return texts


def library_texts(package):
    root = pathlib.Path(package.__file__).parent
    catalogues = [root / "locale"]
    if package is django:  # its forms' texts, django.contrib.auth's (the password validators) and the admin's
        catalogues = [
            root / "conf" / "locale",
            root / "contrib" / "auth" / "locale",
            root / "contrib" / "admin" / "locale",
        ]
    return {
        (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")
        for catalogue in catalogues
        for entry in polib.pofile(str(catalogue / "fr" / "LC_MESSAGES" / "django.po"))
    }


@pytest.mark.parametrize(("name", "package"), [("ALLAUTH", allauth), ("DJANGO", django)])
def test_library_texts_we_translate_are_still_the_librarys(name, package):
    texts = listed(name)

    assert [text for text in texts if text not in library_texts(package)] == []
    assert len(texts) == len(set(texts)) > 5
