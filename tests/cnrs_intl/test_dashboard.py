import datetime
import io
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape

from cnrs_intl import dashboard, synthetic
from cnrs_intl.models import StaffProfile
from partners.caching import partners_written_in_bulk
from partners.models import Agreement, Partner
from partners.roles import Role
from partners.services import import_ror, merge_partners
from programmes.models import Grant, Project
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    InstituteFactory,
    KeyFigureFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    TestimonyFactory,
    UnitFactory,
)
from tests.plans import plan
from units.models import Person, Unit

pytestmark = pytest.mark.django_db


def test_counts_say_how_many_records_and_drafts_each_model_has():
    UnitFactory()
    UnitFactory(publication_status="draft")
    counts = {count.model.__name__: count for count in dashboard.model_counts()}
    assert (counts["Unit"].total, counts["Unit"].drafts) == (2, 1)
    assert counts["Institute"].drafts is None  # no publication status


def test_grants_and_agreements_ending_in_the_next_90_days():
    today = timezone.localdate()
    soon = GrantFactory(
        start_date=today - datetime.timedelta(days=900),
        end_date=today + datetime.timedelta(days=30),
    )
    GrantFactory(
        start_date=today - datetime.timedelta(days=900),
        end_date=today + datetime.timedelta(days=200),
    )
    ending = AgreementFactory(
        signed_on=today - datetime.timedelta(days=900),
        ends_on=today + datetime.timedelta(days=89),
    )
    AgreementFactory(signed_on=today - datetime.timedelta(days=900), ends_on=None)
    grants, agreements = dashboard.ending_soon(today)
    assert grants == [soon]
    assert agreements == [ending]


@pytest.mark.parametrize(
    ("language", "written"),
    [("fr", "1er {month} {year}"), ("en", "1 {month} {year}")],
)
def test_the_ends_coming_are_dated_as_the_last_changes_are(
    admin_client, language, written
):
    # Not "01/02/2027" beside the last changes' "7 December 2026, 06:40:29".
    today = timezone.localdate()
    first_of_next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(
        day=1
    )
    GrantFactory(
        acronym="CLIMWAVE",
        start_date=today - datetime.timedelta(days=900),
        end_date=first_of_next_month,
    )

    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language)

    with translation.override(language):
        month = formats.date_format(first_of_next_month, "F")
    shown = written.format(month=month, year=first_of_next_month.year)
    assert f'<span class="mini quiet">{shown}</span>' in response.content.decode()


def test_records_missing_a_language_are_listed():
    UnitFactory(name_fr="Laboratoire", name_en="Laboratory")
    gap = UnitFactory(name_fr="Laboratoire sans traduction", name_en="")
    # The director's title at the unit is one of its texts.
    title_gap = UnitFactory(director_title_fr="Directeur par intérim")
    PartnerFactory(name_fr="", name_en="English only")
    gaps = {entry["model"]: entry for entry in dashboard.missing_translations()}
    assert gaps[Unit]["count"] == 2
    assert [name for name, _url in gaps[Unit]["examples"]] == [str(title_gap), str(gap)]
    assert gaps[Partner]["count"] == 1


def test_partners_whose_names_differ_by_accents_in_one_country_are_flagged():
    a = PartnerFactory(name_fr="Université de São Paulo", country="BR")
    b = PartnerFactory(name_fr="Universite de Sao Paulo", country="BR")
    PartnerFactory(name_fr="Université de São Paulo", country="PT")
    PartnerFactory(name_fr="Another one", country="BR")
    [group] = dashboard.possible_duplicate_partners()
    assert (group.country, group.count, group.shown, group.more) == ("BR", 2, [a, b], 0)
    assert group.merge_ids == f"{a.pk},{b.pk}"


def groups_found():
    return [group.partners for group in dashboard.recent_duplicate_partners().groups]


