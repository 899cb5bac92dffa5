"""The back-office's French where Django's and django-import-export's own reads
wrong: agreements, a verbose name read as a word, straight quotes, colons.

The project's catalogue (LOCALE_PATHS) comes before every application's, Django's
included: these tests read the project's translations of those msgids.
"""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pytest_django.asserts import assertInHTML

from partners.models import Partner
from programmes.models import Project
from tests.admin_forms import admin_url
from tests.factories import (
    ProjectParticipantFactory,
    TestimonyFactory,
    UnitPartnershipFactory,
)
from units.models import Person, Unit

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
SPREADSHEET = Path(__file__).parents[1] / "data" / "spreadsheets" / "partners.csv"


def action_labels(client, model) -> dict:
    response = client.get(admin_url(model, "changelist"))
    field = response.context["action_form"].fields["action"]
    return dict(field.choices)


@pytest.mark.parametrize(
    "model, label",
    [
        (Unit, "Supprimer les unités mixtes sélectionnées"),
        (Person, "Supprimer les personnes sélectionnées"),
        # Django's own, where it agrees.
        (Partner, "Supprimer les établissements partenaires sélectionnés"),
    ],
)
def test_the_delete_action_agrees_with_the_models_name(admin_client, model, label):
    assert action_labels(admin_client, model)["delete_selected"] == label


def test_the_delete_action_keeps_djangos_words_in_english(admin_client):
    admin_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})

    assert action_labels(admin_client, Unit)["delete_selected"] == (
        "Delete selected joint units"
    )


def test_a_person_who_cannot_be_deleted_is_not_read_as_nobody(admin_client):
    # "Impossible de supprimer personne": "cannot delete anybody".
    testimony = TestimonyFactory()

    response = admin_client.get(admin_url(Person, "delete", testimony.person.pk))

    content = response.content.decode()
    assertInHTML(f"<h1>Suppression impossible{NBSP}: personne</h1>", content)
    assert "Impossible de supprimer personne" not in content
    # The testimony that protects it, with a no-break space before the colon.
    url = admin_url(type(testimony), "change", testimony.pk)
    assertInHTML(f'<li>Témoignage{NBSP}: <a href="{url}">{testimony}</a></li>', content)
    # What is to be done, where Django said the testimony "would be deleted".
    assert (
        f"Impossible de supprimer «{NBSP}{testimony.person}{NBSP}» (personne) tant "
        f"que les fiches suivantes y sont liées{NBSP}; retirez d’abord ce lien de "
        f"chacune{NBSP}:"
    ) in content
    assert "objets liés et protégés" not in content
    assert "fusionnez" not in content  # people are not merged


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "fr",
            f"Si un autre établissement partenaire le remplace, fusionnez plutôt les "
            f"deux depuis la liste des établissements partenaires{NBSP}: leurs liens "
            f"passent à celui qui est conservé.",
        ),
        (
            "en",
            "If another partner institution replaces it, merge the two from the list "
            "of partner institutions instead: their links move to the one kept.",
        ),
    ],
)
def test_a_partner_that_cannot_be_deleted_is_offered_the_merge(
    admin_client, language, said
):
    partnership = UnitPartnershipFactory()

    response = admin_client.get(
        admin_url(Partner, "delete", partnership.partner.pk),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    # Lines joined; str.split() would take the no-break spaces too.
    content = re.sub(r"[ \n]+", " ", response.content.decode())
    assert said in content
    if language == "en":
        assert (
            f"“{partnership.partner}” (partner institution) cannot be deleted while "
            "the following records are linked to it; remove the link from each of "
            "them first:"
        ) in content


def flattened(items) -> list[str]:
    """The names in Django's nested list of the records a deletion deletes."""
    names = []
    for item in items:
        names += flattened(item) if isinstance(item, list) else [str(item)]
    return names


def test_records_a_deletion_takes_along_are_named_with_the_french_colon(
    admin_client,
):
    participant = ProjectParticipantFactory()
    project = participant.project

    response = admin_client.get(admin_url(Project, "delete", project.pk))

    names = flattened(response.context["deleted_objects"])
    url = admin_url(Project, "change", project.pk)
    assert names == [
        f'Projet{NBSP}: <a href="{url}">{project}</a>',
        f"Participant au projet{NBSP}: {participant}",
    ]


def test_a_record_added_is_told_with_a_curly_apostrophe(admin_client):
    url = admin_url(Person, "add")
    response = admin_client.post(
        url,
        {"first_name": "Antoine", "last_name": "Petit", "title_fr": "PDG"},
    )

    assert response.status_code == 302
    [message] = [str(message) for message in get_messages(response.wsgi_request)]
    assert message.startswith("L’objet personne «")
    assert "'" not in message


def test_the_import_preview_quotes_its_button_in_french_quotes(admin_client):
    upload = SimpleUploadedFile("partners.csv", SPREADSHEET.read_bytes())

    response = admin_client.post(
        admin_url(Partner, "import"),
        {"resource": "0", "format": "0", "import_file": upload},
    )

    assert "confirm_form" in response.context
    content = response.content.decode()
    assert f"cliquez sur «{NBSP}Confirmer l’importation{NBSP}»" in content
    assert "'Confirmer" not in content


def test_the_projects_catalogue_comes_before_djangos():
    with translation.override("fr"):
        assert translation.gettext("Cannot delete %(name)s") == (
            f"Suppression impossible{NBSP}: %(name)s"
        )


@pytest.mark.parametrize(
    ("language", "title", "add"),
    [
        # Not "Sélectionnez l’objet unité mixte à changer", "Ajouter unité mixte".
        ("fr", "Unités mixtes", "Ajouter une unité mixte"),
        ("en", "Joint units", "Add a joint unit"),
    ],
)
def test_a_changelist_is_titled_by_its_plural_and_adds_with_an_article(
    admin_client, language, title, add
):
    response = admin_client.get(
        admin_url(Unit, "changelist"), HTTP_ACCEPT_LANGUAGE=language
    )

    page = response.content.decode()
    assertInHTML(f"<h1>{title}</h1>", page)
    assert f"<title>{title} |" in page
    assertInHTML(f'<a href="{admin_url(Unit, "add")}" class="addlink">{add}</a>', page)


def test_every_admin_names_its_add_button_with_the_models_name():
    with translation.override("en"):
        missing = [
            model._meta.label
            for model, model_admin in admin.site._registry.items()
            if not model_admin.add_label
            or str(model._meta.verbose_name) not in str(model_admin.add_label)
        ]
    assert not missing, f"no add_label, or not naming the model: {missing}"


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "fr",
            f"Cliquez sur le bouton «{NBSP}Rétablir{NBSP}» ci-dessous pour revenir à "
            "cette version de la fiche.",
        ),
        # Not simple-history's "the 'Revert' button … of the object".
        (
            "en",
            "Press the “Revert” button below to return to this version of the record.",
        ),
    ],
)
def test_a_version_page_says_how_to_revert_to_it_in_the_sites_words(
    admin_client, language, sentence
):
    testimony = TestimonyFactory()
    version = testimony.history.first()
    response = admin_client.get(
        admin_url(type(testimony), "simple_history", testimony.pk, version.pk),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assertInHTML(f"<p>{sentence}</p>", response.content.decode())
