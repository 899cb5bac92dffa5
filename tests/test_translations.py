"""The French catalogue: complete, compiled, in step with the source, and used.

The interface is written in English and French is the default language, so every
string must have a French translation. The checks read the .po file with the small
parser below (no gettext tools needed); the check against the source strings needs
xgettext, like ``makemessages`` itself, and is skipped where it is missing.
"""

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
FR_PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"
FR_MO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.mo"
# The same options as the documented makemessages command (see the README).
MAKEMESSAGES_IGNORE = [".venv", "staticfiles", "node_modules"]

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{[\w.]*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self):
        return (self.msgctxt, self.msgid, self.msgid_plural)


def _unquote(text: str) -> str:
    # A PO string is a C string literal; Python's literal syntax reads it the same way.
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """Return the live entries of a .po file: header included, obsolete ones not."""
    entries: list[Entry] = []
    entry = Entry()
    current = None  # (attribute, plural index) that a continuation line extends
    started = False

    def finish():
        nonlocal entry, started, current
        if started:
            entries.append(entry)
        entry, started, current = Entry(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue  # obsolete entry, kept by msgmerge but never used
        elif line.startswith("#,"):
            if started and entry.msgstr:
                finish()
            entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
        elif line.startswith("#"):
            if started and entry.msgstr:
                finish()
        else:
            match = re.match(
                r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(.*)$", line
            )
            if match:
                keyword, index, rest = match.groups()
                if keyword in ("msgctxt", "msgid") and entry.msgstr:
                    finish()
                if not started:
                    entry.line = number
                started = True
                value = _unquote(rest)
                if keyword == "msgstr":
                    current = ("msgstr", int(index or 0))
                    entry.msgstr[current[1]] = value
                else:
                    current = (keyword, None)
                    setattr(entry, keyword, value)
            elif line.startswith('"') and current:
                attribute, index = current
                if attribute == "msgstr":
                    entry.msgstr[index] += _unquote(line)
                else:
                    setattr(
                        entry, attribute, getattr(entry, attribute) + _unquote(line)
                    )
            else:
                raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def messages(path: Path) -> list[Entry]:
    """The translatable entries, without the header."""
    return [entry for entry in parse_po(path) if entry.msgid or entry.msgctxt]


def where(entry: Entry) -> str:
    return f"{FR_PO.name}:{entry.line} {entry.msgid!r}"


def test_the_french_catalogue_exists_and_is_not_empty():
    assert FR_PO.is_file(), "run makemessages -l fr (see the README)"
    assert len(messages(FR_PO)) > 100


def test_the_header_declares_french_utf8_and_french_plurals():
    header = next(entry for entry in parse_po(FR_PO) if not entry.msgid)
    assert "fuzzy" not in header.flags
    assert "Language: fr\n" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header.msgstr[0]


def test_every_entry_is_translated_and_none_is_fuzzy():
    fuzzy = [where(entry) for entry in messages(FR_PO) if "fuzzy" in entry.flags]
    empty = [
        where(entry)
        for entry in messages(FR_PO)
        if not entry.msgstr
        or any(not text.strip() for text in entry.msgstr.values())
        or (entry.msgid_plural is not None and sorted(entry.msgstr) != [0, 1])
    ]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not empty, f"untranslated entries: {empty}"


def test_translations_keep_the_placeholders():
    wrong = []
    for entry in messages(FR_PO):
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        plural = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for index, text in entry.msgstr.items():
            found = sorted(PLACEHOLDER.findall(text))
            # French uses the singular for 0 and 1, where the count may be left out.
            if found != (plural if index else expected) and not (
                index == 0 and entry.msgid_plural and set(found) <= set(expected)
            ):
                wrong.append(where(entry))
    assert not wrong, f"placeholders differ: {wrong}"


def test_french_punctuation_keeps_to_its_word_with_a_non_breaking_space():
    # French puts a space before : ; ? ! » and after «; a plain one lets a line
    # break before the colon. Half the catalogue had one, half the other.
    plain = re.compile(r"\S [:;?!»]|« ")
    loose = [
        where(entry)
        for entry in messages(FR_PO)
        if any(plain.search(text) for text in entry.msgstr.values())
    ]
    assert not loose, f"plain spaces in French punctuation: {loose}"


def test_french_names_both_genders_in_words_not_with_a_middle_dot():
    # Screen readers spell "Lauréat·e" out letter by letter: "lauréat ou lauréate",
    # "lauréates et lauréats" (the home page) or an epicene word ("titulaire").
    dotted = re.compile(r"\w·\w")
    found = [
        where(entry)
        for entry in messages(FR_PO)
        if any(dotted.search(text) for text in entry.msgstr.values())
    ]
    assert not found, f"middle dots inside words: {found}"


def test_the_compiled_catalogue_matches_the_po_file():
    assert FR_MO.is_file(), "run compilemessages (see the README)"
    with FR_MO.open("rb") as handle:
        catalogue = dict(gettext.GNUTranslations(handle)._catalog)
    catalogue.pop("", None)  # the header
    expected = {}
    for entry in messages(FR_PO):
        msgid = (
            entry.msgid
            if entry.msgctxt is None
            else f"{entry.msgctxt}\x04{entry.msgid}"
        )
        if entry.msgid_plural is None:
            expected[msgid] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                expected[(msgid, index)] = text
    stale = sorted(str(key) for key in expected if catalogue.get(key) != expected[key])
    extra = sorted(str(key) for key in catalogue if key not in expected)
    assert not stale and not extra, (
        "django.mo is out of date; run compilemessages. "
        f"Differs: {stale[:10]}; only in the .mo: {extra[:10]}"
    )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_the_catalogue_has_every_source_string_and_no_stale_one(
    tmp_path, monkeypatch, settings
):
    """Run makemessages on a copy of the project and compare the message lists."""
    copy = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "node_modules",
            "staticfiles",
            "static",
            "__pycache__",
            ".*_cache",
            "*.sqlite3",
            "*.egg-info",
            "*.mo",
        ),
    )
    monkeypatch.chdir(copy)
    settings.LOCALE_PATHS = [copy / "locale"]
    call_command(
        "makemessages",
        locale=["fr"],
        ignore_patterns=MAKEMESSAGES_IGNORE,
        add_location="file",
        verbosity=0,
    )
    fresh = {
        entry.key for entry in messages(copy / FR_PO.relative_to(settings.BASE_DIR))
    }
    committed = {entry.key for entry in messages(FR_PO)}
    assert fresh == committed, (
        "the catalogue is not in step with the source; run makemessages -l fr and "
        f"translate. New: {sorted(map(str, fresh - committed))}; "
        f"gone: {sorted(map(str, committed - fresh))}"
    )


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("Skip to content", "Aller au contenu"),
        ("Page not found", "Page introuvable"),
        ("Draft", "Brouillon"),
        ("Published", "Publié"),
        (
            'Last updated: <time datetime="%(iso)s">%(date)s</time>',
            'Dernière mise à jour\u00a0: <time datetime="%(iso)s">%(date)s</time>',
        ),
        ("joint unit", "unité mixte"),
        ("partner institution", "établissement partenaire"),
        ("CNRS office abroad", "bureau du CNRS à l’étranger"),
        ("key figure", "chiffre clé"),
        ("testimony", "témoignage"),
        ("PE1 Mathematics", "PE1 Mathématiques"),
        (
            "International Research Laboratory (IRL, formerly UMI)",
            "Laboratoire de recherche international (IRL, anciennement UMI)",
        ),
    ],
)
def test_key_strings_read_in_french(english, french):
    with translation.override("fr"):
        assert translation.gettext(english) == french
    with translation.override("en"):
        assert translation.gettext(english) == english


