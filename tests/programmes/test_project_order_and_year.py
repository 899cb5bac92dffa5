"""The project list sorted by title or dates, and filtered by a year the projects
run in: the FilterSet, the page, the data API and its spreadsheets."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.utils import translation

from programmes.filters import ProjectFilterSet, running_year_choices
from programmes.models import Project
from tests.api_client import get
from tests.factories import ProjectFactory
from tests.plans import plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_2026_12_06(monkeypatch):
    """Today is 6 December 2026."""
    monkeypatch.setattr(
        "programmes.models.timezone.localdate", lambda: datetime.date(2026, 12, 6)
    )


def dated(acronym, start, end, **fields):
    return ProjectFactory(
        acronym=acronym,
        slug=acronym.lower(),
        start_date=start and datetime.date.fromisoformat(start),
        end_date=end and datetime.date.fromisoformat(end),
        **fields,
    )


def acronyms(data, language="en") -> list[str]:
    with translation.override(language):
        filterset = ProjectFilterSet(data)
        assert filterset.is_valid(), filterset.errors
        return [project.acronym for project in filterset.qs]


def years_offered() -> list[int]:
    return [year for year, _label in running_year_choices()]


# --- Sorted by title -----------------------------------------------------------------

# (acronym, French title, English title): neither the acronyms nor the ids give
# the order of either language.
TITLED = [
    ("ZED", "Écologie des récifs", "Reef ecology"),
    ("YAK", "biologie marine", "Marine biology"),
    ("ALPHA", "Zoologie des abysses", ""),  # shown in French on the English page
    ("XEN", "Éthique du vivant", "Bioethics"),
]


@pytest.fixture
def titled():
    for acronym, french, english in TITLED:
        ProjectFactory(acronym=acronym, title_fr=french, title_en=english)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # "Écologie" among the E's, "biologie" among the B's: not after "Zoologie".
        ("fr", ["YAK", "ZED", "XEN", "ALPHA"]),
        # The title a page shows: the French one where the English is missing.
        ("en", ["XEN", "YAK", "ZED", "ALPHA"]),
    ],
)
def test_projects_sort_by_the_title_shown_accents_and_case_ignored(
    titled, language, expected
):
    assert acronyms({"ordering": "title"}, language) == expected
    assert acronyms({"ordering": "-title"}, language) == expected[::-1]


def test_the_matches_of_a_search_sort_by_title_too(titled):
    Project.objects.update(summary_fr="Les courants de l’océan")
    ProjectFactory(acronym="OTHER", title_fr="Autre chose", title_en="Other things")

    assert acronyms({"ordering": "title", "q": "ocean"}, "fr") == [
        "YAK",
        "ZED",
        "XEN",
        "ALPHA",
    ]


# --- Sorted by dates ---------------------------------------------------------------


@pytest.fixture
def of_all_dates():
    # Created out of order: the ids give no order but the ties'.
    dated("UNDATED", None, None)
    dated("LATE", "2020-06-01", "2024-05-31")
    dated("NOSTART", None, "2018-12-31")
    dated("EARLY", "2012-01-01", "2016-12-31")
    dated("OPENEND", "2016-01-01", None)


def test_projects_sort_by_start_date_the_unknown_last_either_way(of_all_dates):
    assert acronyms({"ordering": "start"}) == [
        "EARLY",
        "OPENEND",
        "LATE",
        "UNDATED",
        "NOSTART",
    ]
    assert acronyms({"ordering": "-start"}) == [
        "LATE",
        "OPENEND",
        "EARLY",
        "UNDATED",
        "NOSTART",
    ]


def test_projects_sort_by_end_date_the_unknown_last_either_way(of_all_dates):
    assert acronyms({"ordering": "end"}) == [
        "EARLY",
        "NOSTART",
        "LATE",
        "UNDATED",
        "OPENEND",
    ]
    assert acronyms({"ordering": "-end"}) == [
        "LATE",
        "NOSTART",
        "EARLY",
        "UNDATED",
        "OPENEND",
    ]


def test_the_matches_of_a_search_sort_by_date_too(of_all_dates):
    Project.objects.exclude(acronym="LATE").update(summary_en="Ocean currents")

    assert acronyms({"ordering": "-start", "q": "ocean"}) == [
        "OPENEND",
        "EARLY",
        "UNDATED",
        "NOSTART",
    ]


@pytest.mark.parametrize("ordering", ["title", "-title", "start", "-end", "acronym"])
def test_projects_of_one_title_or_date_keep_their_order_by_id(ordering):
    projects = [
        ProjectFactory(acronym="SAME", title_fr="Même titre", title_en="Same title")
        for _ in range(3)
    ]

    assert list(ProjectFilterSet({"ordering": ordering}).qs) == projects


def test_the_pages_of_a_sorted_list_never_overlap(client):
    # 25 projects of one start date: the id breaks the ties, page after page.
    for _ in range(25):
        ProjectFactory(start_date=datetime.date(2016, 1, 1))

    pages = [
        client.get(
            "/en/projects/", {"ordering": "-start", "year": "2016", "page": number}
        ).context["object_list"]
        for number in (1, 2)
    ]

    first, second = ([project.pk for project in page] for page in pages)
    assert len(first) == 20 and len(second) == 5
    every = Project.objects.values_list("pk", flat=True)
    assert sorted(first + second) == sorted(every)


@pytest.mark.parametrize(
    ("language", "offered"),
    [
        (
            "en",
            [
                ("", "Acronym"),
                ("title", "Title"),
                ("-title", "Title (descending)"),
                ("-start", "Latest start first"),
                ("start", "Earliest start first"),
                ("-end", "Latest end first"),
                ("end", "Earliest end first"),
            ],
        ),
        (
            "fr",
            [
                ("", "Sigle"),
                ("title", "Titre"),
                ("-title", "Titre (décroissant)"),
                ("-start", "Débuts récents d’abord"),
                ("start", "Débuts anciens d’abord"),
                ("-end", "Fins récentes d’abord"),
                ("end", "Fins anciennes d’abord"),
            ],
        ),
    ],
)
def test_the_list_s_own_order_comes_first_then_title_and_dates_latest_first(
    language, offered
):
    with translation.override(language):
        field = ProjectFilterSet({}).form.fields["ordering"]
        assert [(value, str(label)) for value, label in field.widget.choices] == (
            offered
        )
        # A text searched, its best matches first, the acronym offered besides.
        field = ProjectFilterSet({"q": "ocean"}).form.fields["ordering"]
        shown = [(value, str(label)) for value, label in field.widget.choices]
        assert shown[:2] == [
            ("", "Best match" if language == "en" else "Pertinence"),
            ("acronym", offered[0][1]),
        ]


# --- Running in a year -------------------------------------------------------------


@pytest.fixture
def around_2016():
    dated("ENDS2016", "2012-01-01", "2016-12-31")
    dated("ENDSJAN1", "2010-03-01", "2016-01-01")
    dated("STARTSDEC31", "2016-12-31", "2019-12-31")
    dated("WITHIN", "2016-03-01", "2016-09-30")
    dated("OPENEND", "2014-01-01", None)
    dated("ENDED2015", "2012-01-01", "2015-12-31")
    dated("STARTS2017", "2017-01-01", "2020-12-31")
    # When it started is not known: in no year, though it ended in 2018.
    dated("NOSTART", None, "2018-12-31")
    dated("UNDATED", None, None)


def test_projects_running_in_a_year_started_by_its_end_and_ended_since_its_start(
    on_2026_12_06, around_2016
):
    assert set(acronyms({"year": "2016"})) == {
        "ENDS2016",
        "ENDSJAN1",
        "STARTSDEC31",
        "WITHIN",
        "OPENEND",
    }
    assert set(acronyms({"year": "2026"})) == {"OPENEND"}


@pytest.mark.parametrize("typed", ["２０１６", " 2016 ", "2016"])
def test_a_year_is_read_in_digits_of_any_script(on_2026_12_06, around_2016, typed):
    filterset = ProjectFilterSet({"year": typed})

    assert filterset.is_valid(), filterset.errors
    assert filterset.form.cleaned_data["year"] == "2016"
    assert len(filterset.qs) == 5


def test_the_years_offered_run_from_the_first_start_to_the_last_end(on_2026_12_06):
    dated("FIRST", "2011-03-01", "2014-02-28")
    dated("LAST", "2013-01-01", "2029-12-31")
    # In no year: neither its end nor a draft's dates reach the choices.
    dated("NOSTART", None, "2031-06-30")
    dated("DRAFT", "2001-01-01", "2033-01-01", publication_status="draft")

    assert years_offered() == list(range(2029, 2010, -1))


def test_a_project_with_no_end_runs_this_year_once_started(on_2026_12_06):
    dated("DONE", "2011-03-01", "2014-02-28")
    dated("OPENEND", "2013-01-01", None)
    assert years_offered() == list(range(2026, 2010, -1))


def test_a_project_with_no_end_that_starts_later_runs_from_its_start(on_2026_12_06):
    dated("LATER", "2028-01-01", None)
    assert years_offered() == [2028]


def test_the_years_offered_are_read_once_per_content_version(
    on_2026_12_06, django_assert_num_queries
):
    dated("FIRST", "2011-03-01", "2014-02-28")
    assert years_offered()[0] == 2014
    with django_assert_num_queries(0):
        assert years_offered()[0] == 2014
    dated("LATER", "2020-01-01", "2021-12-31")  # content changed: read again
    assert years_offered()[0] == 2021


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "There is no year “1999” to choose: projects run from 2010 to 2026."),
        (
            "fr",
            "Il n’y a pas d’année «\u00a01999\u00a0» à choisir\u00a0: les projets "
            "vont de 2010 à 2026.",
        ),
    ],
)
def test_another_year_is_refused_naming_the_years_projects_run(
    on_2026_12_06, around_2016, language, message
):
    with translation.override(language):
        assert ProjectFilterSet({"year": "1999"}).errors["year"] == [message]


@pytest.mark.parametrize("year", ["abc", "2016.5", "-2016", "0"])
def test_a_year_that_is_no_year_is_refused(on_2026_12_06, around_2016, year):
    filterset = ProjectFilterSet({"year": year})

    assert not filterset.is_valid()
    with translation.override("en"):
        assert filterset.errors["year"] == [
            f"There is no year “{year}” to choose: projects run from 2010 to 2026."
        ]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "There is no year “2016” to choose: no project has its dates yet."),
        (
            "fr",
            "Il n’y a pas d’année «\u00a02016\u00a0» à choisir\u00a0: aucun projet "
            "n’a encore ses dates.",
        ),
    ],
)
def test_no_year_is_offered_while_no_project_has_its_dates(language, message):
    dated("UNDATED", None, None)

    assert years_offered() == []
    with translation.override(language):
        assert ProjectFilterSet({"year": "2016"}).errors["year"] == [message]


@pytest.mark.parametrize(
    ("language", "title"), [("en", "running in 2016"), ("fr", "en cours en 2016")]
)
def test_the_title_says_the_year_the_projects_run_in(
    on_2026_12_06, around_2016, language, title
):
    filterset = ProjectFilterSet({"year": "2016", "ordering": "start"})
    with translation.override(language):
        # The order narrows nothing: the title leaves it out.
        assert filterset.chosen_summary() == title


# --- The page, the data API, the spreadsheets --------------------------------------


@pytest.mark.parametrize(
    ("language", "query", "message"),
    [
        ("en", {"year": "1999"}, "There is no year “1999” to choose"),
        ("fr", {"year": "1999"}, "Il n’y a pas d’année «\u00a01999\u00a0» à choisir"),
        ("en", {"ordering": "budget"}, "“budget” is not one of the choices"),
        ("fr", {"ordering": "budget"}, "«\u00a0budget\u00a0» ne fait pas partie"),
    ],
)
def test_the_page_answers_a_bad_year_or_order_with_a_400_and_the_message(
    client, on_2026_12_06, around_2016, language, query, message
):
    response = client.get(f"/{language}/projects/", query)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errorlist"' in html
    assert message in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"year": "1999"}, "year", "There is no year “1999” to choose: projects run"),
        ({"ordering": "budget"}, "ordering", "“budget” is not one of the choices"),
    ],
)
def test_the_api_answers_a_bad_year_or_order_with_a_400_and_the_message(
    client, on_2026_12_06, around_2016, query, field, message
):
    data = get(client, "/api/projects/", {**query, "lang": "en"}, status=400)
    assert message in data[field][0]


def test_the_page_and_the_api_sort_and_filter_alike(client, on_2026_12_06, around_2016):
    query = {"year": "2016", "ordering": "-end"}
    expected = ["STARTSDEC31", "ENDS2016", "WITHIN", "ENDSJAN1", "OPENEND"]

    page = client.get("/en/projects/", query)
    data = get(client, "/api/projects/", query)

    assert [project.acronym for project in page.context["object_list"]] == expected
    assert [project["acronym"] for project in data["results"]] == expected


def test_the_spreadsheets_keep_the_year_and_the_order(
    client, on_2026_12_06, around_2016
):
    html = client.get("/en/projects/", {"year": "2016", "ordering": "start"}).content
    link = "/api/projects/?year=2016&amp;ordering=start&amp;format=csv&amp;lang=en"
    assert f'<a href="{link}"'.encode() in html
    assert f'<a href="{link.replace("csv", "xlsx")}"'.encode() in html

    response = client.get(link.replace("&amp;", "&"))

    text = response.content.decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["acronym"] for row in rows] == [
        "ENDSJAN1",
        "ENDS2016",
        "OPENEND",
        "WITHIN",
        "STARTSDEC31",
    ]


def test_the_api_describes_the_orders_one_value_each_and_the_year(client):
    schema = client.get("/api/schema/", {"lang": "en"}).json()
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/projects/"]["get"]["parameters"]
    }

    ordering = parameters["ordering"]
    values = ["acronym", "title", "-title", "-start", "start", "-end", "end"]
    assert ordering["schema"]["items"]["enum"] == sorted(values)
    assert "* `acronym` - Acronym" in ordering["description"]
    assert "* `-start` - Latest start first" in ordering["description"]
    assert "* `end` - Earliest end first" in ordering["description"]
    assert "year" in parameters
    assert "year" in schema["paths"]["/api/projects/"]["get"]["description"]


# --- PostgreSQL reads a page from an index of its order (programmes 0025) ------------


@pytest.fixture
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the indexes exist on PostgreSQL only")


@pytest.mark.postgresql
@pytest.mark.usefixtures("_postgresql_only")
@pytest.mark.parametrize(
    ("ordering", "language", "index"),
    [
        ("title", "fr", "project_public_title_fr"),
        ("-title", "fr", "project_public_title_fr"),
        ("title", "en", "project_public_title_en"),
        ("start", "fr", "project_public_start"),
        ("-start", "fr", "project_public_start_desc"),
        ("end", "en", "project_public_end"),
        ("-end", "en", "project_public_end_desc"),
    ],
)
def test_a_page_sorted_by_title_or_date_reads_the_index_of_its_order(
    ordering, language, index
):
    ProjectFactory.create_batch(3)
    with translation.override(language):
        records = ProjectFilterSet({"ordering": ordering}).qs
        # A descending title is its index read backwards, then the few projects
        # of each title sorted by id (an incremental sort): no full sort.
        result = plan(records[:20], ordered=True, incremental=True)

    assert re.search(rf"Index Scan (Backward )?using {index} ", result), result
    assert "->  Sort " not in result, result


@pytest.mark.postgresql
@pytest.mark.usefixtures("_postgresql_only")
@pytest.mark.parametrize("ordering", ["title", "-start", "end"])
def test_a_searchs_matches_sorted_by_title_or_date_are_sorted_once_found(ordering):
    # Along the index of the order, PostgreSQL would test each project for the
    # words. With sorts disabled, a Sort still in the plan means no index gives
    # the order: the matches are sorted once found, by a first key of zero.
    # (Sequential scans off, any index of the published projects may find them.)
    ProjectFactory.create_batch(3, title_fr="Climat de l'océan")

    filterset = ProjectFilterSet({"ordering": ordering, "q": "ocean climat"})

    result = plan(filterset.qs[:20], ordered=True)

    lines = [line.strip() for line in result.split("\n")]
    assert lines[1].startswith("->  Sort "), result
    assert lines[2].startswith("Sort Key: ((programmes_project.id * 0))"), result
