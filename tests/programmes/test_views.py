"""Grants, projects and programmes pages: wiring, bad input, drafts, chart, queries."""

import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from programmes.filters import call_year_choices, programme_choices
from programmes.models import GrantScheme
from programmes.views import DETAIL_SAMPLE_SIZE
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    PartnerFactory,
    PersonFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def url(name, language="fr", **kwargs):
    with translation.override(language):
        return reverse(f"programmes:{name}", kwargs=kwargs or None)


def record_url(record, language="fr"):
    with translation.override(language):
        return record.get_absolute_url()


def html_of(response) -> str:
    return response.content.decode()


def collapse(html: str) -> str:
    return re.sub(r"\s+", " ", html)


# --- Grants list -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "path"), [("fr", "/fr/grants/"), ("en", "/en/grants/")]
)
def test_grant_list_lives_under_each_language(language, path):
    assert url("grant-list", language) == path


@pytest.mark.parametrize("language", ["fr", "en"])
def test_grant_list_shows_published_grants(client, language):
    GrantFactory(
        acronym="ICECUBE",
        title_fr="Étude des glaciers",
        title_en="Glacier study",
        laureate=PersonFactory(first_name="Hélène", last_name="Lefèvre"),
        institute=InstituteFactory(code="INSU"),
    )
    GrantFactory(acronym="SECRET", publication_status="draft")

    response = client.get(url("grant-list", language))

    html = html_of(response)
    assert response.status_code == 200
    assert "ICECUBE" in html
    assert "Hélène Lefèvre" in html
    assert ("Étude des glaciers" if language == "fr" else "Glacier study") in html
    assert ">INSU</abbr>" in html
    assert "SECRET" not in html
    assert f'<html lang="{language}">' in html
    assert "<caption" in html and 'scope="col"' in html


def test_grants_of_the_same_call_and_acronym_are_listed_by_id(client):
    # Ordered by call and acronym alone, a page break between such grants could
    # show one twice and another never (the database may give ties in any order).
    twins = [GrantFactory(acronym="TWIN", call_year=2020) for _ in range(3)]

    response = client.get(url("grant-list"))

    listed = list(response.context["object_list"])
    assert listed == sorted(twins, key=lambda grant: grant.pk)
    sql = str(response.context["object_list"].query)
    assert sql.endswith('"programmes_grant"."id" ASC'), sql


def test_grant_list_shows_each_scheme_as_a_badge_of_its_family(client):
    GrantFactory(acronym="ICECUBE", scheme="erc_stg")
    GrantFactory(acronym="MOBILE", scheme="msca_pf", panel="")
    html = html_of(client.get(url("grant-list", "en")))
    assert (
        '<span class="grant-badge grant-badge--erc">ERC Starting Grant (StG)</span>'
        in html
    )
    assert '<span class="grant-badge grant-badge--msca">MSCA Postdoctoral' in html


def test_grant_list_marks_a_title_shown_in_the_other_language(client):
    GrantFactory(title_fr="", title_en="Quantum materials")

    html = html_of(client.get(url("grant-list", "fr")))

    assert '<span class="data-table__detail" lang="en">Quantum materials' in html


def test_grant_list_filters_by_scheme(client):
    GrantFactory(acronym="STARTING", scheme=GrantScheme.ERC_STG)
    GrantFactory(acronym="FELLOW", scheme=GrantScheme.MSCA_PF, panel="")

    html = html_of(client.get(url("grant-list"), {"scheme": "msca_pf"}))

    assert "FELLOW" in html
    assert "STARTING" not in html


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "1850"},
        {"scheme": "nope"},
        {"family": "fp7"},
        {"institute": "NOPE"},
        {"panel": "PE99"},
        {"ordering": "salary"},
        {"page": "abc"},
        {"page": "999"},
        {"since": "1850"},
        {"until": "abc"},
        {"since": "2019", "until": "2016"},
    ],
)
def test_grant_list_answers_bad_input_with_a_400_and_the_error(client, query):
    GrantFactory()

    response = client.get(url("grant-list"), query)

    assert response.status_code == 400
    assert 'class="form-errors" role="alert"' in html_of(response)


def test_grant_list_with_an_invalid_filter_has_no_empty_results_section(client):
    GrantFactory()

    invalid = html_of(client.get(url("grant-list"), {"panel": "PE99"}))
    past_the_end = html_of(client.get(url("grant-list"), {"page": "999"}))

    # The alert says why nothing is listed; an empty "Results" heading said nothing.
    assert 'id="grants-results-title"' not in invalid
    # A page that does not exist shows the first one, under its heading.
    assert 'id="grants-results-title"' in past_the_end


def test_grant_list_ignores_unknown_parameters(client):
    GrantFactory(acronym="ANY")

    response = client.get(url("grant-list"), {"utm_source": "newsletter"})

    assert response.status_code == 200
    assert "ANY" in html_of(response)


def test_grant_list_without_grants_reads_well(client):
    response = client.get(url("grant-list", "en"))

    html = html_of(response)
    assert response.status_code == 200
    assert "No grant has been published yet." in html
    assert "year-chart" not in html


def test_grant_list_says_when_no_grant_matches(client):
    GrantFactory(call_year=2016)

    html = html_of(client.get(url("grant-list", "en"), {"year": "2020"}))

    assert "No grant matches these filters." in html


def test_grant_list_page_links_keep_the_filters(client):
    for _ in range(21):
        GrantFactory(call_year=2018)

    html = html_of(client.get(url("grant-list"), {"year": "2018"}))

    assert 'href="?year=2018&amp;page=2"' in html


def make_chart_grants():
    GrantFactory(call_year=2016, scheme=GrantScheme.ERC_STG)
    GrantFactory(call_year=2016, scheme=GrantScheme.ERC_ADG)
    GrantFactory(call_year=2019, scheme=GrantScheme.ERC_STG)
    GrantFactory(call_year=2016, scheme=GrantScheme.MSCA_PF, panel="")
    GrantFactory(call_year=2018, scheme=GrantScheme.MSCA_PF, panel="")
    GrantFactory(call_year=2016, publication_status="draft")


def chart_numbers(response) -> list[tuple[int, int]]:
    return [
        (bar["year"], bar["count"]) for bar in response.context["year_chart"]["bars"]
    ]


def test_chart_counts_every_published_grant_per_year(client):
    make_chart_grants()

    response = client.get(url("grant-list"))

    # 2017 drawn empty: 2016 and 2018 side by side read as a continuous series.
    assert chart_numbers(response) == [(2016, 3), (2017, 0), (2018, 1), (2019, 1)]
    assert response.context["year_chart"]["total"] == 5


def test_chart_counts_the_filtered_grants_only(client):
    make_chart_grants()

    response = client.get(url("grant-list"), {"family": "erc"})

    assert chart_numbers(response) == [(2016, 2), (2017, 0), (2018, 0), (2019, 1)]
    assert response.context["result_count"] == 3