def test_duplicates_are_found_again_after_a_while_or_once_one_is_gone():
    a = PartnerFactory(name_fr="Université de Lund", country="SE")
    b = PartnerFactory(name_fr="Universite de Lund", country="SE")
    assert groups_found() == [[a, b]]
    c = PartnerFactory(name_fr="Institut Pasteur", country="SE")
    d = PartnerFactory(name_fr="Institut Pasteur", country="SE")
    # Kept after single saves (grouping a million partners takes 3 s, paid after
    # every save if found again each time): the new pair waits, and the
    # dashboard says when the groups were found.
    assert groups_found() == [[a, b]]
    b.delete()  # as a merge does: its group must not stay
    assert groups_found() == [[c, d]]
    with mock.patch("cnrs_intl.dashboard.cache.get", return_value=None):
        # Ten minutes on, the cache has let them go.
        assert groups_found() == [[c, d]]


def test_no_duplicates_is_not_kept_after_partners_written_in_bulk():
    """generate_data and imports write in bulk: "No partners share a name" was
    kept ten minutes after they had made some (QA)."""
    PartnerFactory(name_fr="Institut Pasteur", country="SE")
    assert dashboard.recent_duplicate_partners().groups == []
    Partner.objects.bulk_create(
        [PartnerFactory.build(name_fr="Institut Pasteur", country="SE", slug="ip-2")]
    )
    assert dashboard.recent_duplicate_partners().groups == []  # kept
    partners_written_in_bulk()
    [group] = dashboard.recent_duplicate_partners().groups
    assert group.count == 2


NOTHING = synthetic.Counts(0, 0, 0, 0)


@pytest.mark.parametrize(
    ("module", "write"),
    [
        ("partners.services", lambda: import_ror(io.BytesIO(b"[]"))),
        (
            "cnrs_intl.synthetic",
            lambda: synthetic.generate(synthetic.Counts(0, 0, 0, 0)),
        ),
        ("cnrs_intl.synthetic", lambda: synthetic.delete_synthetic()),
    ],
    ids=["ROR import", "generate_data", "generate_data --delete"],
)
def test_bulk_writers_of_partners_say_so(monkeypatch, module, write):
    calls = []
    monkeypatch.setattr(f"{module}.partners_written_in_bulk", lambda: calls.append(1))
    write()
    assert calls == [1]


def test_duplicates_are_grouped_once_in_a_while(django_assert_num_queries):
    PartnerFactory(name_fr="Institut Pasteur", country="SE")
    PartnerFactory(name_fr="Institut Pasteur", country="SE")
    first = dashboard.recent_duplicate_partners()
    # Only the check that the partners named are all there.
    with django_assert_num_queries(1):
        assert dashboard.recent_duplicate_partners() == first


def test_the_dashboard_says_when_duplicates_were_looked_for(admin_client):
    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No partners shared a name in the same country." in html
    assert re.search(
        r"Checked on \d{1,2} \w+ \d{4},? \d{1,2}:\d{2}(:\d{2})?(\s?[ap]\.?m\.?)?; "
        r"again every ten minutes and after each import\.",
        html,
    ), html[html.index("dashboard-duplicates") :][:600]


def test_a_large_group_of_duplicates_names_a_few_and_links_to_the_rest(admin_client):
    """Thousands of partners may share a name (generated data, a bad import)."""
    twelve = [
        PartnerFactory(name_fr="Université de Lund", country="SE") for _ in range(12)
    ]
    PartnerFactory(name_fr="Institut Pasteur", country="SE")
    PartnerFactory(name_fr="Institut Pasteur", country="SE")

    lund, pasteur = dashboard.possible_duplicate_partners()
    assert lund.count == 12 and lund.shown == twelve[:5] and lund.more == 7
    assert lund.merge_ids is None  # too many to merge at once
    assert lund.list_url == (
        "/admin/partners/partner/?country=SE&q=Universit%C3%A9+de+Lund"
    )
    assert pasteur.merge_ids is not None

    page = admin_client.get(reverse("admin:index")).text
    assert "et 7 autres" in page
    assert page.count("Fusionner") == 1  # Institut Pasteur's only
    changelist = admin_client.get(lund.list_url)
    assert changelist.context["cl"].result_count == 12


