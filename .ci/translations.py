"""The site's translation catalogues: update them from the code, compile them, check them.

    python .ci/translations.py update    # `make messages`: new strings in, stale ones out
    python .ci/translations.py compile   # `make compilemessages`: the .mo files beside the .po files
    python .ci/translations.py check     # `make messages-check`, run by CI

The check fails when, in any of the five catalogues, a string has no translation (or a
plural form is missing), a translation is marked fuzzy, the catalogue is out of date with
the code (a string the code uses is missing, or a string the code no longer uses is kept),
or the compiled .mo does not hold exactly what its .po says. It needs GNU gettext
(xgettext, msgmerge, msgfmt), as Django's makemessages does.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ["ar", "zh_Hans", "fr", "ru", "es"]
MAKEMESSAGES = [
    "makemessages",
    *(f"--locale={locale}" for locale in LOCALES),
    "--add-location=file",  # no line numbers: a catalogue changes only when its strings do
    "--no-obsolete",
    "--ignore=.venv/*",
    "--ignore=bench/*",
    "--ignore=tests/*",
    "--ignore=staticfiles/*",
]


def catalogue(root, locale):
    return root / "locale" / locale / "LC_MESSAGES" / "django.po"


def manage(root, *arguments):
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=root, check=True, stdout=subprocess.DEVNULL)


def update():
    manage(ROOT, *MAKEMESSAGES)


def compile_():
    manage(ROOT, "compilemessages", "--ignore=.venv", "--ignore=staticfiles")


def key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def translations(entries):
    """{(context, msgid, plural msgid): the translation or its plural forms}, for comparing .po and .mo."""
    return {
        key(entry): tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
        if entry.msgid_plural
        else entry.msgstr
        for entry in entries
        if entry.msgid
    }


def problems_in(po_path, fresh_keys):
    po = polib.pofile(str(po_path))
    name = po_path.relative_to(ROOT)
    found = []
    plural_forms = int(po.metadata.get("Plural-Forms", "nplurals=0").split("nplurals=")[1].split(";")[0])
    for entry in po:
        if entry.msgid_plural:
            missing = [n for n in range(plural_forms) if not entry.msgstr_plural.get(n)]
            if missing:
                found.append(f"{name}: plural forms {missing} of {entry.msgid!r} are not translated")
        elif not entry.msgstr:
            found.append(f"{name}: {entry.msgid!r} is not translated")
        if "fuzzy" in entry.flags:
            found.append(f"{name}: {entry.msgid!r} is marked fuzzy")
    if "fuzzy" in po.metadata_as_entry().flags:
        found.append(f"{name}: the header is marked fuzzy (its plural forms would be ignored)")
    for entry in po.obsolete_entries():
        found.append(f"{name}: {entry.msgid!r} is kept but no longer used (#~)")
    keys = {key(entry) for entry in po if entry.msgid}
    found += [
        f"{name}: {msgid!r} is used by the code but missing: run `make messages`"
        for _, msgid, _ in sorted(fresh_keys - keys, key=str)
    ]
    found += [
        f"{name}: {msgid!r} is no longer used by the code: run `make messages`"
        for _, msgid, _ in sorted(keys - fresh_keys, key=str)
    ]
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        found.append(f"{mo_path.relative_to(ROOT)} is missing: run `make compilemessages`")
    elif translations(polib.mofile(str(mo_path))) != translations(po.translated_entries()):
        found.append(f"{mo_path.relative_to(ROOT)} does not match its .po: run `make compilemessages`")
    return found


def fresh_catalogue_keys():
    """The strings the code uses today: makemessages run on a copy of the tracked files."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder)
        for name in filter(None, tracked.decode().split("\0")):
            if (ROOT / name).is_file():
                (copy / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, copy / name)
        manage(copy, *MAKEMESSAGES)
        return {locale: {key(e) for e in polib.pofile(str(catalogue(copy, locale))) if e.msgid} for locale in LOCALES}


def check():
    fresh = fresh_catalogue_keys()
    found = [problem for locale in LOCALES for problem in problems_in(catalogue(ROOT, locale), fresh[locale])]
    for problem in found:
        print(problem, file=sys.stderr)
    counts = {locale: len(fresh[locale]) for locale in LOCALES}
    print(f"{'Problems: ' + str(len(found)) if found else 'Translations complete'} ({counts} strings).")
    return 1 if found else 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    actions = {"update": update, "compile": compile_, "check": check}
    if command not in actions:
        sys.exit(__doc__)
    sys.exit(actions[command]() or 0)