@pytest.mark.parametrize("name", ["grant-list", "project-list"])
def test_lists_offer_the_period_in_both_languages(client, name):
    """The select's choices: what is ongoing, completed or not started yet."""
    for language, choices in (
        ("en", ["Any period", "Ongoing", "Completed", "Not started yet"]),
        ("fr", ["Toutes les périodes", "En cours", "Terminés", "Pas encore commencés"]),
    ):
        response = client.get(url(name, language), {"period": "completed"})
        assert response.status_code == 200
        html = html_of(response)
        options = re.findall(
            r"<option value=\"([^\"]*)\"[^>]*>([^<]*)</option>",
            html[html.index('name="period"') :],
        )[:4]
        assert [label for _value, label in options] == choices
        assert '<option value="completed" selected>' in html


def test_grant_list_and_chart_keep_a_span_of_call_years(client):
    make_chart_grants()

    response = client.get(url("grant-list", "en"), {"since": "2017"})

    assert chart_numbers(response) == [(2018, 1), (2019, 1)]
    assert response.context["result_count"] == 2
    html = html_of(response)
    assert '<option value="2017" selected>2017</option>' in html


@pytest.mark.parametrize(
    ("language", "message", "title"),
    [
        (
            "en",
            "The first call year (2019) comes after the last (2016).",
            "Error: ERC and MSCA grants – since 2019, until 2016 – CNRS",
        ),
        (
            "fr",
            "La première année d’appel (2019) vient après la dernière (2016).",
            "Erreur : Financements ERC et MSCA – depuis 2019, jusqu’en 2016 – CNRS",
        ),
    ],
)
def test_grant_list_says_a_span_runs_backwards(client, language, message, title):
    GrantFactory(call_year=2018)

    response = client.get(
        url("grant-list", language), {"since": "2019", "until": "2016"}
    )

    assert response.status_code == 400
    assert message in html_of(response)
    # Its title keeps each end worded, not a span "2019–2016".
    assert title_of(response).replace("\u00a0", " ") == title
    # Both years are said wrong, by that message, to a screen reader on each.
    html = html_of(response)
    assert '<div class="form-errors" role="alert" id="filter-errors">' in html
    for name in ("since", "until"):
        [select] = re.findall(rf'<select name="{name}"[^>]*>', html)
        assert 'aria-invalid="true"' in select
        assert 'aria-describedby="filter-errors"' in select
    [year] = re.findall(r'<select name="year"[^>]*>', html)
    assert "aria-invalid" not in year


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The call year (2015) comes before the first (2016)."),
        ("fr", "L’année d’appel (2015) vient avant la première (2016)."),
    ],
)
def test_grant_list_refuses_a_year_outside_its_span(client, language, message):
    GrantFactory(call_year=2015)

    response = client.get(
        url("grant-list", language), {"year": "2015", "since": "2016"}
    )

    assert response.status_code == 400
    assert message in html_of(response)
    for name in ("year", "since"):
        [select] = re.findall(rf'<select name="{name}"[^>]*>', html_of(response))
        assert 'aria-describedby="filter-errors"' in select


def test_grant_api_refuses_a_year_outside_its_span_in_french(client):
    GrantFactory(call_year=2021)

    response = client.get(
        "/api/grants/", {"year": "2021", "until": "2016", "lang": "fr"}
    )

    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "L’année d’appel (2021) vient après la dernière (2016)."
    ]


def title_of(response) -> str:
    return collapse(re.search(r"<title>(.*?)</title>", html_of(response), re.S)[1])


@pytest.mark.parametrize(
    ("language", "query", "title"),
    [
        ("en", {"year": "2016"}, "ERC and MSCA grants – 2016 – 3 results – CNRS"),
        (
            "fr",
            {"year": "2016"},
            "Financements ERC et MSCA – 2016 – 3 résultats – CNRS",
        ),
        (
            "en",
            {"since": "2017"},
            "ERC and MSCA grants – since 2017 – 2 results – CNRS",
        ),
        (
            "fr",
            {"since": "2017"},
            "Financements ERC et MSCA – depuis 2017 – 2 résultats – CNRS",
        ),
        (
            "en",
            {"until": "2018"},
            "ERC and MSCA grants – until 2018 – 4 results – CNRS",
        ),
        (
            "fr",
            {"until": "2018"},
            "Financements ERC et MSCA – jusqu’en 2018 – 4 résultats – CNRS",
        ),
        (
            "en",
            {"since": "2016", "until": "2018"},
            "ERC and MSCA grants – 2016–2018 – 4 results – CNRS",
        ),
        (
            "fr",
            {"since": "2016", "until": "2018"},
            "Financements ERC et MSCA – 2016–2018 – 4 résultats – CNRS",
        ),
        (
            "en",
            {"since": "2018", "until": "2018"},
            "ERC and MSCA grants – 2018 – 1 result – CNRS",
        ),
        (
            "fr",
            {"since": "2018", "until": "2018"},
            "Financements ERC et MSCA – 2018 – 1 résultat – CNRS",
        ),
    ],
)
def test_grant_list_title_says_which_call_years_were_chosen(
    client, language, query, title
):
    """ "?year=2015", "?since=2015" and "?until=2015" had one title: "– 2015 –"."""
    make_chart_grants()

    response = client.get(url("grant-list", language), query)

    assert response.status_code == 200
    assert title_of(response) == title


@pytest.mark.parametrize("field", ["year", "since", "until"])
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "There is no call year “2099”: years run from {first} to {last}."),
        (
            "fr",
            "Il n’y a pas d’année d’appel «\u00a02099\u00a0»\u00a0: les années vont "
            "de {first} à {last}.",
        ),
    ],
)
def test_grant_list_says_which_call_years_there_are(client, field, language, message):
    GrantFactory(call_year=2018)
    years = [year for year, _label in call_year_choices()]

    response = client.get(url("grant-list", language), {field: "2099"})

    assert response.status_code == 400
    assert message.format(first=min(years), last=max(years)) in html_of(response)


