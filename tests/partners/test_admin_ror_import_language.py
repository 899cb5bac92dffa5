"""The admin's ROR upload page tells why a file is refused in the admin's language.

Its messages were English f-strings: the French admin read « Rien n’a été importé :
The file holds a JSON object… ». These tests read the French of a catalogue of
their own (``french_messages``), so they pass before ``locale/fr`` holds it.
"""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Partner
from tests.partners.french_messages import FRENCH, NBSP, write_catalogue

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
IMPORT_URL = reverse("admin:partners_partner_import_ror")


def zip_of(**members: str) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for name, text in members.items():
            zipped.writestr(name, text)
    return archive.getvalue()


# (upload's name, its content, the start of the message in English, in French)
REFUSED_FILES = {
    "an empty file": (
        "ror.json",
        b" \n",
        "The file is empty; a ROR dump is a JSON array.",
        f"Le fichier est vide{NBSP}; un export ROR est un tableau JSON.",
    ),
    "no JSON": (
        "ror.csv",
        b"id,name\n",
        'The file is not valid JSON; a ROR dump is a JSON array, opened by "[" (or '
        'one record, a JSON object opened by "{").',
        f"Le fichier n’est pas un JSON valide{NBSP}; un export ROR est un tableau "
        f"JSON, ouvert par «{NBSP}[{NBSP}» (ou un seul enregistrement, un objet "
        f"JSON ouvert par «{NBSP}{{{NBSP}»).",
    ),
    # Not yajl's "parse error: premature EOF", in English in the French admin.
    "JSON cut short": (
        "ror.json",
        b'[{"id": "https://ror.org/02feahw73", "names": [',
        "Record 1: the file ends in the middle of this record: was it cut short, "
        "by a download left unfinished?",
        f"Enregistrement 1{NBSP}: le fichier s’arrête au milieu de cet "
        f"enregistrement{NBSP}: a-t-il été tronqué, par un téléchargement "
        f"inachevé{NBSP}?",
    ),
    # Cut inside a text, then a line break: the parser's words, said to be its.
    "JSON cut in a text": (
        "ror.json",
        (DATA / "malformed-truncated.json").read_bytes(),
        # One full stop, the sentence's: not the reader's too ("string.”.").
        "Record 2: the file is not valid JSON; the JSON reader says: “lexical "
        "error: invalid character inside string”.",
        f"Enregistrement 2{NBSP}: le fichier n’est pas un JSON valide{NBSP}; le "
        f"lecteur JSON indique, en anglais{NBSP}: «{NBSP}lexical error: invalid "
        f"character inside string{NBSP}».",
    ),
    "text in another encoding": (
        "ror.json",
        json.dumps([{"names": ["Université"]}], ensure_ascii=False).encode("latin-1"),
        "Record 1: the file is not UTF-8 text, as ROR's dumps are. Was it saved "
        "again in another encoding?",
        f"Enregistrement 1{NBSP}: le fichier n’est pas du texte UTF-8, comme le "
        "sont les exports de ROR. A-t-il été enregistré à nouveau dans un autre "
        f"encodage{NBSP}?",
    ),
    "a zip of two JSON files": (
        "ror.zip",
        zip_of(**{"a.json": "[]", "b.json": "[]"}),
        "The zip file ror.zip must hold one .json file; it holds 2: a.json, b.json.",
        f"Le fichier zip ror.zip doit contenir un seul fichier .json{NBSP}; il en "
        f"contient 2{NBSP}: a.json, b.json.",
    ),
    "a zip without JSON": (
        "ror.zip",
        zip_of(**{"ror-data.csv": "id,name\n"}),
        "The zip file ror.zip must hold one .json file; it holds none.",
        f"Le fichier zip ror.zip doit contenir un seul fichier .json{NBSP}; il n’en "
        "contient aucun.",
    ),
    "a bad ROR id": (
        "ror.json",
        (DATA / "malformed-bad-ror-id.json").read_bytes(),
        # The value quoted as text, not as Python writes it ('https://…').
        "Record 3, field id: “https://ror.org/tokyo-univ” is not a ROR id "
        "(https://ror.org/0…).",
        f"Enregistrement 3, champ id{NBSP}: «{NBSP}https://ror.org/tokyo-univ{NBSP}» "
        "n’est pas un identifiant ROR (https://ror.org/0…).",
    ),
    "a record without a country": (
        "ror.json",
        (DATA / "malformed-missing-country.json").read_bytes(),
        # Not "None is not an ISO 3166 country code": Python's word for nothing.
        "Record 4 (02feahw73), field locations.geonames_details.country_code: missing.",
        "Enregistrement 4 (02feahw73), champ "
        f"locations.geonames_details.country_code{NBSP}: absent.",
    ),
    "a record without an id": (
        "ror.json",
        b'[{"id": null, "names": [{"value": "CNRS", "types": ["ror_display"]}]}]',
        "Record 1: the ROR id (field id) is missing.",
        f"Enregistrement 1{NBSP}: l’identifiant ROR (champ id) manque.",
    ),
}


@pytest.fixture
def test_catalogue(settings, tmp_path):
    """The French of ``french_messages``, over the project's catalogue."""
    write_catalogue(tmp_path, FRENCH)
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]


def refusal(client, name: str, content: bytes, language: str) -> str:
    """Upload ``content`` in ``language`` and return the error the form shows."""
    response = client.post(
        IMPORT_URL,
        {"file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    (error,) = response.context["form"].errors["file"]
    return error


@pytest.mark.parametrize(
    ("name", "content", "english", "french"),
    REFUSED_FILES.values(),
    ids=REFUSED_FILES.keys(),
)
@pytest.mark.usefixtures("test_catalogue")
def test_a_refused_file_is_told_in_the_language_of_the_admin(
    admin_client, name, content, english, french
):
    in_english = refusal(admin_client, name, content, "en")
    in_french = refusal(admin_client, name, content, "fr")

    # Two sentences: "Nothing was imported: Record 1: …" read as one.
    assert in_english.startswith(f"Nothing was imported. {english}")
    assert in_french.startswith(f"Rien n’a été importé. {french}")
    assert not Partner.objects.exists()
