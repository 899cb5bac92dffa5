"""Saving a public record with a text in one language only warns, and saves.

Visitors reading the other language see the text in the language it was written in
meanwhile, and the dashboard lists the record until it is translated: the admin says
so on saving (``TranslationGapAdmin``), in the staff's language.
"""

import pytest
from django.conf import settings
from django.contrib.messages import WARNING

from cnrs_intl.models import KeyFigure
from partners.admin_records import MISSING_LANGUAGE_WARNINGS
from partners.models import Partner
from partners.publication import PublicationStatus
from programmes.models import Grant
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    GrantFactory,
    KeyFigureFactory,
    PartnerFactory,
    PersonFactory,
    UnitFactory,
)
from units.models import Person, Unit

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"

# What the warning says, in each of the admin's languages.
NO_ENGLISH = {
    "fr": "Cette fiche publiée n’a pas de texte en anglais pour"
    f"{NBSP}: %s. Les visiteurs qui lisent l’anglais voient le texte français à "
    "la place.",
    "en": "This published record has no English text for: %s. Visitors reading "
    "English see the French text instead.",
}
NO_FRENCH = {
    "fr": "Cette fiche publiée n’a pas de texte en français pour"
    f"{NBSP}: %s. Les visiteurs qui lisent le français voient le texte anglais à "
    "la place.",
    "en": "This published record has no French text for: %s. Visitors reading "
    "French see the English text instead.",
}


def save(client, record, language, **changes):
    """Save ``record``'s change form with ``changes``, the admin in ``language``;
    return the messages of the page it leads to, as (level, text)."""
    url = admin_url(type(record), "change", record.pk)
    data = {**form_data(client.get(url, HTTP_ACCEPT_LANGUAGE=language)), **changes}
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert response.status_code == 200
    assert "adminform" not in response.context, "the form was refused"
    return [(m.level, str(m)) for m in response.context["messages"]]


def warnings(messages) -> list[str]:
    return [text for level, text in messages if level == WARNING]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_published_partner_saved_without_its_english_name_warns_and_is_saved(
    admin_client, language
):
    partner = PartnerFactory(name_fr="Université de Bordeaux", name_en="")

    messages = save(admin_client, partner, language, city_en="")

    name, city = {"fr": ("nom", "ville"), "en": ("name", "city")}[language]
    assert warnings(messages) == [NO_ENGLISH[language] % f"{name}, {city}"]
    # Said after Django's own message: the record was saved.
    assert messages[0][0] != WARNING
    partner.refresh_from_db()
    assert partner.city_fr == "Tokyo" and not partner.city_en


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_published_grant_saved_without_its_french_title_warns(admin_client, language):
    grant = GrantFactory(title_fr="", title_en="Funded project")

    messages = save(admin_client, grant, language, summary_fr="Un résumé.")

    title, summary = {
        "fr": ("titre du projet", "résumé"),
        "en": ("project title", "summary"),
    }[language]
    assert warnings(messages) == [
        NO_FRENCH[language] % title,
        NO_ENGLISH[language] % summary,
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_unit_saved_as_published_without_an_english_description_warns(
    admin_client, language
):
    unit = UnitFactory(
        publication_status=PublicationStatus.DRAFT,
        description_en="",
    )

    # "Save and publish": the record becomes published on this save.
    messages = save(admin_client, unit, language, _publish="1")

    description = {"fr": "description", "en": "description"}[language]
    assert warnings(messages) == [NO_ENGLISH[language] % description]
    assert Unit.objects.get(pk=unit.pk).is_published


@pytest.mark.parametrize(
    ("language", "field"),
    [
        ("fr", "titre de la direction dans cette unité"),
        ("en", "director’s title at this unit"),
    ],
)
def test_a_units_director_title_in_french_only_warns(admin_client, language, field):
    unit = UnitFactory()

    messages = save(
        admin_client, unit, language, director_title_fr="Directeur par intérim"
    )

    assert warnings(messages) == [NO_ENGLISH[language] % field]
    assert Unit.objects.get(pk=unit.pk).director_title_fr == "Directeur par intérim"


def test_a_key_figure_added_as_published_without_its_english_label_warns(
    admin_client,
):
    url = admin_url(KeyFigure, "add")
    data = {
        **form_data(admin_client.get(url)),
        "value": "4000",
        "label_fr": "chercheurs étrangers dans les laboratoires du CNRS",
        "year": "2016",
        "publication_status": PublicationStatus.PUBLISHED,
    }

    response = admin_client.post(url, data, follow=True)

    assert [str(m) for m in response.context["messages"]][1:] == [
        NO_ENGLISH["fr"] % "libellé"
    ]
    assert not KeyFigure.objects.get().label_en


def test_a_draft_with_a_text_in_one_language_is_saved_without_a_warning(
    admin_client,
):
    partner = PartnerFactory(name_en="", publication_status=PublicationStatus.DRAFT)

    assert warnings(save(admin_client, partner, "en")) == []


def test_a_published_record_with_both_languages_is_saved_without_a_warning(
    admin_client,
):
    assert warnings(save(admin_client, KeyFigureFactory(), "en")) == []
    assert warnings(save(admin_client, PartnerFactory(), "fr")) == []


def test_a_person_is_public_once_a_published_record_shows_them(admin_client):
    person = PersonFactory(title_en="")
    assert warnings(save(admin_client, person, "en")) == []

    UnitFactory(director=person)

    assert warnings(save(admin_client, person, "en")) == [
        NO_ENGLISH["en"] % "title or role"
    ]
    assert not Person.objects.get(pk=person.pk).title_en


def test_the_publish_action_counts_the_records_it_publishes_in_one_language(
    admin_client,
):
    drafts = [
        PartnerFactory(publication_status=PublicationStatus.DRAFT, name_en=""),
        PartnerFactory(publication_status=PublicationStatus.DRAFT, city_fr=""),
        PartnerFactory(publication_status=PublicationStatus.DRAFT),
    ]
    # Published before: the action does not publish it, nor count it.
    published = PartnerFactory(name_en="")

    response = admin_client.post(
        admin_url(Partner, "changelist"),
        {
            "action": "publish_selected",
            "post": "yes",
            "_selected_action": [p.pk for p in [*drafts, published]],
        },
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "3 records published.",
        "2 records published have a text in one language only: the dashboard lists "
        "them until they are translated.",
    ]


def test_every_language_of_the_site_has_its_warning():
    assert set(MISSING_LANGUAGE_WARNINGS) == {code for code, _ in settings.LANGUAGES}


def test_a_popup_saves_without_a_warning(admin_client):
    grant = GrantFactory(title_en="")
    url = admin_url(Grant, "change", grant.pk)
    data = {**form_data(admin_client.get(url)), "_popup": "1"}

    admin_client.post(url, data)

    assert (
        warnings(
            (m.level, str(m))
            for m in admin_client.get(admin_url(Grant, "changelist")).context[
                "messages"
            ]
        )
        == []
    )