@pytest.mark.parametrize("field", ["year", "since", "until"])
@pytest.mark.parametrize(
    "typed",
    [
        " 2018",  # "year=+2020": a space
        "2018 ",
        "\uff12\uff10\uff11\uff18",  # full-width digits
        "02018",
    ],
)
def test_grant_list_reads_a_call_year_as_a_page_number(client, field, typed):
    # A page number given so was read, a call year refused (QA46 B8), saying
    # « Il n'y a pas d'année d'appel « 2018 » », the space not shown.
    GrantFactory(call_year=2018, acronym="ROBOCOG")
    assert client.get(url("grant-list", "fr"), {"page": " 1"}).status_code == 200

    response = client.get(url("grant-list", "fr"), {field: typed})

    assert response.status_code == 200
    html = html_of(response)
    assert "ROBOCOG" in html
    assert re.search(
        rf'<select name="{field}"[^>]*>.*?<option value="2018" selected>', html, re.S
    )
    api = client.get("/api/grants/", {field: typed})
    assert api.status_code == 200
    assert api.json()["count"] == 1


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("+2018", "+2018"), ("2018x", "2018x"), ("20 18", "20 18"), ("1_999", "1_999")],
)
def test_grant_list_refuses_a_call_year_otherwise_showing_it_as_typed(
    client, typed, shown
):
    GrantFactory(call_year=2018)
    response = client.get(url("grant-list", "en"), {"year": typed})
    assert response.status_code == 400
    assert f"There is no call year “{shown}”" in html_of(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"panel": "PE99"}, "“PE99” is not one of the choices for “ERC panel”."),
        ({"scheme": "nope"}, "“nope” is not one of the choices for “Scheme”."),
        ({"ordering": "salary"}, "“salary” is not one of the choices for “Sort by”."),
    ],
)
def test_grant_list_names_the_filter_of_an_unknown_choice(client, query, message):
    GrantFactory()

    response = client.get(url("grant-list", "en"), query)

    assert response.status_code == 400
    assert message in html_of(response)


def test_chart_counts_all_the_pages_not_only_the_first(client):
    for _ in range(25):
        GrantFactory(call_year=2017)

    response = client.get(url("grant-list"))

    assert chart_numbers(response) == [(2017, 25)]


def test_chart_numbers_are_also_a_table_and_the_drawing_is_hidden(client):
    make_chart_grants()

    html = collapse(html_of(client.get(url("grant-list", "en"), {"family": "erc"})))

    assert "<caption>Grants per call year</caption>" in html
    assert '<th scope="row">2016</th><td class="numeric">2</td>' in html
    assert '<th scope="row">2019</th><td class="numeric">1</td>' in html
    # The years without grants within the span too (QA47 26).
    assert '<th scope="row">2017</th><td class="numeric">0</td>' in html
    assert '<th scope="row">2018</th><td class="numeric">0</td>' in html
    assert 'aria-hidden="true" focusable="false"' in html
    # The longest bar is the full length; SVG numbers use a dot in every language.
    assert 'width="72.00%"' in html and 'width="36.00%"' in html


def test_chart_svg_numbers_keep_a_dot_in_french(client):
    GrantFactory(call_year=2016)
    GrantFactory(call_year=2016)
    GrantFactory(call_year=2016)
    GrantFactory(call_year=2017)

    html = html_of(client.get(url("grant-list", "fr")))

    assert 'width="24.00%"' in html
    assert not re.search(r'(width|x)="\d+,\d+%"', html)


def test_chart_is_empty_on_invalid_filters(client):
    make_chart_grants()

    response = client.get(url("grant-list"), {"year": "abc"})

    assert response.status_code == 400
    assert response.context["year_chart"]["bars"] == []


# --- Grant detail ------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_grant_detail_shows_everything_known(client, language):
    unit = UnitFactory(acronym="JFLI")
    grant = GrantFactory(
        acronym="ICECUBE",
        laureate=PersonFactory(
            first_name="Hélène", last_name="Lefèvre", orcid="0000-0002-1825-0097"
        ),
        host_laboratory="UMR 8553 – LPENS",
        unit=unit,
        cordis_id="101001234",
        amount=Decimal("1499000.00"),
    )

    response = client.get(record_url(grant, language))

    html = html_of(response)
    assert response.status_code == 200
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in html
    assert "UMR 8553 – LPENS" in html
    assert f'href="{record_url(unit, language)}"' in html
    assert f'href="{record_url(grant.programme, language)}"' in html
    assert 'href="https://cordis.europa.eu/project/id/101001234"' in html
    # The euro sign after the number in French, before it in English.
    amount = "1\xa0499\xa0000&nbsp;€" if language == "fr" else "€1,499,000"
    assert f"<dd>{amount}</dd>" in html


@pytest.mark.parametrize(("language", "name"), [("fr", "Brésil"), ("en", "Brazil")])
def test_grant_detail_names_its_joint_unit_s_country_linked(client, language, name):
    # QA47 28: the grants list filters by it, the grant's page did not say it.
    grant = GrantFactory(unit=UnitFactory(acronym="CNRS-IMPA", country="BR"))

    html = collapse(html_of(client.get(record_url(grant, language))))

    label = {"fr": "Pays de l’unité mixte", "en": "Country of the joint unit"}
    assert (
        f'<dt>{label[language]}</dt> <dd><a href="/{language}/countries/BR/">'
        f"{name}</a></dd>"
    ) in html


def test_grant_detail_without_a_joint_unit_names_no_country(client):
    html = html_of(client.get(record_url(GrantFactory(unit=None), "en")))
    assert "Country of the joint unit" not in html


def test_project_list_with_an_invalid_filter_has_no_empty_results_section(client):
    ProjectFactory()

    invalid = html_of(client.get(url("project-list"), {"country": "ZZ"}))
    valid = html_of(client.get(url("project-list")))

    assert 'class="form-errors" role="alert"' in invalid
    assert 'id="projects-results-title"' not in invalid
    assert '<h2 id="projects-results-title">Résultats</h2>' in valid


def test_grant_detail_does_not_link_to_a_draft_unit(client):
    unit = UnitFactory(acronym="HIDDEN", publication_status="draft")
    grant = GrantFactory(unit=unit)

    html = html_of(client.get(record_url(grant)))

    assert "HIDDEN" in html
    assert record_url(unit) not in html


def test_grant_detail_of_a_draft_is_a_404(client):
    grant = GrantFactory(publication_status="draft")

    assert client.get(record_url(grant)).status_code == 404


def test_unknown_grant_is_a_404(client):
    assert client.get(url("grant-detail", slug="nothing-here")).status_code == 404


# --- Projects list -----------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_project_list_shows_published_projects(client, language):
    ProjectFactory(
        acronym="TASCMAR",
        title_fr="Invertébrés marins",
        title_en="Marine invertebrates",
        programme=ProgrammeFactory(acronym="H2020"),
        eu_contribution=Decimal("6700000.00"),
    )
    ProjectFactory(acronym="SECRET", publication_status="draft")

    response = client.get(url("project-list", language))

    html = html_of(response)
    assert response.status_code == 200
    assert "TASCMAR" in html
    assert (
        "Invertébrés marins" if language == "fr" else "Marine invertebrates"
    ) in html
    assert "H2020" in html
    assert ("6\xa0700\xa0000&nbsp;€" if language == "fr" else "€6,700,000") in html
    assert "SECRET" not in html


