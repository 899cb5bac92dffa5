"""French typography: a no-break space before a colon, "1er" for a month's first day,
the typographic apostrophe in country names.

The separators are translatable: each test compares with the French catalogue's
text through gettext, so that it holds before and after the translation is added.
"""

import datetime
import html
import re

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst

from cnrs_intl.templatetags.cnrs_intl import long_date, lowerfirst
from partners.models import OfficeKind, PartnerKind
from partners.services import MergeReport
from programmes.models import ProgrammeKind
from tests.admin_forms import admin_url
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    TestimonyFactory,
    UnitFactory,
)
from units.models import Person, Unit

pytestmark = pytest.mark.django_db


def meta_description(client, record) -> str:
    with translation.override("fr"):
        html = client.get(record.get_absolute_url()).content.decode()
    return re.search(r'<meta name="description" content="([^"]*)"', html)[1]


def in_french(message: str, **values) -> str:
    with translation.override("fr"):
        return escape(translation.gettext(message) % values)


def test_a_units_description_puts_the_french_colon_after_its_code(client):
    # "UMI 3218: CNRS-AIST…" on /fr/units/jrl/.
    unit = UnitFactory(code="UMI 3218", name_fr="CNRS-AIST Joint Robotics Laboratory")
    with translation.override("fr"):
        kind = unit.get_kind_display()

    assert meta_description(client, unit).startswith(
        in_french(
            "%(kind)s %(code)s: %(name)s",
            kind=kind,
            code="UMI 3218",
            name="CNRS-AIST Joint Robotics Laboratory",
        )
    )


def test_a_partners_description_puts_the_french_colon_after_its_name(client):
    partner = PartnerFactory(
        name_fr="Massachusetts Institute of Technology", kind=PartnerKind.UNIVERSITY
    )

    assert meta_description(client, partner).startswith(
        in_french(
            "%(name)s: %(kind)s",
            name="Massachusetts Institute of Technology",
            kind="université",
        )
        + ", "
    )


@pytest.mark.parametrize(
    "factory", [OfficeFactory, ProgrammeFactory], ids=["office", "programme"]
)
def test_other_descriptions_put_the_french_colon_after_the_name(client, factory):
    record = factory()
    with translation.override("fr"):
        kind = record.get_kind_display()

    assert meta_description(client, record).startswith(
        in_french("%(name)s: %(kind)s", name=record.name_fr, kind=lowerfirst(kind))
    )


def test_a_projects_description_puts_the_french_colon_before_its_title(client):
    project = ProjectFactory(title_fr="Outils et stratégies")
    with translation.override("fr"):
        kind = project.get_kind_display()

    assert (
        meta_description(client, project)
        == in_french(
            "%(kind)s, %(programme)s: %(title)s",
            kind=kind,
            programme=project.programme.name_fr,
            title="Outils et stratégies",
        )
        + "."
    )


def test_a_grants_description_puts_the_french_colon_before_its_title(client):
    grant = GrantFactory(title_fr="Robots humanoïdes", call_year=2016)
    with translation.override("fr"):
        scheme = grant.get_scheme_display()

    assert (
        meta_description(client, grant)
        == in_french(
            "%(scheme)s %(year)s, %(laureate)s: %(title)s",
            scheme=scheme,
            year=2016,
            laureate=grant.laureate.full_name,
            title="Robots humanoïdes",
        )
        + "."
    )


def test_the_english_descriptions_keep_the_colon_close(client):
    partner = PartnerFactory(
        name_en="Massachusetts Institute of Technology", kind=PartnerKind.UNIVERSITY
    )
    with translation.override("en"):
        address = partner.get_absolute_url()

    html = client.get(address).content.decode()

    assert 'content="Massachusetts Institute of Technology: university, ' in html


@pytest.mark.parametrize(
    ("label", "within"),
    [
        ("Bureau à l’étranger", "bureau à l’étranger"),
        ("Office abroad", "office abroad"),
        ("Organisme de recherche", "organisme de recherche"),
        ("Université", "université"),
        # Names: an acronym first, or title case.
        ("EU framework programme", "EU framework programme"),
        ("CNRS cooperation tool", "CNRS cooperation tool"),
        (
            "International Research Laboratory (IRL, formerly UMI)",
            "International Research Laboratory (IRL, formerly UMI)",
        ),
    ],
)
def test_a_kind_within_a_sentence_starts_lower_case_unless_a_name(label, within):
    assert lowerfirst(label) == within