def test_french_plurals_use_the_singular_for_zero_and_one():
    singular, plural = "%(count)d record published.", "%(count)d records published."
    with translation.override("fr"):
        assert translation.ngettext(singular, plural, 0) % {"count": 0} == (
            "0 fiche publiée."
        )
        assert translation.ngettext(singular, plural, 1) % {"count": 1} == (
            "1 fiche publiée."
        )
        assert translation.ngettext(singular, plural, 2) % {"count": 2} == (
            "2 fiches publiées."
        )


def test_model_labels_and_choices_are_french():
    from partners.publication import PublicationStatus
    from units.models import Unit, UnitKind

    with translation.override("fr"):
        assert str(Unit._meta.verbose_name) == "unité mixte"
        assert str(Unit._meta.verbose_name_plural) == "unités mixtes"
        assert str(PublicationStatus.DRAFT.label) == "Brouillon"
        assert str(UnitKind.UMIFRE.label) == (
            "Unité mixte des instituts français de recherche à l’étranger (Umifre)"
        )


@pytest.mark.django_db
def test_the_home_page_speaks_the_language_of_its_address(client):
    french = client.get("/fr/").content.decode()
    assert "Aller au contenu" in french
    assert "Le CNRS à l’étranger" in french
    assert "Skip to content" not in french
    english = client.get("/en/").content.decode()
    assert "Skip to content" in english
    assert "Aller au contenu" not in english


@pytest.mark.django_db
def test_the_admin_is_french_by_default(client):
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "espace de gestion de la DERCI" in page