def test_project_list_filters_by_participant_country(client):
    tascmar = ProjectFactory(acronym="TASCMAR")
    ProjectParticipantFactory(project=tascmar, partner=PartnerFactory(country="IL"))
    ProjectParticipantFactory(project=tascmar, partner=PartnerFactory(country="IL"))
    ProjectFactory(acronym="ELSEWHERE")

    response = client.get(url("project-list"), {"country": "IL"})

    html = html_of(response)
    assert response.status_code == 200
    assert html.count(">TASCMAR</a>") == 1
    assert "ELSEWHERE" not in html
    assert response.context["result_count"] == 1


@pytest.mark.parametrize(
    "query",
    [
        {"country": "ZZ"},
        {"kind": "nope"},
        {"programme": "unknown"},
        {"challenge": "boredom"},
        {"cnrs_role": "boss"},
        {"page": "abc"},
        {"page": "0"},
    ],
)
def test_project_list_answers_bad_input_with_a_400_and_the_error(client, query):
    ProjectFactory()

    response = client.get(url("project-list"), query)

    assert response.status_code == 400
    assert 'class="form-errors" role="alert"' in html_of(response)


def test_project_list_ignores_unknown_parameters(client):
    ProjectFactory(acronym="ANY")

    response = client.get(url("project-list"), {"fbclid": "x"})

    assert response.status_code == 200
    assert "ANY" in html_of(response)


def test_project_list_says_when_no_project_matches(client):
    ProjectFactory(kind="irp")

    html = html_of(client.get(url("project-list", "en"), {"kind": "iea"}))

    assert "No project matches these filters." in html


# --- Project detail ----------------------------------------------------------------


def map_data(response, map_id="participants-map"):
    match = re.search(
        rf'<script id="{map_id}" type="application/json">(.*?)</script>',
        html_of(response),
        re.S,
    )
    assert match, f"no map data {map_id!r} in the page"
    return json.loads(match.group(1))


def tascmar_like():
    project = ProjectFactory(
        acronym="TASCMAR",
        slug="tascmar",
        societal_challenge="bioeconomy",
        cnrs_role="coordinator",
        total_cost=Decimal("7200000.50"),
        eu_contribution=Decimal("6700000.00"),
        researcher_count=110,
        country_count=8,
        industrial_partner_count=6,
        cordis_id="634674",
    )
    tel_aviv = PartnerFactory(
        name_fr="Université de Tel-Aviv",
        name_en="Tel Aviv University",
        country="IL",
        latitude=Decimal("32.113300"),
        longitude=Decimal("34.804400"),
    )
    ProjectParticipantFactory(project=project, partner=tel_aviv)
    return project


@pytest.mark.parametrize("language", ["fr", "en"])
def test_project_detail_shows_everything_known(client, language):
    project = tascmar_like()
    unit = UnitFactory(acronym="JOINT")
    project.units.add(unit, UnitFactory(acronym="HIDDEN", publication_status="draft"))

    response = client.get(record_url(project, language))

    html = html_of(response)
    assert response.status_code == 200
    assert f'href="{record_url(project.programme, language)}"' in html
    assert ("Coordinateur" if language == "fr" else "Coordinator") in html
    amounts = (
        ["6\xa0700\xa0000&nbsp;€", "7\xa0200\xa0001&nbsp;€"]
        if language == "fr"
        else ["€6,700,000", "€7,200,001"]
    )
    for amount in amounts:
        assert f"<dd>{amount}</dd>" in html
    assert ">110<" in html and ">8<" in html and ">6<" in html
    assert 'href="https://cordis.europa.eu/project/id/634674"' in html
    assert (
        "Université de Tel-Aviv" if language == "fr" else "Tel Aviv University"
    ) in html
    assert ("Israël" if language == "fr" else "Israel") in html
    assert f'href="{record_url(unit, language)}"' in html
    assert "HIDDEN" not in html


def test_project_detail_maps_the_participants_with_coordinates(client):
    project = tascmar_like()
    ProjectParticipantFactory(
        project=project, partner=PartnerFactory(country="DE", latitude=None)
    )
    draft = PartnerFactory(
        country="ES",
        latitude=Decimal("40.4"),
        longitude=Decimal("-3.7"),
        publication_status="draft",
    )
    ProjectParticipantFactory(project=project, partner=draft)

    data = map_data(client.get(record_url(project)))

    assert data["countries"] == {"IL": 1, "DE": 1, "ES": 1}
    assert [marker["title"] for marker in data["markers"]] == [
        "Université de Tel-Aviv",
        draft.name_fr,
    ]
    tel_aviv, unpublished = data["markers"]
    assert tel_aviv["url"].startswith("/fr/partners/")
    assert unpublished["url"] == "#participants"


@pytest.mark.parametrize(
    ("language", "israel", "france"),
    [("fr", "Israël", "France"), ("en", "Israel", "France")],
)
def test_project_detail_links_each_participants_country(
    client, language, israel, france
):
    # The participation's own country wins over its institution's.
    project = tascmar_like()
    ProjectParticipantFactory(
        project=project, partner=PartnerFactory(country="DE"), country="FR"
    )

    html = html_of(client.get(record_url(project, language)))

    assert f'<td><a href="/{language}/countries/IL/">{israel}</a></td>' in html
    assert f'<td><a href="/{language}/countries/FR/">{france}</a></td>' in html
    assert "/countries/DE/" not in html


def test_project_detail_says_when_its_participants_are_partly_listed(client):
    # QA: Tascmar said "Countries: 8" above one participant in Israel.
    project = ProjectFactory(country_count=8)
    ProjectParticipantFactory(project=project, partner=PartnerFactory(country="IL"))
    whole = ProjectFactory(country_count=1)
    ProjectParticipantFactory(project=whole, partner=PartnerFactory(country="IL"))
    note = (
        "The institutions recorded on this site; the project brought together "
        "researchers"
    )

    assert f"{note} from 8 countries." in html_of(client.get(record_url(project, "en")))
    assert note not in html_of(client.get(record_url(whole, "en")))


def test_project_detail_links_published_partners_only(client):
    project = ProjectFactory()
    public = ProjectParticipantFactory(project=project).partner
    draft = ProjectParticipantFactory(
        project=project, partner=PartnerFactory(publication_status="draft")
    ).partner

    html = html_of(client.get(record_url(project)))

    assert f'href="{record_url(public)}"' in html
    assert draft.name_fr in html
    assert record_url(draft) not in html


def test_project_detail_without_coordinates_has_no_map(client):
    project = ProjectFactory()
    ProjectParticipantFactory(project=project, partner=PartnerFactory(latitude=None))

    html = html_of(client.get(record_url(project)))

    assert 'data-map="participants-map"' not in html
    assert "leaflet" not in html