def test_last_changes_name_their_author(admin_client, admin_user):
    partner = PartnerFactory(name_fr="Avant")
    admin_client.post(
        reverse("admin:partners_partner_change", args=[partner.pk]),
        {
            **{
                field: getattr(partner, field)
                for field in ("name_fr", "name_en", "slug", "kind", "status")
            },
            "name_fr": "Après",
            "country": "JP",
            "publication_status": "published",
            # The version the form was opened on
            # (partners.admin_forms.ConcurrentChangeForm).
            "opened_version": partner.updated.isoformat(),
        },
    )
    latest = dashboard.recent_changes()[0]
    assert Partner.objects.get(pk=partner.pk).name_fr == "Après"
    assert latest.history_user == admin_user


def test_last_changes_say_what_the_change_was_in_the_readers_language(admin_client):
    # A merge showed as a deletion and a change, nothing said of the merge.
    kept = PartnerFactory(name_fr="Université de Tel-Aviv", ror_id="", pic="")
    duplicate = PartnerFactory(name_fr="Universite de Tel Aviv", ror_id="", pic="")
    merge_partners(kept, [duplicate])
    name = str(kept)  # as the reason keeps it: in the language of the merge

    page = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fr")

    reasons = {entry.reason for entry in page.context["recent_changes"][:2]}
    assert reasons == {
        f"Fusionné dans le partenaire #{kept.pk} ({kept})",
        f"Partenaire #{duplicate.pk} ({duplicate}) fusionné dans celui-ci",
    }
    assert escape(f"Fusionné dans le partenaire #{kept.pk}") in page.content.decode()
    with translation.override("en"):
        [entry] = [
            entry for entry in dashboard.recent_changes() if entry.history_type == "-"
        ]
        assert entry.reason == f"Merged into partner #{kept.pk} ({name})"
    # A change the site gives no reason says none.
    PartnerFactory()
    assert dashboard.recent_changes()[0].reason == ""


def populate(rows):
    today = timezone.localdate()
    for index in range(rows):
        UnitFactory(name_en="")
        PartnerFactory(name_fr=f"Doublon {index}", country="BR")
        PartnerFactory(name_fr=f"Doublon {index}", country="BR")
        GrantFactory(
            start_date=today - datetime.timedelta(days=900),
            end_date=today + datetime.timedelta(days=10),
        )


GAP_INDEXED = [Partner, Person, Grant, Project]


@pytest.mark.parametrize("model", GAP_INDEXED)
def test_the_indexes_of_records_missing_a_language_hold_the_dashboards_condition(
    model,
):
    # PostgreSQL uses a partial index only for a query holding its condition: one
    # built with other fields, or in another order, would never be read.
    [index] = [i for i in model._meta.indexes if i.name.endswith("translation_gap")]
    assert index.condition == dashboard._translation_gap(model)


@pytest.mark.postgresql
@pytest.mark.parametrize("model", GAP_INDEXED)
def test_records_missing_a_language_are_read_from_their_index(model):
    # After each change the dashboard counted and listed them by reading every row
    # (a million partners: 0.3-0.5 s).
    rows = model._default_manager.filter(dashboard._translation_gap(model))
    index = f"{model._meta.model_name}_translation_gap"
    assert index in plan(rows.order_by("-pk")[:5])
    assert index in plan(rows.order_by())


@pytest.mark.postgresql
def test_grants_ending_soon_are_read_from_their_index():
    today = timezone.localdate()
    grants = Grant.objects.filter(
        end_date__range=(today, today + datetime.timedelta(days=90))
    ).order_by("end_date")[:20]
    assert "grant_end_date" in plan(grants)


