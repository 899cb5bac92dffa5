"""French translations of the ROR import's and the ROR id field's messages.

``test_catalogue`` puts them in a catalogue of the test's own, over the project's:
the tests that read them so pass before ``locale/fr`` holds them, and check that the
messages are translated in the request's language. The same translations belong in
``locale/fr`` (test_admin_french_catalogue.py checks them there).
"""

import struct
from pathlib import Path

NBSP = "\u00a0"

FRENCH = {
    "Record %(position)d": "Enregistrement %(position)d",
    "Record %(position)d (%(ror_id)s)": "Enregistrement %(position)d (%(ror_id)s)",
    "%(record)s, field %(field)s": "%(record)s, champ %(field)s",
    "%(where)s: %(problem)s": f"%(where)s{NBSP}: %(problem)s",
    "the file is not UTF-8 text, as ROR's dumps are. Was it saved again in another "
    "encoding?": "le fichier n’est pas du texte UTF-8, comme le sont les exports de "
    f"ROR. A-t-il été enregistré à nouveau dans un autre encodage{NBSP}?",
    "the file ends in the middle of this record: was it cut short, by a download "
    "left unfinished?": "le fichier s’arrête au milieu de cet enregistrement"
    f"{NBSP}: a-t-il été tronqué, par un téléchargement inachevé{NBSP}?",
    "the file is not valid JSON; the JSON reader says: “%(error)s”.": (
        f"le fichier n’est pas un JSON valide{NBSP}; le lecteur JSON indique, en "
        f"anglais{NBSP}: «{NBSP}%(error)s{NBSP}»."
    ),
    "“%(text)s”": f"«{NBSP}%(text)s{NBSP}»",
    "missing.": "absent.",
    "the ROR id (field id) is missing.": "l’identifiant ROR (champ id) manque.",
    "%(value)s is not a ROR id (https://ror.org/0…).": (
        "%(value)s n’est pas un identifiant ROR (https://ror.org/0…)."
    ),
    "%(value)s is not an ISO 3166 country code.": (
        "%(value)s n’est pas un code de pays ISO 3166."
    ),
    "The zip file %(name)s must hold one .json file; it holds none.": (
        f"Le fichier zip %(name)s doit contenir un seul fichier .json{NBSP}; il "
        "n’en contient aucun."
    ),
    "The zip file %(name)s must hold one .json file; it holds %(count)d: "
    "%(members)s.": f"Le fichier zip %(name)s doit contenir un seul fichier "
    f".json{NBSP}; il en contient %(count)d{NBSP}: %(members)s.",
    "The file is empty; a ROR dump is a JSON array.": (
        f"Le fichier est vide{NBSP}; un export ROR est un tableau JSON."
    ),
    'The file is not valid JSON; a ROR dump is a JSON array, opened by "[" (or '
    'one record, a JSON object opened by "{").': (
        f"Le fichier n’est pas un JSON valide{NBSP}; un export ROR est un tableau "
        f"JSON, ouvert par «{NBSP}[{NBSP}» (ou un seul enregistrement, un objet JSON "
        f"ouvert par «{NBSP}{{{NBSP}»)."
    ),
    "“%(value)s” is not a ROR id: write its nine characters (02feahw73) or paste "
    "its link (https://ror.org/02feahw73).": f"«{NBSP}%(value)s{NBSP}» n’est pas "
    f"un identifiant ROR{NBSP}: écrivez ses neuf caractères (02feahw73) ou collez "
    "son lien (https://ror.org/02feahw73).",
    "The nine characters after https://ror.org/, e.g. 02feahw73, or the whole "
    "link.": "Les neuf caractères qui suivent https://ror.org/, p. ex. 02feahw73, "
    "ou le lien entier.",
}


def write_catalogue(locale_dir: Path, messages: dict[str, str]) -> None:
    """Write ``messages`` as the French catalogue of ``locale_dir``, as msgfmt would.

    A GNU .mo file: a header, the originals' table, the translations' table (length
    and offset of each string), then the strings, each ended by a NUL.
    """
    entries = sorted(
        {"": "Content-Type: text/plain; charset=UTF-8\n", **messages}.items()
    )
    strings = [text.encode() for text, _ in entries]
    strings += [translation.encode() for _, translation in entries]
    header_size, count = 7 * 4, len(entries)
    offset = header_size + 2 * 8 * count
    tables, data = b"", b""
    for string in strings:
        tables += struct.pack("<2I", len(string), offset + len(data))
        data += string + b"\0"
    header = struct.pack(
        "<7I", 0x950412DE, 0, count, header_size, header_size + 8 * count, 0, 0
    )
    path = locale_dir / "fr" / "LC_MESSAGES" / "django.mo"
    path.parent.mkdir(parents=True)
    path.write_bytes(header + tables + data)