@pytest.mark.parametrize(
    ("kind", "slug", "acronym", "description"),
    [
        ("irn", "irn", "IRN", "International Research Network (IRN): Ocean networks."),
        (
            "eu_project",
            "horizon-2020",
            "H2020",
            # Its name, as for any programme: "H2020" beside "Horizon Europe".
            "European collaborative project, Horizon 2020: Ocean networks.",
        ),
    ],
)
def test_project_description_names_the_programme_only_beyond_the_kind(
    client, kind, slug, acronym, description
):
    programme = ProgrammeFactory(
        slug=slug,
        acronym=acronym,
        name_en="Horizon 2020",
        kind="framework" if slug != "irn" else "cnrs_tool",
    )
    project = ProjectFactory(kind=kind, programme=programme, title_en="Ocean networks")

    html = html_of(client.get(record_url(project, "en")))

    assert f'<meta name="description" content="{description}">' in html


def test_project_detail_of_a_draft_is_a_404(client):
    project = ProjectFactory(publication_status="draft")

    assert client.get(record_url(project)).status_code == 404


# --- Programmes --------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_programme_list_groups_programmes_by_kind(client, language):
    ProgrammeFactory(name_fr="Horizon 2020", name_en="Horizon 2020", kind="framework")
    ProgrammeFactory(
        name_fr="Réseau de recherche international",
        name_en="International Research Network",
        acronym="IRN",
        kind="cnrs_tool",
        former_name="GDRI",
        start_year=None,
        end_year=None,
    )
    ProgrammeFactory(name_fr="Brouillon", kind="bilateral", publication_status="draft")

    response = client.get(url("list", language))

    html = html_of(response)
    assert response.status_code == 200
    headings = re.findall(r'<h2 id="kind-[a-z_]+">(.*?)</h2>', html)
    if language == "en":
        assert headings == ["EU framework programmes", "CNRS cooperation tools"]
        assert "International Research Network" in html
    else:
        assert "Réseau de recherche international" in html
    assert "GDRI" in html
    assert "2014–2020" in html
    assert "Brouillon" not in html


def test_programme_list_counts_published_grants_and_projects(client):
    erc = ProgrammeFactory(slug="erc", kind="eu_scheme", start_year=2007, end_year=None)
    for _ in range(3):
        GrantFactory(programme=erc)
    GrantFactory(programme=erc, publication_status="draft")
    ProjectFactory(programme=erc)
    ProjectFactory(programme=erc, publication_status="draft")

    response = client.get(url("list", "en"))

    [listed] = response.context["programmes"]
    assert (listed.grant_count, listed.project_count) == (3, 1)
    html = html_of(response)
    assert '<a href="/en/grants/?programme=erc">3 grants</a>' in html
    assert '<a href="/en/projects/?programme=erc">1 project</a>' in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_framework_programme_has_the_erc_and_msca_grants_of_its_calls(
    client, language
):
    # The ERC and the MSCA run through FP7, Horizon 2020 and Horizon Europe: "No
    # grant" on Horizon 2020's page, beside the grants of its calls, was wrong.
    fp7 = ProgrammeFactory(slug="fp7", start_year=2007, end_year=2013)
    h2020 = ProgrammeFactory(slug="horizon-2020", start_year=2014, end_year=2020)
    europe = ProgrammeFactory(slug="horizon-europe", start_year=2021, end_year=None)
    for year, acronym in [
        (2013, "OLD"),
        (2014, "FIRST"),
        (2020, "LAST"),
        (2021, "NEW"),
    ]:
        GrantFactory(call_year=year, acronym=acronym)
    GrantFactory(call_year=2016, acronym="DRAFT", publication_status="draft")

    listed = {
        programme.slug: programme.grant_count
        for programme in client.get(url("list", language)).context["programmes"]
    }
    assert (listed["fp7"], listed["horizon-2020"], listed["horizon-europe"]) == (
        1,
        2,
        1,
    )
    html = html_of(client.get(url("list", language)))
    assert f'href="/{language}/grants/?since=2014&amp;until=2020"' in html
    assert f'href="/{language}/grants/?since=2021"' in html

    response = client.get(record_url(h2020, language))
    assert [grant.acronym for grant in response.context["grants"]] == ["LAST", "FIRST"]
    page = html_of(response)
    assert f'href="/{language}/grants/?since=2014&amp;until=2020"' in page
    assert "DRAFT" not in page
    assert client.get(record_url(fp7, language)).context["grants"][0].acronym == "OLD"
    assert [
        grant.acronym for grant in client.get(record_url(europe)).context["grants"]
    ] == ["NEW"]


def test_a_framework_programmes_grants_link_stays_within_the_years_offered(client):
    # FP6's calls began before the ERC's first (2007), the next programme's end
    # lies beyond next year: the grants list offers neither year.
    fp6 = ProgrammeFactory(slug="fp6", start_year=2002, end_year=2008)
    next_one = ProgrammeFactory(slug="fp10", start_year=2021, end_year=2040)
    GrantFactory(call_year=2007)
    GrantFactory(call_year=2022)
    html = html_of(client.get(url("list", "en")))
    for programme, query in (
        (fp6, "since=2007&amp;until=2008"),
        (next_one, "since=2021"),
    ):
        assert f'href="/en/grants/?{query}"' in html
        address = html_of(client.get(record_url(programme, "en")))
        assert f'href="/en/grants/?{query}"' in address
        list_page = client.get("/en/grants/?" + query.replace("&amp;", "&"))
        assert list_page.status_code == 200
        assert len(list_page.context["object_list"]) == 1


def irl_programme(**fields):
    return ProgrammeFactory(
        slug="irl",
        acronym="IRL",
        kind="cnrs_tool",
        name_fr="Laboratoire de recherche international",
        name_en="International Research Laboratory",
        start_year=None,
        end_year=None,
        **fields,
    )


@pytest.mark.parametrize(
    ("language", "units"), [("fr", "3 unités mixtes"), ("en", "3 joint units")]
)
def test_the_irl_programme_leads_to_its_joint_units(client, language, units):
    # It funds no grant or project: "Grants: none / Projects: none" said nothing.
    irl = irl_programme()
    for _ in range(3):
        UnitFactory(kind="irl")
    UnitFactory(kind="irl", publication_status="draft")
    UnitFactory(kind="umifre")

    html = html_of(client.get(url("list", language)))

    card = html[html.index(record_url(irl, language)) :]
    card = card[: card.index("</li>")]
    assert f'<a href="/{language}/units/?kind=irl">{units}</a>' in card
    assert "/grants/" not in card and "/projects/" not in card
    assert client.get(f"/{language}/units/?kind=irl").context["paginator"].count == 3