def test_dashboard_query_count_does_not_grow_with_the_data(admin_client):
    def queries():
        cache.clear()  # each time from nothing, the duplicates included
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(reverse("admin:index")).status_code == 200
        return len(context)

    populate(3)
    few = queries()
    populate(18)  # past what each panel shows (20 at most)
    assert queries() == few


def test_last_changes_name_the_record_without_the_history_date(admin_client):
    testimony = TestimonyFactory(
        person=PersonFactory(first_name="Patrick", last_name="Nédellec"),
        quote="Avec 440 lauréats, le CNRS est la première institution.",
    )

    latest = dashboard.recent_changes()[0]
    html = admin_client.get(reverse("admin:index")).content.decode()

    assert latest.label == str(testimony)
    changes = html[html.index('id="dashboard-changes"') :]
    assert "Patrick Nédellec — Avec 440 lauréats" in changes
    assert " as of " not in changes


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("fr", "60\u00a0000 – missions à l’étranger par an (2016)"),
        ("en", "60,000 – missions abroad a year (2016)"),
    ],
)
def test_last_changes_group_a_key_figures_thousands(admin_client, language, label):
    KeyFigureFactory(
        value=Decimal("60000"),
        suffix="",
        label_fr="missions à l’étranger par an",
        label_en="missions abroad a year",
        year=2016,
    )

    html = admin_client.get(
        reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()

    changes = html[html.index('id="dashboard-changes"') :]
    assert escape(label) in changes


@pytest.mark.parametrize(
    ("language", "total", "drafts"),
    [("fr", "60\u00a0000", "1\u00a0200"), ("en", "60,000", "1,200")],
)
def test_the_counts_group_their_thousands(
    admin_client, monkeypatch, language, total, drafts
):
    monkeypatch.setattr(
        dashboard,
        "model_counts",
        lambda records: [dashboard.ModelCount(Partner, 60000, 1200)],
    )

    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language)

    html = response.content.decode()
    counts = html[html.index('id="dashboard-counts"') : html.index("</table>")]
    assert f'<td class="number">{total}</td>' in counts
    assert f">{drafts}</a></td>" in counts


def test_last_changes_name_a_record_whose_related_record_is_gone(admin_client):
    testimony = TestimonyFactory()
    person, pk = testimony.person, testimony.pk
    testimony.delete()
    person.delete()

    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    labels = [entry.label for entry in response.context["recent_changes"]]
    assert f"Témoignage #{pk}" in labels


def test_last_changes_read_the_people_quoted_with_their_testimonies():
    def queries():
        with CaptureQueriesContext(connection) as context:
            dashboard.recent_changes()
        return len(context)

    TestimonyFactory()
    one = queries()
    for _ in range(5):
        TestimonyFactory()
    assert queries() == one


# Each role sees on the dashboard what its changelists show it.


def staff_member(role, office, institute):
    """A staff member of ``role``, with an office and an institute on their profile."""
    user = User.objects.create_user(role.value, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role.value))
    profile = StaffProfile.objects.create(user=user, office=office)
    profile.institutes.add(institute)
    return user


def staff(role, office, institute):
    """The browser of a staff member of ``role`` (``staff_member``), logged in."""
    client = Client()
    client.force_login(staff_member(role, office, institute))
    return client