@pytest.mark.parametrize(
    ("language", "description"),
    [
        ("fr", "Bureau du CNRS à Tokyo\xa0: bureau à l’étranger, Tokyo, Japon. "),
        ("en", "CNRS Tokyo Office: office abroad, Tokyo, Japan. "),
    ],
)
def test_after_the_colon_a_descriptions_kind_is_lower_case(
    client, language, description
):
    # "Bureau du CNRS à Tokyo : Bureau à l’étranger, Tokyo…": a common noun.
    office = OfficeFactory(
        name_fr="Bureau du CNRS à Tokyo",
        name_en="CNRS Tokyo Office",
        city_fr="Tokyo",
        city_en="Tokyo",
        country="JP",
    )
    with translation.override(language):
        html = client.get(office.get_absolute_url()).content.decode()

    assert f'<meta name="description" content="{escape(description)}' in html


@pytest.mark.parametrize(
    ("language", "office_description", "partner_description"),
    [
        (
            "fr",
            "Bureau du CNRS à Bruxelles, antenne auprès de l’Union européenne, "
            "Bruxelles, Belgique. ",
            "Université de Tel-Aviv, Israël. ",
        ),
        (
            "en",
            "CNRS Brussels Office, branch at the European Union, Brussels, Belgium. ",
            "Tel Aviv University, Israel. ",
        ),
    ],
)
def test_a_description_does_not_repeat_the_kind_its_name_says(
    client, language, office_description, partner_description
):
    # "…branch at the European Union: Branch office at the European Union, …".
    office = OfficeFactory(
        kind=OfficeKind.EU_BRANCH,
        name_fr="Bureau du CNRS à Bruxelles, antenne auprès de l’Union européenne",
        name_en="CNRS Brussels Office, branch at the European Union",
        city_fr="Bruxelles",
        city_en="Brussels",
        country="BE",
    )
    partner = PartnerFactory(
        name_fr="Université de Tel-Aviv",
        name_en="Tel Aviv University",
        kind=PartnerKind.UNIVERSITY,
        country="IL",
    )
    with translation.override(language):
        office_html = client.get(office.get_absolute_url()).content.decode()
        partner_html = client.get(partner.get_absolute_url()).content.decode()

    described = '<meta name="description" content="{}'
    assert described.format(escape(office_description)) in office_html
    assert described.format(escape(partner_description)) in partner_html


@pytest.mark.parametrize(
    ("language", "start", "end", "period"),
    [
        ("fr", 2007, None, "depuis 2007"),
        ("en", 2007, None, "since 2007"),
        ("fr", 2007, 2013, "2007–2013"),
        ("en", 2007, 2013, "2007–2013"),
    ],
)
def test_a_programmes_description_says_its_period(client, language, start, end, period):
    # "Conseil européen de la recherche : …, 2007.": a year alone said nothing.
    programme = ProgrammeFactory(
        kind=ProgrammeKind.EU_SCHEME, start_year=start, end_year=end
    )
    with translation.override(language):
        html = client.get(programme.get_absolute_url()).content.decode()

    description = re.search(r'<meta name="description" content="([^"]*)"', html)[1]
    assert description.endswith(f", {period}.")


# The texts a page gives outside its body: the description search engines show,
# the labels and titles screen readers and tooltips read (the map's buttons are
# titled by map.js from its data-zoom-in, data-zoom-out and data-popup-close).
HIDDEN_TEXT = re.compile(
    r'<meta name="description" content="([^"]*)"'
    r"|<title>([^<]*)</title>"
    r'|\s(?:aria-label|title|alt|data-zoom-in|data-zoom-out|data-popup-close)="([^"]*)"'
)
# A colon ending a label or followed by a space, without a no-break space before it.
LOOSE_COLON = re.compile(r"[^\xa0\u202f]:(?=\s|$)")


def hidden_texts(page_html: str) -> list[str]:
    return [
        html.unescape(next(group for group in match.groups() if group is not None))
        for match in HIDDEN_TEXT.finditer(page_html)
    ]


