"""Merging duplicate partners: every link moves to the one kept, nothing is lost."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertInHTML

from cnrs_intl.models import StaffProfile
from partners import services
from partners.models import Partner
from partners.publication import PublicationStatus
from partners.roles import Role
from partners.services import merge_partners
from programmes.models import CnrsRole, ParticipantRole, ProjectParticipant
from tests.factories import (
    AgreementFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from units.models import PartnerRole, UnitPartnership

pytestmark = pytest.mark.django_db


def merge_url(*pks):
    return f"{reverse('admin:partners_partner_merge')}?ids={','.join(map(str, pks))}"


def user_with_role(role):
    user = User.objects.create_user(role.value, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def pair():
    kept = PartnerFactory(name_fr="Université de Tokyo", ror_id="", pic="")
    duplicate = PartnerFactory(name_fr="Universite de Tokyo", ror_id="", pic="")
    return kept, duplicate


def test_merge_moves_every_link_to_the_kept_partner(pair):
    kept, duplicate = pair
    unit = UnitFactory()
    UnitPartnershipFactory(unit=unit, partner=duplicate, role=PartnerRole.PARTNER)
    project = ProjectFactory()
    ProjectParticipantFactory(project=project, partner=duplicate)
    agreement = AgreementFactory()
    agreement.partners.add(duplicate)
    child = PartnerFactory(parent=duplicate)

    report = merge_partners(kept, [duplicate])

    assert list(kept.units.all()) == [unit]
    assert list(kept.projects.all()) == [project]
    assert list(kept.agreements.all()) == [agreement]
    assert list(kept.children.all()) == [child]
    assert report.moved == {
        "children": 1,
        "agreements": 1,
        "unit_partnerships": 1,
        "project_participations": 1,
        # A duplicate's own former addresses (of partners merged into it): none.
        "former_addresses": 0,
    }
    assert not Partner.objects.filter(pk=duplicate.pk).exists()


def test_merge_keeps_one_unit_partnership_with_the_kept_partners_role(pair):
    kept, duplicate = pair
    unit = UnitFactory()
    UnitPartnershipFactory(unit=unit, partner=kept, role=PartnerRole.HOST)
    UnitPartnershipFactory(unit=unit, partner=duplicate, role=PartnerRole.PARTNER)

    report = merge_partners(kept, [duplicate])

    partnership = UnitPartnership.objects.get(unit=unit)
    assert (partnership.partner, partnership.role) == (kept, PartnerRole.HOST)
    assert len(report.collisions) == 1
    assert unit.acronym in report.collisions[0]


def test_merge_of_two_duplicates_in_one_unit_keeps_the_first_by_order(pair):
    kept, duplicate = pair
    other = PartnerFactory()
    unit = UnitFactory()
    UnitPartnershipFactory(unit=unit, partner=other, role=PartnerRole.FUNDER, order=2)
    UnitPartnershipFactory(
        unit=unit, partner=duplicate, role=PartnerRole.PARTNER, order=1
    )

    merge_partners(kept, [other, duplicate])

    partnership = UnitPartnership.objects.get(unit=unit)
    assert (partnership.partner, partnership.role) == (kept, PartnerRole.PARTNER)


def test_merge_keeps_the_eu_contribution_the_kept_participation_lacks(pair):
    kept, duplicate = pair
    project = ProjectFactory()
    ProjectParticipantFactory(project=project, partner=kept, eu_contribution=None)
    ProjectParticipantFactory(
        project=project, partner=duplicate, eu_contribution=Decimal("1200.00")
    )

    merge_partners(kept, [duplicate])

    participation = ProjectParticipant.objects.get(project=project)
    assert participation.partner == kept
    assert participation.eu_contribution == Decimal("1200.00")


def test_merge_keeps_the_coordination_of_a_duplicates_participation(pair):
    # The kept partner's row wins the collision; dropped as it was, the
    # duplicate's row took the project's only coordinator with it.
    kept, duplicate = pair
    project = ProjectFactory(cnrs_role=CnrsRole.PARTICIPANT)
    ProjectParticipantFactory(project=project, partner=kept)
    ProjectParticipantFactory(
        project=project, partner=duplicate, role=ParticipantRole.COORDINATOR
    )

    report = merge_partners(kept, [duplicate])

    participation = ProjectParticipant.objects.get(project=project)
    assert (participation.partner, participation.role) == (
        kept,
        ParticipantRole.COORDINATOR,
    )
    assert "Coordinat" in report.collisions[0]


def test_merge_adds_up_the_eu_contributions_of_one_projects_rows(pair):
    kept, duplicate = pair
    project = ProjectFactory(eu_contribution=Decimal("5000.00"))
    ProjectParticipantFactory(
        project=project, partner=kept, eu_contribution=Decimal("1200.00")
    )
    ProjectParticipantFactory(
        project=project, partner=duplicate, eu_contribution=Decimal("800.50")
    )

    merge_partners(kept, [duplicate])

    participation = ProjectParticipant.objects.get(project=project)
    assert participation.partner == kept
    assert participation.eu_contribution == Decimal("2000.50")
    assert participation.role == ParticipantRole.PARTICIPANT


def test_merge_adds_up_contributions_into_a_row_moved_from_a_duplicate(pair):
    # Neither row is the kept partner's: the first is moved, the second combined
    # into it, both saved once.
    kept, first, second = pair[0], pair[1], PartnerFactory()
    project = ProjectFactory(cnrs_role=CnrsRole.PARTICIPANT)
    ProjectParticipantFactory(
        project=project, partner=first, eu_contribution=Decimal("100.00")
    )
    ProjectParticipantFactory(
        project=project,
        partner=second,
        role=ParticipantRole.COORDINATOR,
        eu_contribution=Decimal("50.00"),
    )

    merge_partners(kept, [first, second])

    participation = ProjectParticipant.objects.get(project=project)
    assert participation.partner == kept
    assert participation.role == ParticipantRole.COORDINATOR
    assert participation.eu_contribution == Decimal("150.00")


def test_merge_keeps_an_agreement_shared_by_both_once(pair):
    kept, duplicate = pair
    agreement = AgreementFactory()
    agreement.partners.add(kept, duplicate)

    merge_partners(kept, [duplicate])

    assert list(agreement.partners.all()) == [kept]


def test_merge_fills_the_empty_fields_of_the_kept_partner(pair):
    kept, duplicate = pair
    parent = PartnerFactory()
    Partner.objects.filter(pk=kept.pk).update(
        acronym="", name_en="", city_en="", website=""
    )
    duplicate.acronym = "UTokyo"
    duplicate.name_en = "University of Tokyo"
    duplicate.city_en = "Tokyo EN"
    duplicate.website = "https://www.u-tokyo.ac.jp/"
    duplicate.original_name = "東京大学"
    duplicate.original_name_language = "ja"
    duplicate.latitude, duplicate.longitude = Decimal("35.7"), Decimal("139.7")
    duplicate.established = 1877
    duplicate.parent = parent
    duplicate.save()

    merge_partners(kept, [duplicate])

    kept.refresh_from_db()
    assert kept.acronym == "UTokyo"
    assert kept.name_en == "University of Tokyo"
    assert kept.city_en == "Tokyo EN"
    assert kept.website == "https://www.u-tokyo.ac.jp/"
    assert (kept.original_name, kept.original_name_language) == ("東京大学", "ja")
    assert (kept.latitude, kept.longitude) == (Decimal("35.7"), Decimal("139.7"))
    assert kept.established == 1877
    assert kept.parent == parent
    assert kept.name_fr == "Université de Tokyo"


def test_a_kept_original_name_keeps_its_language_not_a_duplicates(pair):
    """The language describes the name: it comes only with a name filled."""
    kept, duplicate = pair
    Partner.objects.filter(pk=kept.pk).update(
        original_name="Universidade de São Paulo", original_name_language=""
    )
    duplicate.original_name, duplicate.original_name_language = "東京大学", "ja"
    duplicate.save()

    merge_partners(kept, [duplicate])

    kept.refresh_from_db()
    assert (kept.original_name, kept.original_name_language) == (
        "Universidade de São Paulo",
        "",
    )


def test_merge_moves_the_unique_identifiers_to_the_kept_partner(pair):
    kept, duplicate = pair
    Partner.objects.filter(pk=duplicate.pk).update(ror_id="057zh3y96", pic="999999999")

    merge_partners(kept, [duplicate])

    kept.refresh_from_db()
    assert (kept.ror_id, kept.pic) == ("057zh3y96", "999999999")


def test_merge_reports_an_identifier_the_kept_partner_cannot_take(pair):
    kept, duplicate = pair
    Partner.objects.filter(pk=kept.pk).update(ror_id="057zh3y96")
    Partner.objects.filter(pk=duplicate.pk).update(ror_id="02feahw73")

    report = merge_partners(kept, [duplicate])

    kept.refresh_from_db()
    assert kept.ror_id == "057zh3y96"
    assert any("02feahw73" in conflict for conflict in report.conflicts)
    deletion = Partner.history.get(id=duplicate.pk, history_type="-")
    assert deletion.ror_id == "02feahw73"


def test_a_merged_partner_whose_ror_id_moved_can_be_restored(pair):
    kept, duplicate = pair
    Partner.objects.filter(pk=duplicate.pk).update(ror_id="057zh3y96")

    merge_partners(kept, [duplicate])

    deletion = Partner.history.get(id=duplicate.pk, history_type="-")
    assert deletion.ror_id == ""
    deletion.instance.save()
    assert Partner.objects.get(pk=kept.pk).ror_id == "057zh3y96"


def test_merged_partners_are_deleted_and_restorable_from_the_history(pair):
    kept, duplicate = pair
    user = User.objects.create_user("editor")

    merge_partners(kept, [duplicate], user=user)

    deletion = Partner.history.get(id=duplicate.pk, history_type="-")
    assert deletion.history_user == user
    assert f"#{kept.pk}" in deletion.history_change_reason
    deletion.instance.save()  # what reverting to it in the admin does
    assert Partner.objects.filter(pk=duplicate.pk).exists()


def test_the_kept_partners_history_records_the_merge(pair):
    kept, duplicate = pair
    user = User.objects.create_user("editor")
    with translation.override("en"):
        name = str(duplicate)
        merge_partners(kept, [duplicate], user=user)

    entry = Partner.history.filter(id=kept.pk).latest("history_date")
    assert entry.history_change_reason == (
        f"Merged partner #{duplicate.pk} ({name}) into this one"
    )
    assert entry.history_user == user


def test_moved_links_are_in_their_history(pair):
    kept, duplicate = pair
    partnership = UnitPartnershipFactory(partner=duplicate)

    merge_partners(kept, [duplicate])

    entry = UnitPartnership.history.filter(id=partnership.pk).latest("history_date")
    assert entry.partner_id == kept.pk
    assert f"#{kept.pk}" in entry.history_change_reason


def test_merge_is_all_or_nothing(pair, monkeypatch):
    kept, duplicate = pair
    Partner.objects.filter(pk=kept.pk).update(acronym="")
    partnership = UnitPartnershipFactory(partner=duplicate)
    agreement = AgreementFactory()
    agreement.partners.add(duplicate)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_delete_duplicates", fail)
    with pytest.raises(RuntimeError):
        merge_partners(kept, [duplicate])

    partnership.refresh_from_db()
    assert partnership.partner == duplicate
    assert list(agreement.partners.all()) == [duplicate]
    assert Partner.objects.get(pk=kept.pk).acronym == ""
    assert Partner.objects.filter(pk=duplicate.pk).exists()


@translation.override("en")
def test_merge_refuses_nonsense(pair):
    kept, duplicate = pair
    with pytest.raises(ValueError, match="at least one"):
        merge_partners(kept, [])
    with pytest.raises(ValueError, match="itself"):
        merge_partners(kept, [kept])
    assert Partner.objects.count() == 2


@translation.override("en")
def test_merge_refuses_to_make_the_kept_partner_its_own_parent(pair):
    kept, duplicate = pair
    middle = PartnerFactory(parent=duplicate)
    kept.parent = middle
    kept.save()

    with pytest.raises(ValueError, match="own parent"):
        merge_partners(kept, [duplicate])

    # The other way round is fine: the child is absorbed by its ancestor.
    merge_partners(duplicate, [kept])
    middle.refresh_from_db()
    assert middle.parent == duplicate


# The admin -----------------------------------------------------------------------


def test_editor_merges_through_the_action_and_the_confirmation(client, pair):
    kept, duplicate = pair
    UnitPartnershipFactory(partner=kept)
    UnitPartnershipFactory(partner=duplicate)
    UnitPartnershipFactory(partner=duplicate)
    client.force_login(user_with_role(Role.EDITOR))

    response = client.post(
        reverse("admin:partners_partner_changelist"),
        {"action": "merge_selected", "_selected_action": [kept.pk, duplicate.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == merge_url(kept.pk, duplicate.pk)

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Université de Tokyo" in html
    # The one with the most links is proposed.
    assert [row["partner"] for row in page.context["rows"] if row["checked"]] == [
        duplicate
    ]

    response = client.post(response["Location"], {"kept": kept.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:partners_partner_change", args=[kept.pk]
    )
    assert not Partner.objects.filter(pk=duplicate.pk).exists()
    assert kept.unit_partnerships.count() == 3


def test_the_merge_page_names_the_links_a_merge_would_drop(admin_client, pair):
    kept, duplicate = pair
    unit = UnitFactory(acronym="JRL", code="IRL 3218")
    UnitPartnershipFactory(unit=unit, partner=kept, role=PartnerRole.HOST)
    UnitPartnershipFactory(unit=unit, partner=duplicate, role=PartnerRole.PARTNER)
    project = ProjectFactory(acronym="BILASURF")
    ProjectParticipantFactory(project=project, partner=kept)
    ProjectParticipantFactory(project=project, partner=duplicate)
    UnitPartnershipFactory(partner=duplicate)  # one of theirs alone: moves, no loss
    AgreementFactory().partners.set([kept, duplicate])  # nothing but the link

    page = admin_client.get(merge_url(kept.pk, duplicate.pk))
    collisions = page.context["collisions"]  # in the admin's language

    assert len(collisions) == 2
    [partnership] = [c for c in collisions if "JRL (IRL 3218)" in c]
    # "Unit partnership, JRL (IRL 3218): Université de Tokyo – Host institution / …"
    kept_row, dropped_row = partnership.split(": ", 1)[1].split(" / ")
    assert kept_row.startswith(str(kept)) and dropped_row.startswith(str(duplicate))
    assert any("BILASURF" in c for c in collisions)
    assert "JRL (IRL 3218)" in page.content.decode()


def test_the_merge_page_warns_of_partners_with_different_ror_ids(admin_client, pair):
    kept, duplicate = pair
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    page = admin_client.get(merge_url(kept.pk, duplicate.pk), **english)
    assert page.context["different_ror_ids"] == []
    assert "different ROR ids" not in page.content.decode()

    Partner.objects.filter(pk=kept.pk).update(ror_id="057zh3y96")
    Partner.objects.filter(pk=duplicate.pk).update(ror_id="02feahw73")
    page = admin_client.get(merge_url(kept.pk, duplicate.pk), **english)
    # Said before the merge: only its report said so, after.
    assert (
        "These partners have different ROR ids (02feahw73, 057zh3y96): ROR holds "
        "them as different organisations."
    ) in " ".join(page.content.decode().split())


def test_the_merge_page_warns_of_partners_in_different_countries(admin_client, pair):
    kept, duplicate = pair
    french = {"HTTP_ACCEPT_LANGUAGE": "fr"}
    Partner.objects.filter(pk__in=[kept.pk, duplicate.pk]).update(country="JP")
    page = admin_client.get(merge_url(kept.pk, duplicate.pk), **french)
    assert page.context["different_countries"] == ""

    Partner.objects.filter(pk=duplicate.pk).update(country="US")
    page = admin_client.get(merge_url(kept.pk, duplicate.pk), **french)

    assert (
        "Ces établissements sont dans des pays différents (États-Unis, Japon) : "
        "des homonymes de deux pays sont deux établissements."
    ) in " ".join(page.content.decode().split())


def test_a_draft_kept_is_published_with_a_published_duplicate(admin_client, client):
    # Kept a draft, the published partner's page answered 404 until someone
    # published the draft, and its project's page listed a draft participant.
    published = PartnerFactory(slug="tel-aviv-university", ror_id="", pic="")
    draft = PartnerFactory(
        slug="tau-2", publication_status=PublicationStatus.DRAFT, ror_id="", pic=""
    )
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    page = admin_client.get(merge_url(published.pk, draft.pk), **english)
    assert page.context["drafts_published"]
    assert "a draft kept is published with the merge" in " ".join(
        page.content.decode().split()
    )

    response = admin_client.post(
        merge_url(published.pk, draft.pk), {"kept": draft.pk}, follow=True, **english
    )

    draft.refresh_from_db()
    assert draft.publication_status == PublicationStatus.PUBLISHED
    [message] = [str(m) for m in response.context["messages"]]
    assert f"published, as #{published.pk} {published} was: its page leads" in message
    assert client.get("/en/partners/tel-aviv-university/")["Location"] == (
        "/en/partners/tau-2/"
    )
    assert client.get("/en/partners/tau-2/").status_code == 200
    # The history says so: the merge's version is the published one.
    assert draft.history.first().publication_status == PublicationStatus.PUBLISHED


def test_a_merge_of_drafts_or_into_a_published_partner_keeps_the_status(pair):
    kept, duplicate = pair
    Partner.objects.filter(pk__in=[kept.pk, duplicate.pk]).update(
        publication_status=PublicationStatus.DRAFT
    )
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    report = merge_partners(kept, [duplicate])
    kept.refresh_from_db()
    assert kept.publication_status == PublicationStatus.DRAFT
    assert report.published_for == [] and "published" not in report.summary()

    other = PartnerFactory(publication_status=PublicationStatus.DRAFT)
    published = PartnerFactory()
    assert merge_partners(published, [other]).published_for == []
    published.refresh_from_db()
    assert published.publication_status == PublicationStatus.PUBLISHED


def test_the_merge_page_says_a_draft_kept_is_published_when_statuses_differ(
    admin_client, pair
):
    kept, duplicate = pair
    page = admin_client.get(merge_url(kept.pk, duplicate.pk), HTTP_ACCEPT_LANGUAGE="fr")
    assert not page.context["drafts_published"]
    assert "un brouillon conservé est publié" not in page.content.decode()

    Partner.objects.filter(pk=duplicate.pk).update(
        publication_status=PublicationStatus.DRAFT
    )
    page = admin_client.get(merge_url(kept.pk, duplicate.pk), HTTP_ACCEPT_LANGUAGE="fr")
    assert (
        "des brouillons\u00a0: un brouillon conservé est publié avec la fusion"
        in page.content.decode()
    )


def test_the_merge_page_counts_its_queries_alike_whatever_the_links(admin_client, pair):
    kept, duplicate = pair

    def links(count):
        for _ in range(count):
            unit = UnitFactory()
            UnitPartnershipFactory(unit=unit, partner=kept)
            UnitPartnershipFactory(unit=unit, partner=duplicate)

    links(1)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(merge_url(kept.pk, duplicate.pk))
    links(5)
    with CaptureQueriesContext(connection) as many:
        page = admin_client.get(merge_url(kept.pk, duplicate.pk))

    assert len(page.context["collisions"]) == 6
    assert len(many) == len(few)


def test_merge_action_needs_two_partners(client, pair):
    kept, _duplicate = pair
    client.force_login(user_with_role(Role.EDITOR))
    response = client.post(
        reverse("admin:partners_partner_changelist"),
        {"action": "merge_selected", "_selected_action": [kept.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Partner.objects.count() == 2


def test_contributor_may_not_merge(client, pair):
    kept, duplicate = pair
    client.force_login(user_with_role(Role.CONTRIBUTOR))

    assert client.get(merge_url(kept.pk, duplicate.pk)).status_code == 403
    response = client.post(merge_url(kept.pk, duplicate.pk), {"kept": kept.pk})
    assert response.status_code == 403
    changelist = client.get(reverse("admin:partners_partner_changelist"))
    assert "merge_selected" not in changelist.content.decode()
    assert Partner.objects.count() == 2


@pytest.mark.parametrize(
    "ids", ["", "abc", "1,x", "1", "999998,999999", "1;2", "１,２", "-1,2"]
)
def test_bad_ids_get_a_400(client, ids):
    client.force_login(user_with_role(Role.EDITOR))
    response = client.get(f"{reverse('admin:partners_partner_merge')}?ids={ids}")
    assert response.status_code == 400
    assert response.context["error"]


@pytest.mark.parametrize(
    "ids", ["1,99999999999999999999999", "1,9223372036854775808", "1," + "9" * 5000]
)
def test_ids_beyond_64_bits_are_no_ids_on_any_database(client, pair, ids):
    client.force_login(user_with_role(Role.EDITOR))
    response = client.get(reverse("admin:partners_partner_merge"), {"ids": ids})
    assert response.status_code == 400
    assert response.context["error"] == translation.gettext(
        "The ids must be partner numbers separated by commas."
    )


def test_the_largest_64_bit_id_is_an_id_no_partner_has(client, pair):
    kept, _duplicate = pair
    client.force_login(user_with_role(Role.EDITOR))
    response = client.get(merge_url(kept.pk, 2**63 - 1))
    assert response.status_code == 400
    assert "9223372036854775807" in response.context["error"]


def test_a_missing_kept_choice_gets_a_400(client, pair):
    kept, duplicate = pair
    client.force_login(user_with_role(Role.EDITOR))
    url = merge_url(kept.pk, duplicate.pk)
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"kept": "999999"}).status_code == 400
    assert Partner.objects.count() == 2


def test_dashboard_links_each_duplicate_group_to_the_merge_page(admin_client, pair):
    kept, duplicate = pair
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert merge_url(kept.pk, duplicate.pk) in html


def test_an_agreement_of_both_partners_is_said_kept_once(pair):
    # "kept “Accord JP-US”, removed “Accord JP-US”" read as if it were deleted.
    kept, duplicate = pair
    agreement = AgreementFactory(title_en="JP-US agreement")
    agreement.partners.set([kept, duplicate])

    with translation.override("en"):
        report = merge_partners(kept, [duplicate])

    assert list(agreement.partners.all()) == [kept]
    [said] = [c for c in report.collisions if "JP-US agreement" in c]
    assert said.endswith("“JP-US agreement”: linked to both, kept once")


def last_version_page(client, partner, language):
    """The page of ``partner``'s last version before its deletion (to restore)."""
    version = Partner.history.filter(id=partner.pk).exclude(history_type="-")[0]
    return client.get(
        reverse(
            "admin:partners_partner_simple_history",
            args=[partner.pk, version.history_id],
        ),
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_a_merged_partners_versions_say_its_links_stay_with_the_kept_one(
    admin_client, pair
):
    # Restoring it does not take its links back: staff are told before reverting,
    # and how to give each record its link back.
    kept, duplicate = pair
    UnitPartnershipFactory(partner=duplicate)
    merge_partners(kept, [duplicate])

    page = last_version_page(admin_client, duplicate, "fr")

    assert services.merged_into(duplicate.pk) == kept.pk
    html = " ".join(page.content.decode().split())
    kept_url = reverse("admin:partners_partner_change", args=[kept.pk])
    assert (
        f'Ce partenaire a été fusionné avec <a href="{kept_url}">#{kept.pk} {kept}</a>'
    ) in html
    # A partner deleted otherwise, or not deleted, was merged into none.
    other = PartnerFactory()
    assert services.merged_into(other.pk) is None
    other.delete()
    assert services.merged_into(other.pk) is None


def test_a_scoped_role_is_told_of_a_merge_into_a_partner_it_may_not_see(client, pair):
    # Office staff (Japan, Korea) see the merged partner's versions, not the kept
    # partner in Brazil: its number, not its name nor a link it may not follow.
    kept, duplicate = pair
    Partner.objects.filter(pk=kept.pk).update(country="BR")
    Partner.objects.filter(pk=duplicate.pk).update(country="JP")
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    merge_partners(kept, [duplicate])
    user = user_with_role(Role.OFFICE_STAFF)
    StaffProfile.objects.create(
        user=user, office=OfficeFactory(country="JP", countries=["JP", "KR"])
    )
    client.force_login(user)

    page = last_version_page(client, duplicate, "en")

    assert page.status_code == 200
    html = " ".join(page.content.decode().split())
    assert f"This partner was merged into partner #{kept.pk}: its units" in html
    assert str(kept) not in html


@pytest.mark.parametrize(
    ("language", "header", "date", "action"),
    [
        (
            "fr",
            "Identifiant ROR",
            "1er décembre 2026",
            "Fusionner les établissements partenaires sélectionnés",
        ),
        ("en", "ROR id", "1 December 2026", "Merge the selected partner institutions"),
    ],
)
def test_the_merge_page_heads_its_columns_and_writes_its_dates_out(
    admin_client, pair, language, header, date, action
):
    # Not "identifiant ROR" among capitalised headers, nor "01/12/2026", which reads
    # as January in English; the action names partners as the delete action does.
    kept, duplicate = pair
    moment = datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC)
    Partner.objects.filter(pk__in=[kept.pk, duplicate.pk]).update(created=moment)

    page = admin_client.get(
        merge_url(kept.pk, duplicate.pk), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    changelist = admin_client.get(
        reverse("admin:partners_partner_changelist"), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()

    assertInHTML(f'<th scope="col">{header}</th>', page)
    assertInHTML(f"<td>{date}</td>", page, count=2)
    assert f'<option value="merge_selected">{action}</option>' in changelist