@pytest.fixture
def world():
    """Records in and out of the scope of an adviser (INSMI), an office (JP, KR)."""
    insmi = InstituteFactory(code="INSMI")
    inp = InstituteFactory(code="INP")
    tokyo = OfficeFactory(country="JP", countries=["JP", "KR"])
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=30)
    signed = today - datetime.timedelta(days=900)
    world = {
        "insmi": insmi,
        "tokyo": tokyo,
        "unit": UnitFactory(lead_institute=insmi, name_en=""),
        "unit_elsewhere": UnitFactory(lead_institute=inp, name_en=""),
        "grant": GrantFactory(institute=insmi, start_date=signed, end_date=soon),
        "grant_elsewhere": GrantFactory(
            institute=inp, start_date=signed, end_date=soon
        ),
        "agreement": AgreementFactory(countries=["KR"], signed_on=signed, ends_on=soon),
        "agreement_elsewhere": AgreementFactory(
            countries=["BR"], office=None, signed_on=signed, ends_on=soon
        ),
        "partner": PartnerFactory(country="KR", name_fr="Université de Séoul"),
        "partner_elsewhere": PartnerFactory(country="BR", name_fr="Université de Rio"),
    }
    # A text in French only, and a pair of possible duplicates, in each country.
    world["partner_in_french"] = PartnerFactory(
        country="KR", name_fr="Université de Seoul", name_en=""
    )
    PartnerFactory(country="BR", name_fr="Universite de Rio", name_en="")
    # The last changes (12 of them): those out of each scope, then those in.
    for name in ("elsewhere", ""):
        for kind in ("unit", "grant", "agreement", "partner"):
            world["_".join(filter(None, (kind, name)))].save()
    return world