@pytest.mark.parametrize(
    ("language", "count", "link"),
    [
        (
            "fr",
            "3 unités mixtes publiées.",
            "Tous les laboratoires de recherche internationaux (IRL)",
        ),
        (
            "en",
            "3 published joint units.",
            "All International Research Laboratories (IRL)",
        ),
    ],
)
def test_the_irl_programme_page_lists_its_joint_units(client, language, count, link):
    irl = irl_programme()
    listed = [UnitFactory(kind="irl", acronym=f"LAB{n}") for n in range(3)]
    UnitFactory(kind="irl", acronym="DRAFTLAB", publication_status="draft")
    UnitFactory(kind="umifre", acronym="UMIFRELAB")

    html = collapse(html_of(client.get(record_url(irl, language))))

    assert count in html
    for unit in listed:
        assert f'<a href="{record_url(unit, language)}">{unit.acronym}</a>' in html
    assert "DRAFTLAB" not in html and "UMIFRELAB" not in html
    assert f'<a href="/{language}/units/?kind=irl">{link}</a>' in html
    assert 'id="grants-title"' not in html and 'id="projects-title"' not in html


def test_other_programmes_have_no_joint_units(client):
    UnitFactory(kind="irl")
    erc = ProgrammeFactory(slug="erc", acronym="ERC", kind="eu_scheme")

    html = html_of(client.get(record_url(erc, "en")))
    listed = html_of(client.get(url("list", "en")))

    assert erc.unit_kind == ""
    assert 'id="units-title"' not in html and 'id="grants-title"' in html
    assert "?kind=irl" not in listed


@pytest.mark.parametrize(
    ("slug", "kind", "sections"),
    [
        # The ERC and the MSCA fund people: grants, no project.
        ("erc", "eu_scheme", {"grants"}),
        ("msca", "eu_scheme", {"grants"}),
        # A CNRS tool funds projects, never an ERC or MSCA grant.
        ("iea", "cnrs_tool", {"projects"}),
        # A framework programme funds both (its ERC and MSCA grants by their calls).
        ("horizon-europe", "framework", {"grants", "projects"}),
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_programme_shows_only_the_records_its_kind_funds(
    client, language, slug, kind, sections
):
    # "No project of this programme has been published yet." on the ERC's page
    # read as projects to come; "Grants: none" for the IEA, the same.
    programme = ProgrammeFactory(slug=slug, kind=kind, acronym=slug.upper())

    html = html_of(client.get(record_url(programme, language)))
    listed = collapse(html_of(client.get(url("list", language))))

    shown = {name for name in ("grants", "projects") if f'id="{name}-title"' in html}
    assert shown == sections
    facts = listed.split(f'href="{record_url(programme, language)}"')[1]
    facts = facts.split("</dl>")[0]
    with translation.override(language):
        for name, label in (
            ("grants", translation.gettext("Grants")),
            ("projects", translation.gettext("Projects")),
        ):
            assert (f"<dt>{label}</dt>" in facts) == (name in sections)


def test_a_programme_shows_the_records_it_has_whatever_its_kind(client):
    erc = ProgrammeFactory(slug="erc", kind="eu_scheme", acronym="ERC")
    add_projects(1, erc)  # filed there before the rule: shown, not hidden

    html = html_of(client.get(record_url(erc, "en")))

    assert 'id="projects-title"' in html


def test_programme_list_orders_by_the_name_shown_in_english(client):
    ProgrammeFactory(name_fr="Zèbre", name_en="Alpha", kind="framework")
    ProgrammeFactory(name_fr="Beta", name_en="", kind="framework")

    response = client.get(url("list", "en"))

    assert [p.name for p in response.context["programmes"]] == ["Alpha", "Beta"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_framework_programmes_are_listed_by_start_year_in_both_languages(
    client, language
):
    # By name they came FP7, Horizon 2020, Horizon Europe in English but Horizon
    # 2020, Horizon Europe, 7e PCRD in French.
    europe = ProgrammeFactory(
        name_fr="Horizon Europe",
        name_en="Horizon Europe",
        start_year=2021,
        end_year=2027,
    )
    fp7 = ProgrammeFactory(
        name_fr="7ᵉ programme-cadre",
        name_en="Seventh Framework Programme",
        start_year=2007,
        end_year=2013,
    )
    h2020 = ProgrammeFactory(
        name_fr="Horizon 2020", name_en="Horizon 2020", start_year=2014
    )
    erc = ProgrammeFactory(
        kind="eu_scheme", name_fr="Zèbre", name_en="Alpha", end_year=None
    )
    msca = ProgrammeFactory(
        kind="eu_scheme",
        name_fr="Alpha",
        name_en="Zebra",
        start_year=None,
        end_year=None,
    )

    response = client.get(url("list", language))
    listed = [p.pk for p in response.context["programmes"]]
    assert listed == [fp7.pk, h2020.pk, europe.pk, erc.pk, msca.pk]
    # The grants' and projects' programme filters offer them in the same order.
    with translation.override(language):
        offered = [slug for slug, _label in programme_choices()]
    assert offered == [p.slug for p in (fp7, h2020, europe, erc, msca)]


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "<h1>Seventh Framework Programme (FP7)</h1>"),
        ("fr", "<h1>7ᵉ programme-cadre (FP7)</h1>"),
    ],
)
def test_a_programme_acronym_is_not_printed_twice(client, language, heading):
    fp7 = ProgrammeFactory(
        name_fr="7ᵉ programme-cadre",
        name_en="Seventh Framework Programme",
        acronym="FP7",
    )
    h2020 = ProgrammeFactory(
        name_fr="Horizon 2020", name_en="Horizon 2020", acronym="Horizon 2020"
    )
    named = ProgrammeFactory(
        name_fr="Programme FP9", name_en="FP9 Programme", acronym="fp9"
    )

    assert heading in html_of(client.get(record_url(fp7, language)))
    assert "<h1>Horizon 2020</h1>" in html_of(client.get(record_url(h2020, language)))
    html = html_of(client.get(record_url(named, language)))
    assert "(fp9)" not in html and "(FP9)" not in html
    listed = html_of(client.get(url("list", language)))
    assert 'Horizon 2020</a> <span class="card__acronym">' not in listed
    assert '<span class="card__acronym">(FP7)</span>' in listed