def test_descriptions_labels_and_titles_put_the_french_colon_after_a_no_break_space(
    client,
):
    # "Japon : unités mixtes…", "Carte : emplacement de…" read in the page's source.
    unit = UnitFactory(code="UMI 3218", country="US")
    partner = PartnerFactory(country="US", kind=PartnerKind.UNIVERSITY)
    office = OfficeFactory(country="US", countries=["US", "CA"])
    AgreementFactory(office=office, countries=["US"])
    project = ProjectFactory()
    ProjectParticipantFactory(project=project, partner=partner)
    grant = GrantFactory(unit=unit, amount=2160676)
    with translation.override("fr"):
        pages = [
            "/fr/",
            "/fr/countries/",
            "/fr/countries/US/",
            "/fr/search/?q=etats-unis",
            "/fr/units/",
            "/fr/partners/",
            "/fr/partners/?country=US",
            "/fr/offices/",
            "/fr/programmes/",
            "/fr/projects/",
            "/fr/grants/",
            *(
                record.get_absolute_url()
                for record in (unit, partner, office, project.programme, project, grant)
            ),
        ]

    loose = {}
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        texts = hidden_texts(response.content.decode())
        assert texts, page
        loose[page] = [text for text in texts if LOOSE_COLON.search(text)]

    assert loose == {page: [] for page in pages}


def test_country_names_keep_the_typographic_apostrophe_in_descriptions(client):
    # Côte d'Ivoire: the United States, whose name had one, are "États-Unis" now.
    PartnerFactory(country="CI")

    texts = hidden_texts(client.get("/fr/countries/CI/").content.decode())

    named = [text for text in texts if text.startswith("Côte d’Ivoire\xa0:")]
    assert len(named) == 2  # the <title> and the description
    assert not [text for text in texts if "'" in text]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_testimonys_title_sets_the_quote_after_a_dash(language):
    # Not a colon: "Ajout : Kheddar : Pour…" on the dashboard read as a list.
    testimony = TestimonyFactory(quote="Pour la robotique humanoïde")

    with translation.override(language):
        assert str(testimony) == f"{testimony.person} — Pour la robotique humanoïde"


def test_a_merges_summary_puts_the_french_colon_after_each_kind_of_link():
    report = MergeReport(kept="MIT", merged=["M.I.T."])
    report.moved = {"agreements": 2}
    report.labels = {"agreements": "accords"}

    with translation.override("fr"):
        summary = report.summary()
        expected = translation.gettext("%(label)s: %(value)s") % {
            "label": "accords",
            "value": 2,
        }
    assert expected in summary


@pytest.mark.parametrize(
    ("language", "day", "text"),
    [
        ("fr", datetime.date(2015, 4, 1), "1er avril 2015"),
        ("fr", datetime.date(2015, 4, 2), "2 avril 2015"),
        ("fr", datetime.date(2015, 4, 11), "11 avril 2015"),
        ("en", datetime.date(2015, 4, 1), "1 April 2015"),
    ],
)
def test_a_long_date_writes_the_first_of_a_month_1er_in_french(language, day, text):
    with translation.override(language):
        assert long_date(day) == text


def test_a_missing_date_is_written_as_nothing():
    assert long_date(None) == ""


def test_a_projects_page_writes_its_start_on_the_first_1er(client):
    # "1 avril 2015" on /fr/projects/tascmar/.
    project = ProjectFactory(start_date=datetime.date(2015, 4, 1))

    html = client.get(f"/fr/projects/{project.slug}/").content.decode()

    assert '<time datetime="2015-04-01">1er avril 2015</time>' in html


def test_a_delete_page_puts_the_french_colon_after_each_unlinked_records_kind(
    admin_client,
):
    person = PersonFactory()
    unit = UnitFactory(director=person)

    page = admin_client.get(
        admin_url(Person, "delete", person.pk), HTTP_ACCEPT_LANGUAGE="fr"
    )

    [group] = page.context["unlinked_records"]
    with translation.override("fr"):
        kind = capfirst(Unit._meta.verbose_name)
        link = Unit._meta.get_field("director").verbose_name
        expected = translation.gettext("{kind}: {record} ({link})").format(
            kind=kind,
            record=f'<a href="{admin_url(Unit, "change", unit.pk)}">{unit}</a>',
            link=link,
        )
    assert group.names == [expected]


@pytest.mark.parametrize(
    ("merged", "said"),
    [
        (["M.I.T."], "M.I.T. fusionné dans MIT\u00a0; liens transférés\u00a0: aucun"),
        (
            ["M.I.T.", "MIT Boston"],
            "M.I.T., MIT Boston fusionnés dans MIT\u00a0; "
            "liens transférés\u00a0: aucun",
        ),
    ],
)
def test_a_merges_summary_agrees_with_the_number_merged(merged, said):
    # It said "fusionné(s)", and "; " without the space French puts before it.
    with translation.override("fr"):
        assert MergeReport(kept="MIT", merged=merged).summary() == said