def dashboard_of(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.context


def counted(context, model):
    [count] = [c for c in context["model_counts"] if c.model is model]
    return count.total


def gap(context, model):
    [entry] = [g for g in context["missing_translations"] if g["model"] is model]
    return entry["count"], [name for name, _url in entry["examples"]]


def changed(context) -> set[str]:
    return {entry.label for entry in context["recent_changes"]}


def test_an_adviser_sees_the_units_and_grants_of_their_institutes_only(world):
    context = dashboard_of(
        staff(Role.INSTITUTE_ADVISER, world["tokyo"], world["insmi"])
    )

    assert (counted(context, Unit), counted(context, Grant)) == (1, 1)
    assert counted(context, Partner) == 4  # partners are not theirs to scope
    assert context["grants_ending"] == [world["grant"]]
    assert len(context["agreements_ending"]) == 2
    assert gap(context, Unit) == (1, [str(world["unit"])])
    assert gap(context, Partner)[0] == 2
    assert str(world["unit"]) in changed(context)
    assert str(world["grant"]) in changed(context)
    assert str(world["unit_elsewhere"]) not in changed(context)
    assert str(world["grant_elsewhere"]) not in changed(context)
    assert len(context["duplicates"].groups) == 2


def test_office_staff_see_the_partners_and_agreements_of_their_countries_only(world):
    context = dashboard_of(staff(Role.OFFICE_STAFF, world["tokyo"], world["insmi"]))

    assert counted(context, Partner) == 2
    assert counted(context, Agreement) == 1
    assert counted(context, Grant) == 2  # grants are not theirs to scope
    assert context["agreements_ending"] == [world["agreement"]]
    assert len(context["grants_ending"]) == 2
    assert gap(context, Partner) == (1, [str(world["partner_in_french"])])
    assert str(world["partner"]) in changed(context)
    assert str(world["agreement"]) in changed(context)
    assert str(world["partner_elsewhere"]) not in changed(context)
    assert str(world["agreement_elsewhere"]) not in changed(context)
    [duplicates] = context["duplicates"].groups
    assert duplicates.country == "KR"


def test_administrators_see_every_record(admin_client, world):
    context = dashboard_of(admin_client)

    assert (counted(context, Unit), counted(context, Partner)) == (2, 4)
    assert len(context["grants_ending"]) == len(context["agreements_ending"]) == 2
    assert gap(context, Unit)[0] == 2
    assert str(world["unit_elsewhere"]) in changed(context)
    assert len(context["duplicates"].groups) == 2


def test_the_last_changes_of_office_staff_hold_the_deleted_partners_of_their_countries(
    world,
):
    """As their "Deleted records" page: a deletion in their scope, and no other."""
    korean = PartnerFactory(country="KR", name_fr="Institut coréen")
    brazilian = PartnerFactory(country="BR", name_fr="Instituto brasileiro")
    names = str(korean), str(brazilian)
    korean.delete()
    brazilian.delete()

    context = dashboard_of(staff(Role.OFFICE_STAFF, world["tokyo"], world["insmi"]))

    assert names[0] in changed(context)
    assert names[1] not in changed(context)


def test_an_adviser_is_never_shown_a_record_from_the_cache_of_another_scope(
    admin_client, world
):
    dashboard_of(admin_client)  # cached for every record
    adviser = dashboard_of(
        staff(Role.INSTITUTE_ADVISER, world["tokyo"], world["insmi"])
    )
    office = dashboard_of(staff(Role.OFFICE_STAFF, world["tokyo"], world["insmi"]))

    assert counted(adviser, Unit) == 1 and counted(adviser, Partner) == 4
    assert counted(office, Unit) == 2 and counted(office, Partner) == 2
    assert len(office["duplicates"].groups) == 1
    assert counted(dashboard_of(admin_client), Unit) == 2


def test_roles_without_a_scope_share_the_cached_aggregates(admin_client, world):
    editor = staff(Role.EDITOR, world["tokyo"], world["insmi"])
    dashboard_of(admin_client)

    with CaptureQueriesContext(connection) as context:
        dashboard_of(editor)

    counts = [q for q in context.captured_queries if "COUNT(" in q["sql"].upper()]
    # Only the check that the partners of the duplicates cached are all there.
    assert len(counts) == 1


@pytest.mark.parametrize("role", [Role.INSTITUTE_ADVISER, Role.OFFICE_STAFF])
def test_a_scoped_dashboards_query_count_does_not_grow_with_the_data(role, world):
    client = staff(role, world["tokyo"], world["insmi"])

    def queries():
        cache.clear()  # each time from nothing, the duplicates included
        with CaptureQueriesContext(connection) as context:
            dashboard_of(client)
        return len(context)

    populate(3)
    few = queries()
    populate(18)  # past what each panel shows (20 at most)
    assert queries() == few


def scoped_records(role, world):
    """The records of each model the dashboard reads for a member of ``role``."""
    request = RequestFactory().get(reverse("admin:index"))
    request.user = staff_member(role, world["tokyo"], world["insmi"])
    return dashboard.shown_records(admin.site, request)


@pytest.mark.postgresql
def test_an_advisers_grants_are_read_from_the_dashboards_indexes(world):
    grants = scoped_records(Role.INSTITUTE_ADVISER, world)[Grant]
    today = timezone.localdate()
    ending = grants.filter(
        end_date__range=(today, today + datetime.timedelta(days=90))
    ).order_by("end_date")[:20]
    gaps = grants.filter(dashboard._translation_gap(Grant))

    assert "grant_end_date" in plan(ending, ordered=True)
    assert "grant_translation_gap" in plan(gaps.order_by("-pk")[:5], ordered=True)
    # Counted from an index: the gaps' or the institute's, whichever PostgreSQL
    # expects fewer rows from (on a test's few rows, either).
    assert "Seq Scan" not in plan(gaps.order_by())


@pytest.mark.postgresql
def test_office_staffs_partners_missing_a_language_are_read_from_their_index(world):
    partners = scoped_records(Role.OFFICE_STAFF, world)[Partner]
    gaps = partners.filter(dashboard._translation_gap(Partner))

    assert "partner_translation_gap" in plan(gaps.order_by("-pk")[:5], ordered=True)
    # Counted, either index narrows the rows: the gap's, or that of the office's
    # few countries, which the planner may rightly prefer on a test's rows.
    counted = plan(gaps.order_by())
    assert "partner_translation_gap" in counted or "partner_country" in counted


@pytest.mark.postgresql
def test_office_staffs_last_changes_are_read_newest_first_from_the_date_index(world):
    request = RequestFactory().get(reverse("admin:index"))
    request.user = staff_member(Role.OFFICE_STAFF, world["tokyo"], world["insmi"])
    records = dashboard.shown_records(admin.site, request)
    histories = dashboard.shown_history(admin.site, request, records)

    for model in (Partner, Agreement):
        latest = histories[model].order_by("-history_date")[:12]
        assert "history_date" in plan(latest, ordered=True), model