@pytest.mark.parametrize(
    ("language", "former"),
    [("fr", "Actions Marie Curie"), ("en", "Marie Curie Actions")],
)
def test_a_former_name_is_shown_in_the_page_language(client, language, former):
    msca = ProgrammeFactory(
        kind="eu_scheme",
        former_name_fr="Actions Marie Curie",
        former_name_en="Marie Curie Actions",
    )
    for html in (
        html_of(client.get(record_url(msca, language))),
        html_of(client.get(url("list", language))),
    ):
        assert f"<dd>{former}</dd>" in html


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "en",
            "The ERC and MSCA grants from calls launched during its period "
            "(2007–2013).",
        ),
        (
            "fr",
            "Les financements ERC et MSCA issus des appels lancés pendant sa "
            "période (2007–2013).",
        ),
    ],
)
def test_a_framework_programme_says_which_calls_its_grants_come_from(
    client, language, sentence
):
    fp7 = ProgrammeFactory(start_year=2007, end_year=2013)
    GrantFactory(call_year=2010)
    europe = ProgrammeFactory(start_year=2021, end_year=None)
    GrantFactory(call_year=2023)

    assert sentence in collapse(html_of(client.get(record_url(fp7, language))))
    since = {"en": "from calls launched since 2021.", "fr": "lancés depuis 2021."}
    assert since[language] in collapse(
        html_of(client.get(record_url(europe, language)))
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_programme_detail_shows_its_family_grants_and_projects(client, language):
    parent = ProgrammeFactory(name_fr="Horizon Europe", name_en="Horizon Europe")
    programme = ProgrammeFactory(
        slug="erc",
        acronym="ERC",
        kind="eu_scheme",
        parent=parent,
        start_year=2007,
        end_year=None,
    )
    child = ProgrammeFactory(name_fr="Bourses de démarrage", parent=programme)
    ProgrammeFactory(
        name_fr="Sous-programme caché", parent=programme, publication_status="draft"
    )
    GrantFactory(acronym="ICECUBE", programme=programme)
    GrantFactory(acronym="HIDDEN", programme=programme, publication_status="draft")
    ProjectFactory(acronym="TASCMAR", programme=programme)

    response = client.get(record_url(programme, language))

    html = html_of(response)
    assert response.status_code == 200
    assert f'href="{record_url(parent, language)}"' in html
    assert f'href="{record_url(child, language)}"' in html
    assert "Sous-programme caché" not in html
    assert "ICECUBE" in html and "TASCMAR" in html
    assert "HIDDEN" not in html
    if language == "en":  # the French catalogue is written separately
        assert "Since 2007" in html
    assert f'href="/{language}/grants/?programme=erc"' in html
    assert f'href="/{language}/projects/?programme=erc"' in html


@pytest.mark.parametrize(
    ("language", "grants", "projects"),
    [
        ("fr", "Tous les financements ERC", "Tous les projets ERC"),
        ("en", "All ERC grants", "All ERC projects"),
    ],
)
def test_programme_detail_names_its_lists_by_the_programme(
    client, language, grants, projects
):
    # Not "Tous les financements de ERC, avec filtres": no elision to get wrong.
    programme = ProgrammeFactory(slug="erc", acronym="ERC", kind="eu_scheme")
    GrantFactory(programme=programme)
    ProjectFactory(programme=programme)

    html = html_of(client.get(record_url(programme, language)))

    assert f'<a href="/{language}/grants/?programme=erc">{grants}</a>' in html
    assert f'<a href="/{language}/projects/?programme=erc">{projects}</a>' in html


def test_programme_detail_lists_twenty_grants_and_gives_the_total(client):
    programme = ProgrammeFactory()
    for _ in range(23):
        GrantFactory(programme=programme)

    response = client.get(record_url(programme, "en"))

    assert len(response.context["grants"]) == 20
    html = collapse(html_of(response))
    assert "23 published grants." in html
    assert "The 20 most recent are listed." in html


def test_programme_detail_of_a_draft_is_a_404(client):
    programme = ProgrammeFactory(publication_status="draft")

    assert client.get(record_url(programme)).status_code == 404


# --- Queries do not grow with the data ---------------------------------------------


def queries_for(client, path, query=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, query or {})
    assert response.status_code == 200
    return len(queries)


def add_grants(count, programme=None):
    for index in range(count):
        GrantFactory(
            programme=programme or ProgrammeFactory(),
            call_year=2010 + index % 12,
            laureate=PersonFactory(),
            institute=InstituteFactory(),
            unit=UnitFactory(),
        )


def add_projects(count, programme=None):
    for _ in range(count):
        project = ProjectFactory(programme=programme or ProgrammeFactory())
        ProjectParticipantFactory(project=project)


@pytest.mark.parametrize(
    "query",
    [{}, {"family": "erc", "q": "projet", "year": "2012"}, {"country": "JP"}],
)
def test_grant_list_query_count_does_not_grow(client, query):
    # Institutes and programmes of the filter form, count, page, chart.
    add_grants(3)
    few = queries_for(client, url("grant-list"), query)
    add_grants(18)  # past a page (20)
    many = queries_for(client, url("grant-list"), query)
    assert few == many


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"kind": "eu_project"},
        {"country": "JP", "kind": "eu_project"},
        {"year": "2016", "ordering": "-start"},
        {"q": "projet", "year": "2017", "ordering": "title"},
    ],
)
def test_project_list_query_count_does_not_grow(client, query):
    # Programmes and countries of the filter form (the countries counted within
    # the other filters chosen), the years projects run in (read once per content
    # version), count, page.
    add_projects(3)
    few = queries_for(client, url("project-list"), query)
    add_projects(18)  # past a page (20)
    many = queries_for(client, url("project-list"), query)
    assert few == many


def test_programme_list_query_count_does_not_grow(client):
    # The programmes with their parent; the published grants and projects of every
    # programme, and the grants of each call year (the framework programmes'),
    # counted once per content version.
    for _ in range(3):
        add_grants(1, ProgrammeFactory(parent=ProgrammeFactory()))
    few = queries_for(client, url("list"))
    for _ in range(9):
        programme = ProgrammeFactory(parent=ProgrammeFactory())
        add_grants(1, programme)
        add_projects(1, programme)
    many = queries_for(client, url("list"))
    assert few == many == 4


def test_programmes_show_their_published_records_counts(client):
    erc = ProgrammeFactory(acronym="ERC", kind="eu_scheme")
    add_grants(2, erc)
    add_projects(1, erc)
    GrantFactory(programme=erc, publication_status="draft")
    listed = {
        programme.pk: (programme.grant_count, programme.project_count)
        for programme in client.get(url("list")).context["programmes"]
    }
    assert listed[erc.pk] == (2, 1)
    detail = client.get(record_url(erc)).context["programme"]
    assert (detail.grant_count, detail.project_count) == (2, 1)
    add_grants(1, erc)  # a change: counted again
    detail = client.get(record_url(erc)).context["programme"]
    assert detail.grant_count == 3


def test_unit_programme_pages_query_count_does_not_grow(client):
    # Detail: the programme with its parent, the counts of records of every
    # programme (grants, projects) and of units of every kind, children, grants,
    # projects, units. Then the list: the programmes (the counts are cached).
    irl = irl_programme()
    for _ in range(3):
        UnitFactory(kind="irl")
    cache.clear()
    few = (queries_for(client, record_url(irl)), queries_for(client, url("list")))
    for _ in range(DETAIL_SAMPLE_SIZE - 2):  # past the sample of units shown
        UnitFactory(kind="irl")
    cache.clear()
    many = (queries_for(client, record_url(irl)), queries_for(client, url("list")))
    assert few == many == (8, 1)


def test_grant_detail_query_count_does_not_grow(client):
    # One query: the grant with its laureate, institute, programme and unit.
    add_grants(3)
    grant = GrantFactory(unit=UnitFactory())
    few = queries_for(client, record_url(grant))
    add_grants(9)
    many = queries_for(client, record_url(grant))
    assert few == many == 1


def test_project_detail_query_count_does_not_grow(client):
    # The project with its programme, its participations with partners, its units.
    small, large = ProjectFactory(), ProjectFactory()
    for project, count in ((small, 3), (large, 12)):
        for _ in range(count):
            ProjectParticipantFactory(project=project)
            project.units.add(UnitFactory())
    assert (
        queries_for(client, record_url(small))
        == queries_for(client, record_url(large))
        == 3
    )


def test_programme_detail_query_count_does_not_grow(client):
    # Programme with parent and counts (a framework's grants by call year),
    # children, grants, projects.
    small, large = ProgrammeFactory(), ProgrammeFactory()
    # The large one past the sample of grants the page shows.
    for programme, count in ((small, 3), (large, DETAIL_SAMPLE_SIZE + 1)):
        add_grants(count, programme)
        add_projects(count, programme)
        for _ in range(count):
            ProgrammeFactory(parent=programme)
    cache.clear()  # each from nothing: the counts of every programme, then the page
    small_queries = queries_for(client, record_url(small))
    cache.clear()
    assert small_queries == queries_for(client, record_url(large)) == 7


def test_searched_lists_keep_the_order_chosen(client):
    # A search's matches are found, then sorted (partners.search.sorted_once_found)
    # in the order the visitor chose: the year (descending), then the acronym.
    for year, acronym in [
        (2019, "BETA"),
        (2021, "ALPHA"),
        (2019, "ALPHA"),
        (2020, "GAMMA"),
    ]:
        GrantFactory(
            call_year=year, acronym=acronym, title_fr="Climat de l'océan", title_en="x"
        )
    GrantFactory(call_year=2022, acronym="OTHER", title_fr="Autre", title_en="Other")

    grants = client.get(
        url("grant-list"), {"q": "climat ocean", "ordering": "-year,acronym"}
    ).context["object_list"]
    assert [(grant.call_year, grant.acronym) for grant in grants] == [
        (2021, "ALPHA"),
        (2020, "GAMMA"),
        (2019, "ALPHA"),
        (2019, "BETA"),
    ]


@pytest.mark.parametrize(
    ("scheme", "short_name"),
    [
        (GrantScheme.ERC_STG, "StG"),
        (GrantScheme.ERC_COG, "CoG"),
        (GrantScheme.ERC_ADG, "AdG"),
        (GrantScheme.ERC_SYG, "SyG"),
        (GrantScheme.ERC_POC, "PoC"),
    ],
)
def test_a_grants_eyebrow_keeps_the_case_of_its_schemes_short_name(
    client, settings, scheme, short_name
):
    # The eyebrow is in capitals (site.css): "(CoG)" read "(COG)".
    grant = GrantFactory(scheme=scheme, call_year=2015)
    with translation.override("en"):
        html = client.get(grant.get_absolute_url()).content.decode()

    eyebrow = re.search(r'<p class="eyebrow">(.*?)</p>', html)[1]
    assert f'(<span class="case-kept">{short_name}</span>)' in eyebrow
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert re.search(r"\.eyebrow \.case-kept \{ text-transform: none; \}", css)


def test_the_project_list_names_each_programme_in_full(client):
    # "H2020" on one row, "Horizon Europe" on another.
    h2020 = ProgrammeFactory(
        acronym="H2020", name_fr="Horizon 2020", name_en="Horizon 2020"
    )
    ProjectFactory(programme=h2020, acronym="SOCIOEDGE")

    html = html_of(client.get(reverse("programmes:project-list")))

    assert f'<a href="{h2020.get_absolute_url()}">Horizon 2020</a>' in html
    assert ">H2020<" not in html


@pytest.mark.parametrize(
    ("language", "ended", "ongoing"),
    [
        (
            "en",
            "the project brought together researchers from 8 countries.",
            "the project brings together researchers from 8 countries.",
        ),
        (
            "fr",
            "le projet a réuni des chercheurs de 8 pays.",
            "le projet réunit des chercheurs de 8 pays.",
        ),
    ],
)
def test_a_project_that_has_ended_is_spoken_of_in_the_past(
    client, language, ended, ongoing
):
    # Tascmar, ended in 2019: "le projet réunit" read as if it went on.
    tascmar = ProjectFactory(country_count=8)
    ProjectParticipantFactory(project=tascmar)
    html = collapse(html_of(client.get(record_url(tascmar, language))))
    assert ended in html
    running = ProjectFactory(country_count=8, end_date=None)
    ProjectParticipantFactory(project=running)
    assert ongoing in collapse(html_of(client.get(record_url(running, language))))


def test_the_grants_chart_and_its_table_name_the_same_years(client):
    GrantFactory(call_year=2015)
    html = html_of(client.get(url("grant-list", "fr")))
    assert '<h2 id="per-year-title">Financements par année d’appel</h2>' in html
    assert "<caption>Financements par année d’appel</caption>" in html


def test_the_projects_description_names_the_cnrs_tools_in_french(client):
    html = html_of(client.get(url("project-list", "fr")))
    assert (
        "projets et réseaux de recherche internationaux et actions internationales "
        "émergentes du CNRS"
    ) in html


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "No grant is both “ERC” and “Marie Skłodowska-Curie Actions (MSCA)”: "
            "they belong to different programme families.",
        ),
        (
            "fr",
            "Aucun financement n’est à la fois «\u00a0ERC\u00a0» et «\u00a0Actions "
            "Marie Skłodowska-Curie (MSCA)\u00a0»\u00a0: ils relèvent de familles de "
            "programmes différentes.",
        ),
    ],
)
def test_grant_list_says_two_filters_choose_different_families(
    client, language, message
):
    # Two selects chose ERC or MSCA: "ERC" with "MSCA" found 0 grants, unexplained.
    msca = ProgrammeFactory(
        slug="msca",
        acronym="MSCA",
        name_fr="Actions Marie Skłodowska-Curie",
        name_en="Marie Skłodowska-Curie Actions",
    )
    GrantFactory(programme=msca, scheme="msca_pf", panel="")

    response = client.get(
        url("grant-list", language), {"family": "erc", "programme": "msca"}
    )

    assert response.status_code == 400
    html = html_of(response)
    assert message in html
    for name in ("family", "programme"):
        [select] = re.findall(rf'<select name="{name}"[^>]*>', html)
        assert 'aria-describedby="filter-errors"' in select
    answer = client.get(
        "/api/grants/", {"family": "erc", "programme": "msca", "lang": language}
    )
    assert answer.status_code == 400
    assert answer.json() == {"non_field_errors": [message]}
