"""The ROR import: the service, the ``import_ror`` command and the admin upload page.

The two ``ror-v2-*.json`` records in ``data/`` are copies of the samples in
``shared/formats/``; ``ror-v2-dump.json`` is a small dump around them, and the
``malformed-*.json`` files each break after good records.
"""

import gc
import hashlib
import io
import json
import re
import zipfile
from contextlib import nullcontext
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, strip_tags

from partners import services
from partners.import_errors import listed_errors, refusal_summary
from partners.models import Partner, PartnerKind, PartnerStatus, validate_website
from partners.publication import PublicationStatus
from partners.roles import Role
from partners.ror import MAX_HOST_LENGTH, PLAIN_WEBSITE, open_dump, parse_record
from partners.services import (
    ImportReport,
    RorImportError,
    RorImportErrors,
    _with_ror_ids,
    import_ror,
)
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
UC, MONASH = (
    DATA / "ror-v2-university-of-california.json",
    DATA / "ror-v2-monash-university.json",
)
DUMP = DATA / "ror-v2-dump.json"
IMPORT_URL = reverse("admin:partners_partner_import_ror")
CHANGELIST_URL = reverse("admin:partners_partner_changelist")


def dump_of(*records) -> io.BytesIO:
    """Return a ROR dump, as a binary stream, holding ``records``."""
    return io.BytesIO(json.dumps(list(records), ensure_ascii=False).encode())


def samples() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in (UC, MONASH)]


def import_file(path: Path, **options):
    with path.open("rb") as stream:
        return import_ror(stream, **options)


def history_count() -> int:
    return Partner.history.count()


SHARED_DIGESTS = {
    "ror-v2-monash-university.json": (
        "733ccbba1c071ef653029f5a8dffd97f44a44ee018859bd0a4c9a8e6476240d2"
    ),
    "ror-v2-university-of-california.json": (
        "ddf8cf1e891ac396e95a20fe749b7962c4eaf006a049c9475a02360609f67180"
    ),
}


def test_the_copied_samples_match_the_shared_ones():
    # Beside the repository, the shared folder itself; elsewhere (a clone alone, as
    # in CI), the digests of its files when they were copied.
    shared = Path(__file__).resolve().parents[2] / ".." / "shared" / "formats"
    for copy in (UC, MONASH):
        if shared.is_dir():
            assert copy.read_bytes() == (shared / copy.name).read_bytes()
        assert (
            hashlib.sha256(copy.read_bytes()).hexdigest() == SHARED_DIGESTS[copy.name]
        )


def test_import_creates_a_partner_from_each_sample():
    report = import_ror(dump_of(*samples()))

    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    uc = Partner.objects.get(ror_id="00pjdza24")
    assert uc.name_en == "University of California System"
    assert uc.original_name == "University of California System"
    assert uc.acronym == "UC"
    assert uc.slug == "universite-de-californie"
    assert uc.kind == PartnerKind.UNIVERSITY
    assert uc.country == "US"
    assert (uc.city_fr, uc.city_en) == ("Oakland", "Oakland")
    assert (uc.latitude, uc.longitude) == (Decimal("37.802168"), Decimal("-122.271281"))
    assert uc.website == "http://www.universityofcalifornia.edu/"
    assert uc.status == PartnerStatus.ACTIVE
    assert uc.established == 1868
    assert uc.publication_status == PublicationStatus.DRAFT
    monash = Partner.objects.get(ror_id="02bfwt286")
    assert (monash.city_en, monash.country, monash.established) == (
        "Melbourne",
        "AU",
        1958,
    )
    assert (monash.latitude, monash.longitude) == (
        Decimal("-37.9083"),
        Decimal("145.138"),
    )


def test_the_french_label_of_the_university_of_california_is_its_french_name():
    import_ror(dump_of(*samples()))

    uc = Partner.objects.get(ror_id="00pjdza24")
    assert uc.name_fr == "Université de Californie"
    assert uc.name_en == "University of California System"


def test_without_a_french_label_the_french_name_repeats_the_display_name():
    import_ror(dump_of(*samples()))

    monash = Partner.objects.get(ror_id="02bfwt286")
    assert monash.name_fr == monash.name_en == "Monash University"
    assert monash.acronym == ""


def test_names_kinds_and_statuses_of_the_small_dump():
    import_file(DUMP)

    tokyo = Partner.objects.get(ror_id="057zh3y96")
    # Displayed in English by ROR, kept in its own script as the original name.
    assert (tokyo.name_en, tokyo.original_name) == (
        "The University of Tokyo",
        "東京大学",
    )
    cnrs = Partner.objects.get(ror_id="02feahw73")
    # A French display name is the French and original name; English from its label.
    assert cnrs.name_fr == cnrs.original_name
    assert cnrs.name_fr == "Centre National de la Recherche Scientifique"
    assert cnrs.name_en == "French National Centre for Scientific Research"
    # facility + funder + government: what it is comes before what it also does.
    assert cnrs.kind == PartnerKind.RESEARCH_ORGANISATION
    withdrawn = Partner.objects.get(ror_id="04zzzzz11")
    assert withdrawn.status == PartnerStatus.CLOSED
    assert withdrawn.kind == PartnerKind.OTHER
    assert withdrawn.website == ""


@pytest.mark.parametrize(
    ("types", "kind"),
    [
        (["education", "funder"], PartnerKind.UNIVERSITY),
        (["funder", "government"], PartnerKind.FUNDING_AGENCY),
        (["company", "funder"], PartnerKind.COMPANY),
        (["government"], PartnerKind.PUBLIC_BODY),
        (["nonprofit"], PartnerKind.RESEARCH_ORGANISATION),
        (["healthcare"], PartnerKind.RESEARCH_ORGANISATION),
        (["archive"], PartnerKind.RESEARCH_ORGANISATION),
        (["other"], PartnerKind.OTHER),
        ([], PartnerKind.OTHER),
    ],
)
def test_kind_follows_the_first_type_in_priority_order(types, kind):
    import_ror(dump_of({**samples()[1], "types": types}))

    assert Partner.objects.get().kind == kind


def test_a_parent_later_in_the_file_is_linked():
    report = import_file(DUMP)

    berkeley = Partner.objects.get(ror_id="01an7q238")
    assert berkeley.parent == Partner.objects.get(ror_id="00pjdza24")
    assert (report.created, report.updated) == (6, 0)
    assert created_row("01an7q238").parent_id == berkeley.parent_id


def test_parents_are_linked_across_batches():
    import_file(DUMP, batch_size=1)

    assert Partner.objects.get(ror_id="01an7q238").parent.ror_id == "00pjdza24"


def test_a_parent_already_imported_is_linked_at_once():
    import_ror(dump_of(samples()[0]))
    history_before = history_count()

    import_file(DUMP)

    berkeley = Partner.objects.get(ror_id="01an7q238")
    assert berkeley.parent.ror_id == "00pjdza24"
    # One history row for Berkeley's creation, none for a later parent update.
    assert berkeley.history.count() == 1
    assert history_count() == history_before + 5


def test_a_parent_missing_from_the_database_leaves_the_parent_alone():
    staff_choice = PartnerFactory()
    import_ror(dump_of(json.loads(DUMP.read_text())[0]))
    berkeley = Partner.objects.get(ror_id="01an7q238")
    assert berkeley.parent is None
    berkeley.parent = staff_choice
    berkeley.save()

    report = import_ror(dump_of(json.loads(DUMP.read_text())[0]))

    berkeley.refresh_from_db()
    assert berkeley.parent == staff_choice
    assert report.unchanged == 1


@pytest.mark.parametrize("batch_size", [1000, 1])
def test_country_filter_imports_only_those_countries(batch_size):
    report = import_file(DUMP, countries={"au", "JP"}, batch_size=batch_size)

    assert set(Partner.objects.values_list("ror_id", flat=True)) == {
        "02bfwt286",
        "057zh3y96",
    }
    assert (report.created, report.skipped) == (2, 4)


@pytest.mark.usefixtures("english")  # the messages are translated
def test_an_unknown_country_in_the_filter_is_refused():
    with pytest.raises(RorImportError, match="Unknown country code: ZZ"):
        import_file(DUMP, countries={"ZZ"})


def test_importing_again_changes_nothing():
    import_file(DUMP)
    history_before = history_count()
    updated_before = dict(Partner.objects.values_list("ror_id", "updated"))

    report = import_file(DUMP)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 6)
    assert history_count() == history_before
    assert dict(Partner.objects.values_list("ror_id", "updated")) == updated_before


def test_a_changed_record_updates_the_partner_with_history():
    import_ror(dump_of(*samples()))
    uc, monash = samples()
    monash["links"] = [{"type": "website", "value": "https://www.monash.edu/"}]
    monash["status"] = "inactive"

    report = import_ror(dump_of(uc, monash))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    partner = Partner.objects.get(ror_id="02bfwt286")
    assert partner.website == "https://www.monash.edu/"
    assert partner.status == PartnerStatus.CLOSED
    last = partner.history.first()
    assert last.history_type == "~"
    assert last.history_change_reason == "ROR import"
    assert last.website == "https://www.monash.edu/"


def test_history_keeps_both_languages():
    import_ror(dump_of(*samples()))

    created = Partner.objects.get(ror_id="00pjdza24").history.get()
    assert created.history_type == "+"
    assert created.name_fr == "Université de Californie"
    assert created.name_en == "University of California System"


def test_a_french_name_written_by_staff_is_kept():
    import_ror(dump_of(*samples()))
    monash = Partner.objects.get(ror_id="02bfwt286")
    monash.name_fr = "Université Monash"
    monash.city_fr = "Melbourne (Victoria)"
    monash.save()
    uc, record = samples()
    record["names"][0]["value"] = "Monash University (Clayton)"

    import_ror(dump_of(uc, record))

    monash.refresh_from_db()
    assert monash.name_en == "Monash University (Clayton)"
    assert (monash.name_fr, monash.city_fr) == (
        "Université Monash",
        "Melbourne (Victoria)",
    )


def test_an_untranslated_french_name_follows_the_english_one():
    import_ror(dump_of(*samples()))
    uc, monash = samples()
    monash["names"][0]["value"] = "Monash University (Clayton)"

    import_ror(dump_of(uc, monash))

    partner = Partner.objects.get(ror_id="02bfwt286")
    assert partner.name_fr == partner.name_en == "Monash University (Clayton)"


def test_existing_partners_keep_their_slug_and_publication_status():
    existing = PartnerFactory(
        ror_id="02bfwt286", slug="monash", name_fr="Université Monash"
    )

    report = import_ror(dump_of(*samples()), publish=False)

    existing.refresh_from_db()
    assert (existing.slug, existing.publication_status) == (
        "monash",
        PublicationStatus.PUBLISHED,
    )
    assert existing.name_en == "Monash University"
    assert (report.created, report.updated) == (1, 1)


def test_publish_publishes_the_new_partners():
    import_ror(dump_of(*samples()), publish=True)

    assert set(Partner.objects.values_list("publication_status", flat=True)) == {
        PublicationStatus.PUBLISHED
    }


def test_a_taken_slug_gets_the_ror_id():
    PartnerFactory(slug="monash-university")

    import_ror(dump_of(*samples()))

    assert Partner.objects.get(ror_id="02bfwt286").slug == "monash-university-02bfwt286"


def test_names_shared_in_one_file_get_distinct_slugs():
    monash = samples()[1]
    twin = {**monash, "id": "https://ror.org/0abcdef12"}
    tokyo = {
        **monash,
        "id": "https://ror.org/057zh3y96",
        "names": [{"value": "東京大学", "types": ["ror_display"], "lang": "ja"}],
    }

    import_ror(dump_of(monash, twin, tokyo))

    assert dict(Partner.objects.values_list("ror_id", "slug")) == {
        "02bfwt286": "monash-university",
        "0abcdef12": "monash-university-0abcdef12",
        "057zh3y96": "057zh3y96",
    }


def test_partners_are_looked_up_through_the_ror_id_index():
    """The partial unique index serves the batch look-ups (else: a table scan each)."""
    import_file(DUMP)
    lookup = _with_ror_ids(["00pjdza24", "02bfwt286"]).values_list("ror_id", "pk")

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A handful of rows: make PostgreSQL show whether it could use the index.
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = lookup.explain()

    assert "partner_unique_ror_id" in plan


def test_batch_look_ups_send_the_ids_as_one_array_on_postgresql():
    """A thousand placeholders took Django and psycopg 20 ms to prepare, per batch."""
    ids = [f"0{n:06d}00" for n in range(1000)]

    sql, params = _with_ror_ids(ids).values_list("pk").query.sql_with_params()

    if connection.vendor == "postgresql":
        assert "= ANY(%s)" in sql
        assert ids in params
    else:
        assert set(ids) <= set(params)


def test_created_partners_history_rows_point_at_them():
    """New partners' keys are drawn before COPY on PostgreSQL: history must agree."""
    import_file(DUMP, batch_size=2)

    created = Partner.history.filter(history_type="+").values_list("id", "ror_id")
    assert sorted(created) == sorted(Partner.objects.values_list("pk", "ror_id"))
    assert Partner.objects.count() == 6


def test_statistics_are_gathered_each_time_the_import_doubles_the_partners(
    monkeypatch,
):
    """One transaction's rows are invisible to autovacuum: the import analyzes."""
    monkeypatch.setattr("partners.services.ANALYZE_MIN_ROWS", 2)
    analyzed = []

    def spy(execute, sql, params, many, context):
        if sql.startswith("ANALYZE"):
            analyzed.append(sql)
        return execute(sql, params, many, context)

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE partners_partner")  # none seen yet
    with connection.execute_wrapper(spy):
        import_file(DUMP, batch_size=1)

    if connection.vendor != "postgresql":
        assert analyzed == []
        return
    # 6 partners, one a batch: analyzed at 2 (then 2 known) and at 4 (4 known).
    assert analyzed == ['ANALYZE "partners_partner" (ror_id, slug)'] * 2
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = 'partners_partner'::regclass"
        )
        assert cursor.fetchone()[0] == 4


@pytest.mark.parametrize(
    ("dump", "outcome"),
    [
        (DUMP, nullcontext()),
        (DATA / "malformed-missing-country.json", pytest.raises(RorImportError)),
    ],
)
def test_the_import_hands_every_object_back_to_the_garbage_collector(
    dump, outcome, monkeypatch
):
    """It freezes the objects made before it (fewer to walk): never for good."""
    frozen = []
    original = services.parse_record

    def parse_and_note(data, position):
        frozen.append(gc.get_freeze_count())
        return original(data, position)

    monkeypatch.setattr(services, "parse_record", parse_and_note)

    with outcome:
        import_file(dump)

    assert frozen and min(frozen) > 0
    assert gc.get_freeze_count() == 0


def test_open_dump_streams_the_json_inside_a_zip():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("v2.0-2024-04-29-ror-data.csv", "id,name\n")
        zipped.writestr("v2.0-2024-04-29-ror-data.json", DUMP.read_bytes())

    with open_dump(archive, "ror.zip") as stream:
        report = import_ror(stream)

    assert report.created == 6


@pytest.mark.usefixtures("english")  # the messages are translated
def test_a_zip_without_one_json_file_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("ror-data.csv", "id,name\n")

    with pytest.raises(RorImportError, match="must hold one .json file"):
        with open_dump(archive, "ror.zip"):
            pass


@pytest.mark.usefixtures("english")
def test_a_zip_cut_short_is_refused_as_a_damaged_zip_not_as_json():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("v2.0-ror-data.json", DUMP.read_bytes())
    # Its directory, at the end, lost: what a download cut short leaves.
    cut = io.BytesIO(archive.getvalue()[: len(archive.getvalue()) // 2])

    with pytest.raises(RorImportError, match="^The zip file ror.zip is damaged"):
        with open_dump(cut, "ror.zip"):
            pass


@pytest.mark.usefixtures("english")
def test_a_file_named_zip_that_is_none_is_refused_as_such_not_as_json():
    # Text renamed .zip: "not valid JSON" sent staff looking inside a zip.
    with pytest.raises(
        RorImportError, match="^The file ror.zip is named as a zip file but is not"
    ):
        with open_dump(io.BytesIO(b"id,name\n"), "ror.zip"):
            pass


def test_one_record_as_rors_api_gives_it_is_imported():
    # The JSON object of a record, not in an array: what staff download from a
    # record's page on ror.org (the API's answer).
    report = import_file(MONASH, countries={"AU"})
    assert (report.created, report.updated) == (1, 0)
    assert Partner.objects.get(ror_id="02bfwt286").name_en == "Monash University"
    assert import_file(MONASH, countries={"AU"}).unchanged == 1


@pytest.mark.usefixtures("english")
def test_an_object_that_is_no_record_is_refused_by_what_it_lacks():
    answer = io.BytesIO(b'{"number_of_results": 0, "items": []}')
    with pytest.raises(RorImportError, match="^Record 1"):
        import_ror(answer, {"AU"})
    assert not Partner.objects.exists()


MALFORMED = [
    ("malformed-not-json.json", r"not valid JSON"),
    ("malformed-truncated.json", r"^Record 2: the file is not valid JSON"),
    ("malformed-bad-ror-id.json", r"^Record 3, field id: “https://ror.org/tokyo"),
    (
        "malformed-missing-country.json",
        r"^Record 4 \(02feahw73\), field locations.geonames_details.country_code",
    ),
]


@pytest.mark.parametrize(("name", "message"), MALFORMED)
@pytest.mark.usefixtures("english")  # the messages are translated
def test_a_malformed_file_names_the_record_and_writes_nothing(name, message):
    # An existing partner the good records of the file would update.
    PartnerFactory(ror_id="00pjdza24", name_en="UC")
    partners_before, history_before = Partner.objects.count(), history_count()

    with pytest.raises(RorImportError, match=message):
        import_file(DATA / name)

    assert Partner.objects.count() == partners_before
    assert history_count() == history_before
    assert Partner.objects.get(ror_id="00pjdza24").name_en == "UC"


@pytest.mark.usefixtures("english")  # the messages are translated
def test_a_file_in_another_encoding_says_so():
    # yajl's message came as a bytes repr: "(b'lexical error: invalid bytes…')".
    uc, _monash = samples()
    text = json.dumps([_with(uc, names=[_name("Université")])], ensure_ascii=False)

    with pytest.raises(RorImportError) as caught:
        import_ror(io.BytesIO(text.encode("latin-1")))

    assert str(caught.value) == (
        "Record 1: the file is not UTF-8 text, as ROR's dumps are. Was it saved "
        "again in another encoding?"
    )
    assert not Partner.objects.exists()


def _name(value: str) -> dict:
    return {"value": value, "types": ["ror_display"], "lang": None}


def _with(record: dict, **changes) -> dict:
    return {**record, **changes}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # Not "None is not a ROR id": Python's word for nothing.
        ({"id": None}, r"^Record 2: the ROR id \(field id\) is missing\.$"),
        ({"id": " "}, r"^Record 2: the ROR id \(field id\) is missing\.$"),
        ({"status": None}, r"Record 2 \(02bfwt286\), field status: missing\.$"),
        ({"id": "https://ror.org/0abcdefil"}, r"Record 2, field id"),
        ({"names": []}, r"Record 2 \(02bfwt286\), field names: missing or empty"),
        (
            {"names": [{"value": None, "types": ["ror_display"]}]},
            r"field names: malformed name "
            r'{"value": null, "types": \["ror_display"\]}\.',
        ),
        ({"locations": []}, r"Record 2 \(02bfwt286\), field locations: missing"),
        # Quoted as text, not as Python writes it ('closed').
        ({"status": "closed"}, r"field status: “closed” is not active"),
        ({"established": "1958"}, r"field established: “1958” is not a year"),
        ({"established": 19.5}, r"field established: 19\.5 is not a year"),
        # The admin refuses a founding year so far ahead: staff could not fix it.
        ({"established": 9999}, r"field established: 9999 is after 20\d\d"),
        # PostgreSQL's text cannot hold a NUL: the insert failed with a traceback.
        (
            {"names": [{"value": "Mon\x00ash", "types": ["ror_display"]}]},
            r"field names: “Mon\\u0000ash” holds a NUL character",
        ),
    ],
)
@pytest.mark.usefixtures("english")  # the messages are translated
def test_a_malformed_record_after_a_good_one_writes_nothing(change, message):
    uc, monash = samples()

    with pytest.raises(RorImportError, match=message):
        import_ror(dump_of(uc, {**monash, **change}))

    assert not Partner.objects.exists()
    assert history_count() == 0


@pytest.mark.usefixtures("english")  # the messages are translated
def test_an_unknown_country_code_is_refused():
    uc, monash = samples()
    monash["locations"][0]["geonames_details"]["country_code"] = "XX"

    with pytest.raises(RorImportError, match=r"Record 2 .*“XX” is not an ISO 3166"):
        import_ror(dump_of(uc, monash))


@pytest.mark.usefixtures("english")  # the messages are translated
def test_a_record_that_is_not_an_object_is_refused():
    with pytest.raises(RorImportError, match="Record 2: a record must be a JSON"):
        import_ror(dump_of(samples()[0], "University of Nowhere"))


@pytest.mark.usefixtures("english")  # the messages are translated
def test_an_empty_file_is_refused():
    with pytest.raises(RorImportError, match="empty"):
        import_ror(io.BytesIO(b"  \n"))


@pytest.mark.usefixtures("english")  # the messages are translated
@pytest.mark.parametrize("batch_size", [1000, 1])
def test_the_same_id_twice_is_refused_in_one_batch_or_two(batch_size):
    uc, monash = samples()
    changed = {**monash, "status": "inactive"}
    with pytest.raises(RorImportError, match="Record 3 .* the same id as record 2"):
        import_ror(dump_of(uc, monash, changed), batch_size=batch_size)
    assert not Partner.objects.exists()  # all or nothing


# Every wrong record is named, the file refused whole


def qa_dump() -> io.BytesIO:
    """Three records wrong each in its own way, as QA found them named one a time."""
    uc, monash = samples()
    return dump_of(
        {**uc, "id": "https://ror.org/0000000XX"},
        {**monash, "id": "https://ror.org/0000000YY"},
        {**monash, "locations": []},
    )


QA_ERRORS = [
    "Record 1, field id: “https://ror.org/0000000XX” is not a ROR id "
    "(https://ror.org/0…).",
    "Record 2, field id: “https://ror.org/0000000YY” is not a ROR id "
    "(https://ror.org/0…).",
    "Record 3 (02bfwt286), field locations: missing or empty.",
]


@pytest.mark.usefixtures("english")  # the messages are translated
def test_every_wrong_record_is_named_in_the_file_s_order():
    with pytest.raises(RorImportErrors) as caught:
        import_ror(qa_dump())

    assert [str(error) for error in caught.value.errors] == QA_ERRORS
    assert caught.value.more == 0
    assert str(caught.value) == "\n".join(QA_ERRORS)
    assert not Partner.objects.exists()


@pytest.mark.usefixtures("english")  # the messages are translated
@pytest.mark.parametrize("batch_size", [1000, 1])
def test_records_around_wrong_ones_are_checked_and_none_is_written(batch_size):
    # Good records before the first wrong one (written in batches of one, then
    # rolled back), and after it (checked, never written).
    PartnerFactory(ror_id="00pjdza24", name_en="UC")
    uc, monash = samples()
    partners_before, history_before = Partner.objects.count(), history_count()

    with pytest.raises(RorImportErrors) as caught:
        import_ror(
            dump_of(
                uc,
                {**monash, "status": "closed"},
                {**uc, "id": "https://ror.org/02feahw73"},
                {**monash, "established": "1958"},
                {**uc, "id": "https://ror.org/02feahw73"},
            ),
            batch_size=batch_size,
        )

    assert [str(error) for error in caught.value.errors] == [
        "Record 2 (02bfwt286), field status: “closed” is not active, inactive or "
        "withdrawn.",
        "Record 4 (02bfwt286), field established: “1958” is not a year.",
        # A duplicate is found after a wrong record as before it.
        "Record 5 (02feahw73), field id: the same id as record 3.",
    ]
    assert Partner.objects.count() == partners_before
    assert history_count() == history_before
    assert Partner.objects.get(ror_id="00pjdza24").name_en == "UC"


@pytest.mark.usefixtures("english")  # the messages are translated
def test_the_list_stops_at_a_hundred_errors_and_counts_the_others():
    uc, _monash = samples()
    wrong = [{**uc, "status": f"closed-{n}"} for n in range(1, 106)]

    with pytest.raises(RorImportErrors) as caught:
        import_ror(dump_of(*wrong))

    refusal = caught.value
    assert (len(refusal.errors), refusal.more, refusal.count) == (100, 5, 105)
    assert str(refusal.errors[-1]).startswith("Record 100 ")
    assert listed_errors(refusal)[-1] == "… and 5 more errors."
    assert refusal_summary(refusal) == ("Nothing was imported. 105 errors were found:")
    assert not Partner.objects.exists()


def test_the_errors_kept_are_bounded_however_wrong_the_file(monkeypatch):
    # Past the hundredth, an error is counted, not kept: memory stays flat.
    kept = []
    monkeypatch.setattr(services.ErrorList, "add", _counting(kept))
    uc, _monash = samples()

    with pytest.raises(RorImportErrors) as caught:
        import_ror(dump_of(*[{**uc, "status": "closed"}] * 1000))

    assert caught.value.count == 1000
    assert len(caught.value.errors) == 100
    assert all(len(errors.listed) <= 100 for errors in kept)


def _counting(kept):
    add = services.ErrorList.add

    def counting_add(self, error):
        add(self, error)
        kept.append(self)

    return counting_add


@pytest.mark.usefixtures("english")  # the messages are translated
def test_a_file_cut_short_after_wrong_records_names_them_then_stops():
    text = qa_dump().getvalue()[:-200]  # the third record cut short

    with pytest.raises(RorImportErrors) as caught:
        import_ror(io.BytesIO(text))

    assert [str(error) for error in caught.value.errors] == [
        *QA_ERRORS[:2],
        "Record 3: the file ends in the middle of this record: was it cut short, "
        "by a download left unfinished?",
    ]


@pytest.mark.usefixtures("english")  # the messages are translated
def test_a_file_that_cannot_be_read_has_its_one_message():
    with pytest.raises(RorImportError) as caught:
        import_file(DATA / "malformed-not-json.json")

    assert not isinstance(caught.value, RorImportErrors)
    assert listed_errors(caught.value) == [str(caught.value)]


# The management command


def test_command_imports_a_json_file_and_prints_the_counts():
    out = io.StringIO()

    call_command("import_ror", str(DUMP), stdout=out)

    # In English, whatever the site's language (French by default), as import_cordis.
    assert "ROR import: 6 created, 0 updated, 0 unchanged" in out.getvalue()
    assert Partner.objects.drafts().count() == 6


def test_command_imports_a_zip_with_countries_and_publishes(tmp_path):
    archive = tmp_path / "v2.0-ror-data.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(DUMP, "v2.0-ror-data.json")
    out = io.StringIO()

    call_command(
        "import_ror", str(archive), "--country", "us", "--country=FR,JP", "--publish",
        stdout=out,
    )  # fmt: skip

    with translation.override("en"):
        assert ImportReport(created=4, skipped=2).summary() in out.getvalue()
    assert Partner.objects.public().count() == 4


@pytest.mark.usefixtures("english")  # the messages are translated
def test_command_fails_on_a_malformed_file_and_writes_nothing():
    with pytest.raises(CommandError, match="Record 3, field id.*Nothing was imported"):
        call_command("import_ror", str(DATA / "malformed-bad-ror-id.json"))

    assert not Partner.objects.exists()


@pytest.mark.usefixtures("english")  # the messages are translated
def test_command_line_exits_with_a_non_zero_status_on_error(monkeypatch, capsys):
    # manage.py closes the connections when it ends: keep the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    argv = ["manage.py", "import_ror", str(DATA / "malformed-not-json.json")]

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(argv).execute()

    assert exit_info.value.code == 1
    assert "The file is not valid JSON" in capsys.readouterr().err
    assert not Partner.objects.exists()


@pytest.mark.usefixtures("english")  # the messages are translated
def test_command_line_names_every_wrong_record_and_exits_non_zero(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(connections, "close_all", lambda: None)
    dump = tmp_path / "ror.json"
    dump.write_bytes(qa_dump().getvalue())

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "import_ror", str(dump)]).execute()

    assert exit_info.value.code == 1
    error = capsys.readouterr().err
    expected = "\n  ".join(
        [f"{dump}: Nothing was imported. 3 errors were found:", *QA_ERRORS]
    )
    assert f"CommandError: {expected}\n" in error
    assert not Partner.objects.exists()


# The admin upload page


@pytest.fixture
def staff_client(client):
    """Log in a staff member who may change partners but not add them."""
    user = User.objects.create_user("staff", password="pw", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_partner"),
        Permission.objects.get(codename="change_partner"),
    )
    client.force_login(user)
    return client


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/json")


def test_changelist_links_to_the_import_page_for_those_allowed(admin_client):
    response = admin_client.get(CHANGELIST_URL)

    assert IMPORT_URL in response.text


def test_changelist_hides_the_import_link_from_others(staff_client):
    response = staff_client.get(CHANGELIST_URL)

    assert response.status_code == 200
    assert IMPORT_URL not in response.text


def test_import_page_shows_the_form(admin_client):
    response = admin_client.get(IMPORT_URL)

    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert 'name="countries"' in response.text
    assert 'name="publish"' in response.text


def test_the_upload_s_counts_agree_in_number_in_french(admin_client):
    response = admin_client.post(
        IMPORT_URL,
        {"file": upload("ror.json", DUMP.read_bytes()), "countries": "au"},
        follow=True,
    )

    (message,) = response.context["messages"]
    # Not "1 créés, … 0 inchangés, 5 ignorés": each number agrees with its word.
    assert strip_tags(str(message)) == (
        "Import ROR\xa0: 1 créé, 0 mis à jour, 0 inchangé, 5 ignorés (autres pays)."
    )


def test_import_page_is_forbidden_without_add_and_change_permission(staff_client):
    assert staff_client.get(IMPORT_URL).status_code == 403
    response = staff_client.post(IMPORT_URL, {"file": upload("d.json", b"[]")})
    assert response.status_code == 403


def test_upload_imports_and_reports_the_counts(admin_client):
    response = admin_client.post(
        IMPORT_URL,
        {"file": upload("ror.json", DUMP.read_bytes()), "countries": "us, au"},
        follow=True,
    )

    assert response.redirect_chain == [(CHANGELIST_URL, 302)]
    (message,) = response.context["messages"]
    assert ImportReport(created=3, skipped=3).summary() in strip_tags(str(message))
    assert Partner.objects.drafts().count() == 3
    created = Partner.objects.get(ror_id="00pjdza24").history.get()
    assert created.history_user.username == "admin"


def imported_links(response) -> dict[str, str]:
    """Return the links of the import's message, by their text."""
    *_earlier, message = response.context["messages"]
    return dict(
        (text, url.replace("&amp;", "&"))
        for url, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', str(message))
    )


def listed_ror_ids(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return {partner.ror_id for partner in response.context["cl"].result_list}


def test_the_message_links_to_the_partners_created_and_those_updated(admin_client):
    # Partners already there, that the file changes; and one it does not name.
    admin_client.post(IMPORT_URL, {"file": upload("ror.json", UC.read_bytes())})
    Partner.objects.filter(ror_id="00pjdza24").update(website="https://old.example")
    PartnerFactory(ror_id="01wddqe20")
    dump = [*json.loads(DUMP.read_text(encoding="utf-8"))]
    monash = next(r for r in dump if r["id"].endswith("02bfwt286"))
    admin_client.post(IMPORT_URL, {"file": upload("ror.json", dump_of(monash).read())})
    Partner.objects.filter(ror_id="02bfwt286").update(acronym="MU")

    response = admin_client.post(
        IMPORT_URL,
        {"file": upload("ror.json", DUMP.read_bytes())},
        headers={"accept-language": "en"},
        follow=True,
    )

    links = imported_links(response)
    assert set(links) == {"4 created", "2 updated"}
    assert all(url.startswith(f"{CHANGELIST_URL}?import=") for url in links.values())
    before = ["00pjdza24", "02bfwt286", "01wddqe20"]
    created = set(
        Partner.objects.exclude(ror_id__in=before).values_list("ror_id", flat=True)
    )
    assert listed_ror_ids(admin_client, links["4 created"]) == created
    assert len(created) == 4
    assert listed_ror_ids(admin_client, links["2 updated"]) == {
        "00pjdza24",
        "02bfwt286",
    }
    page = admin_client.get(links["2 updated"], headers={"accept-language": "en"})
    assert "Updated by the import of" in page.content.decode()


def test_no_link_for_a_count_of_none(admin_client):
    admin_client.post(IMPORT_URL, {"file": upload("ror.json", UC.read_bytes())})

    response = admin_client.post(
        IMPORT_URL, {"file": upload("ror.json", UC.read_bytes())}, follow=True
    )

    assert imported_links(response) == {}


def test_the_link_of_an_earlier_import_still_lists_its_partners(admin_client):
    first = admin_client.post(
        IMPORT_URL, {"file": upload("ror.json", UC.read_bytes())}, follow=True
    )
    (url,) = imported_links(first).values()
    admin_client.post(
        IMPORT_URL, {"file": upload("ror.json", MONASH.read_bytes())}, follow=True
    )

    assert listed_ror_ids(admin_client, url) == {"00pjdza24"}


@pytest.mark.parametrize(
    "value", ["created", "created-", "made-1", "created-1e5", "created-" + "9" * 18]
)
def test_a_link_that_names_no_import_is_answered_as_a_bad_filter(admin_client, value):
    response = admin_client.get(CHANGELIST_URL, {"import": value})

    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def test_the_upload_s_links_are_named_in_french(admin_client):
    response = admin_client.post(
        IMPORT_URL,
        {"file": upload("ror.json", UC.read_bytes())},
        headers={"accept-language": "fr"},
        follow=True,
    )

    (url,) = imported_links(response).values()
    page = admin_client.get(url, headers={"accept-language": "fr"})
    assert "Créés par l’import du" in page.content.decode()


def test_upload_accepts_the_zip_ror_publishes(admin_client):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("v2.0-ror-data.json", DUMP.read_bytes())

    response = admin_client.post(
        IMPORT_URL, {"file": upload("v2.0-ror-data.zip", archive.getvalue())}
    )

    assert response.status_code == 302
    assert Partner.objects.count() == 6


def test_upload_of_a_zip_cut_short_says_so_in_the_staffs_language(admin_client):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("v2.0-ror-data.json", DUMP.read_bytes())

    response = admin_client.post(
        IMPORT_URL,
        {"file": upload("v2.0-ror-data.zip", archive.getvalue()[:200])},
        headers={"accept-language": "fr"},
    )

    assert response.status_code == 400
    assert (
        "Rien n’a été importé. Le fichier zip v2.0-ror-data.zip est endommagé"
        in response.content.decode()
    )
    assert Partner.objects.count() == 0


def test_upload_may_publish(admin_client):
    admin_client.post(
        IMPORT_URL,
        {"file": upload("ror.json", DUMP.read_bytes()), "publish": "on"},
    )

    assert Partner.objects.public().count() == 6


def test_staff_who_may_not_publish_import_drafts(client):
    user = User.objects.create_user("contributor", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_partner", "add_partner", "change_partner"]
        )
    )
    client.force_login(user)

    page = client.get(IMPORT_URL)
    client.post(
        IMPORT_URL, {"file": upload("ror.json", DUMP.read_bytes()), "publish": "on"}
    )

    assert 'name="publish"' not in page.text
    assert Partner.objects.drafts().count() == 6
    assert not Partner.objects.public().exists()


def test_a_malformed_upload_is_refused_and_writes_nothing(admin_client):
    response = admin_client.post(
        IMPORT_URL,
        {"file": upload("ror.json", (DATA / "malformed-bad-ror-id.json").read_bytes())},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "Record 3" in response.text
    assert 'name="file"' in response.text
    assert not Partner.objects.exists()


def test_unknown_countries_are_refused(admin_client):
    response = admin_client.post(
        IMPORT_URL,
        {"file": upload("ror.json", DUMP.read_bytes()), "countries": "FR, zz"},
    )

    assert response.status_code == 400
    (error,) = response.context["form"].errors["countries"]
    assert error.endswith("ZZ.")
    assert not Partner.objects.exists()


def test_an_upload_without_a_file_is_refused(admin_client):
    response = admin_client.post(IMPORT_URL, {"countries": "FR"})

    assert response.status_code == 400
    assert "file" in response.context["form"].errors


def test_the_upload_page_lists_every_wrong_record_in_english(admin_client):
    response = admin_client.post(
        IMPORT_URL,
        {"file": upload("ror.json", qa_dump().getvalue())},
        headers={"accept-language": "en"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "Nothing was imported. 3 errors were found:"
    ]
    assert response.context["import_errors"] == QA_ERRORS
    listed = "".join(f"<li>{escape(error)}</li>" for error in QA_ERRORS)
    assert f'<ul class="errorlist import-errors" id="import_errors">{listed}' in (
        " ".join(response.text.split()).replace("> <", "><")
    )
    assert 'name="file"' in response.text
    assert not Partner.objects.exists()


def test_the_upload_page_lists_every_wrong_record_in_french(admin_client):
    response = admin_client.post(
        IMPORT_URL,
        {"file": upload("ror.json", qa_dump().getvalue())},
        headers={"accept-language": "fr"},
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert "Rien n’a été importé. 3 erreurs relevées\xa0:" in text
    assert response.context["import_errors"] == [
        "Enregistrement 1, champ id\xa0: «\xa0https://ror.org/0000000XX\xa0» n’est "
        "pas un identifiant ROR (https://ror.org/0…).",
        "Enregistrement 2, champ id\xa0: «\xa0https://ror.org/0000000YY\xa0» n’est "
        "pas un identifiant ROR (https://ror.org/0…).",
        "Enregistrement 3 (02bfwt286), champ locations\xa0: absent ou vide.",
    ]
    assert "<title>Erreur" in text


def test_the_upload_page_says_how_many_errors_it_does_not_list(admin_client):
    uc, _monash = samples()
    wrong = dump_of(*[{**uc, "status": "closed"}] * 102)

    response = admin_client.post(
        IMPORT_URL,
        {"file": upload("ror.json", wrong.getvalue())},
        headers={"accept-language": "fr"},
    )

    assert response.status_code == 400
    assert len(response.context["import_errors"]) == 100
    assert "… et 2 autres erreurs." in response.content.decode()


# Contributors change drafts only


@pytest.fixture
def english():
    """Messages in English, whatever the French catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def contributor(english):
    user = User.objects.create_user("contributor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.CONTRIBUTOR.value))
    return User.objects.get(pk=user.pk)  # fresh permission caches


@pytest.fixture
def editor():
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.EDITOR.value))
    return User.objects.get(pk=user.pk)


def test_a_contributor_creates_drafts_and_updates_drafts(contributor):
    draft = PartnerFactory(
        ror_id="02bfwt286",
        name_en="Monash",
        publication_status=PublicationStatus.DRAFT,
    )

    report = import_ror(dump_of(*samples()), user=contributor)

    assert (report.created, report.updated) == (1, 1)
    draft.refresh_from_db()
    assert draft.name_en == "Monash University"
    assert Partner.objects.get(ror_id="00pjdza24").publication_status == "draft"


def test_a_contributor_may_import_a_file_that_leaves_published_partners_unchanged(
    contributor,
):
    import_ror(dump_of(*samples()), publish=True)

    report = import_ror(dump_of(*samples()), user=contributor)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


def test_a_contributor_is_told_in_french_which_published_partner_it_would_change(
    contributor,
):
    """As a sentence of its own after "Rien n’a été importé.", the partner named
    in French, between French quotes (was "le fichier … “Monash University”")."""
    PartnerFactory(
        ror_id="02bfwt286", name_fr="Université Monash", name_en="Monash", country="AU"
    )

    with translation.override("fr"), pytest.raises(RorImportError) as caught:
        import_file(DUMP, user=contributor)

    assert str(caught.value).startswith(
        "Le fichier modifierait 1 établissement partenaire publié\u00a0: "
        "«\u00a0Université Monash\u00a0» (02bfwt286)."
    )


@pytest.mark.parametrize("batch_size", [1000, 1])
def test_a_contributor_import_changing_a_published_partner_writes_nothing(
    contributor, batch_size
):
    monash = PartnerFactory(
        ror_id="02bfwt286", name_fr="Université Monash", name_en="Monash", country="AU"
    )
    draft = PartnerFactory(
        ror_id="057zh3y96", name_en="Tokyo", publication_status="draft"
    )
    partners_before, history_before = Partner.objects.count(), history_count()

    with pytest.raises(RorImportError) as caught:
        import_file(DUMP, user=contributor, batch_size=batch_size)

    assert str(caught.value) == (
        "The file would change 1 published partner: “Monash” "
        "(02bfwt286). You may change drafts only: ask an editor to import it."
    )
    assert (Partner.objects.count(), history_count()) == (
        partners_before,
        history_before,
    )
    monash.refresh_from_db()
    draft.refresh_from_db()
    assert (monash.name_en, monash.is_published) == ("Monash", True)
    assert draft.name_en == "Tokyo"


def test_a_contributor_may_not_give_a_published_partner_a_parent(contributor):
    records = json.loads(DUMP.read_text())
    berkeley = records[0]  # its parent, the University of California, comes next
    import_ror(dump_of(berkeley), publish=True)

    with pytest.raises(RorImportError, match=r"1 published partner: .*\(01an7q238\)"):
        import_ror(dump_of(*records), user=contributor)

    assert Partner.objects.get(ror_id="01an7q238").parent is None
    assert Partner.objects.count() == 1


def test_a_published_partner_changed_and_given_a_parent_is_named_once(contributor):
    records = json.loads(DUMP.read_text())
    berkeley = records[0]  # its parent, the University of California, comes next
    import_ror(dump_of(berkeley), publish=True)
    records[0] = {**berkeley, "established": 1999}

    with pytest.raises(RorImportError) as caught:
        import_ror(dump_of(*records), user=contributor, batch_size=1)

    assert "1 published partner: " in str(caught.value)
    assert str(caught.value).count("01an7q238") == 1


def test_the_refusal_names_the_first_few_published_partners(contributor):
    import_file(DUMP, publish=True)
    records = [
        {**record, "established": 1999} for record in json.loads(DUMP.read_text())
    ]

    with pytest.raises(RorImportError) as caught:
        import_ror(dump_of(*records), user=contributor)

    message = str(caught.value)
    assert message.startswith("The file would change 6 published partners: ")
    assert message.count("(0") == services.REFUSED_NAMED
    assert "; …. You may change drafts only" in message
    assert not Partner.objects.filter(established=1999).exists()


def test_an_editor_updates_published_partners(editor):
    PartnerFactory(ror_id="02bfwt286", name_en="Monash")

    report = import_ror(dump_of(*samples()), user=editor)

    assert report.updated == 1
    assert Partner.objects.get(ror_id="02bfwt286").name_en == "Monash University"


def test_the_upload_page_refuses_a_contributor_s_change_to_a_published_partner(
    client, contributor
):
    PartnerFactory(ror_id="02bfwt286", name_fr="Université Monash", country="AU")
    client.force_login(contributor)

    response = client.post(IMPORT_URL, {"file": upload("ror.json", DUMP.read_bytes())})

    assert response.status_code == 400
    (error,) = response.context["form"].errors["file"]
    assert "Université Monash" in error and "02bfwt286" in error
    assert Partner.objects.count() == 1


# Websites: what the partner's website field takes, or the import is refused


@pytest.mark.parametrize(
    ("website", "problem"),
    [
        ("javascript:alert(1)", "is not an http or https web address"),
        ("JavaScript:alert(document.cookie)", "is not an http or https web address"),
        ("data:text/html,<script>alert(1)</script>", "is not an http or https"),
        ("ftp://ftp.monash.edu/", "is not an http or https web address"),
        ("www.monash.edu", "is not an http or https web address"),
        ("https://" + "a" * 303, "is not an http or https web address"),  # 311
        ("https://www.monash.edu/" + "a" * 480, "is longer than 500 characters"),
    ],
)
@pytest.mark.usefixtures("english")  # the messages are translated
def test_a_bad_website_is_refused_and_nothing_is_written(website, problem):
    uc, monash = samples()
    monash["links"] = [{"type": "website", "value": website}]

    with pytest.raises(RorImportError) as caught:
        import_ror(dump_of(uc, monash))

    assert str(caught.value).startswith("Record 2 (02bfwt286), field links")
    assert problem in str(caught.value)
    assert not Partner.objects.exists()


def test_websites_in_http_and_https_are_kept():
    uc, monash = samples()
    monash["links"] = [
        {"type": "wikipedia", "value": "javascript:alert(1)"},  # not the website
        {"type": "website", "value": " https://www.monash.edu/fr?a=1#b "},
    ]

    import_ror(dump_of(uc, monash))

    assert Partner.objects.get(ror_id="02bfwt286").website == (
        "https://www.monash.edu/fr?a=1#b"
    )


@pytest.mark.parametrize(
    "website",
    [
        "https://www.monash.edu/",
        "http://www.universityofcalifornia.edu",
        "https://www.u-tokyo.ac.jp/en/index.html?a=1&b=2#top",
        "https://xn--bcher-kva.de/",
        "HTTPS://WWW.MONASH.EDU/",
        "httpſ://www.monash.edu/",  # a long s, that IGNORECASE takes for an s
        "https://www.monaſh.edu/",
        "https://www.monash.edu/\u2028",  # a line separator, a space in \s
        "https://www.monash.edu/\u00a0",
        "https://www.monash.edu/a b",
        "https://www.monash.edu/\t",
        "https://www.monash.edu",
        "https://www.monash.edu.",
        "https://www.monash.e",
        "https://www.monash.123",
        "https://-monash.edu/",
        "https://monash-.edu/",
        "https://mon_ash.edu/",
        "https://localhost/",
        "https://127.0.0.1/",
        "https://[::1]/",
        "https://user:pw@www.monash.edu/",
        "https://www.monash.edu:8080/",
        "https://" + "a" * 63 + ".edu/",
        "https://" + "a" * 64 + ".edu/",
        "https://" + ".".join(["a" * 60] * 4) + ".edu/",  # a host of 248 characters
        "https://" + ".".join(["a" * 61] * 4) + ".edu/",  # 252
        "https://" + ".".join(["a" * 62] * 4) + ".edu/",  # 256
        "https://www.monash.edu/" + "é" * 100,
        "https:/www.monash.edu/",
        "https//www.monash.edu/",
        "https://",
    ],
)
def test_plain_websites_are_only_those_the_model_field_accepts(website):
    """The shortcut past URLValidator may refuse more, never accept more."""
    try:
        validate_website(website)
    except ValidationError:
        valid = False
    else:
        valid = True
    plain = PLAIN_WEBSITE.match(website)

    assert valid or not (plain and len(plain["host"]) <= MAX_HOST_LENGTH)


def test_the_websites_of_the_samples_are_plain():
    for record in [*samples(), *json.loads(DUMP.read_text())]:
        for link in record.get("links") or []:
            if link["type"] == "website":
                assert PLAIN_WEBSITE.match(link["value"]), link["value"]


def test_the_upload_page_refuses_a_javascript_website(admin_client):
    uc, monash = samples()
    monash["links"] = [{"type": "website", "value": "javascript:alert(1)"}]

    response = admin_client.post(
        IMPORT_URL, {"file": upload("ror.json", dump_of(uc, monash).getvalue())}
    )

    assert response.status_code == 400
    assert "javascript:alert(1)" in response.context["form"].errors["file"][0]
    assert not Partner.objects.exists()


# Coordinates that are text


@pytest.mark.parametrize(
    "value", ["NaN", "nan", "-NaN", "sNaN", "Infinity", "-Infinity", "abc", "", True]
)
@pytest.mark.parametrize("field", ["lat", "lng"])
@pytest.mark.usefixtures("english")  # the messages are translated
def test_a_coordinate_that_is_no_number_is_refused_by_name(field, value):
    uc, monash = samples()
    monash["locations"][0]["geonames_details"][field] = value

    with pytest.raises(RorImportError) as caught:
        import_ror(dump_of(uc, monash))

    # As the file writes it: text quoted, not Python's repr ('NaN', True).
    shown = {"": "an empty text", True: "true"}.get(value, f"“{value}”")
    assert str(caught.value).startswith(
        f"Record 2 (02bfwt286), field locations.geonames_details.{field}: "
        f"{shown} is not a coordinate between"
    )
    assert not Partner.objects.exists()


@pytest.mark.usefixtures("english")  # the messages are translated
def test_a_bare_nan_in_the_file_is_refused():
    text = json.dumps(samples()[1]).replace("145.138", "NaN")

    with pytest.raises(RorImportError, match="Record 1"):
        import_ror(io.BytesIO(f"[{text}]".encode()))

    assert not Partner.objects.exists()


def test_the_upload_page_answers_a_nan_coordinate_with_a_message(admin_client):
    uc, monash = samples()
    monash["locations"][0]["geonames_details"]["lng"] = "NaN"

    response = admin_client.post(
        IMPORT_URL,
        {"file": upload("ror.json", dump_of(uc, monash).getvalue())},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "“NaN” is not a coordinate" in response.context["form"].errors["file"][0]


# Parents that would loop


def record_with_parents(ror_id: str, name: str, *parents: str) -> dict:
    record = {
        **samples()[1],
        "id": f"https://ror.org/{ror_id}",
        "names": [{"value": name, "types": ["ror_display"], "lang": "en"}],
    }
    record["relationships"] = [
        {"type": "parent", "label": "", "id": f"https://ror.org/{parent}"}
        for parent in parents
    ]
    return record


A, B, C = "0aaaaaa11", "0bbbbbb22", "0cccccc33"


@pytest.mark.usefixtures("english")  # the messages are translated
@pytest.mark.parametrize("batch_size", [1000, 1])
def test_two_partners_parents_of_each_other_are_refused(batch_size):
    dump = dump_of(
        record_with_parents(A, "Alpha", B), record_with_parents(B, "Beta", A)
    )

    with pytest.raises(RorImportError) as caught:
        import_ror(dump, batch_size=batch_size)

    message = str(caught.value)
    assert message.startswith("Record ")
    assert "field relationships: the parent institutions would form a loop: " in (
        message
    )
    assert f"Alpha ({A}) → Beta ({B}) → Alpha ({A})" in message or (
        f"Beta ({B}) → Alpha ({A}) → Beta ({B})" in message
    )
    assert not Partner.objects.exists()
    assert history_count() == 0


@pytest.mark.usefixtures("english")  # the messages are translated
def test_a_loop_of_three_is_refused():
    dump = dump_of(
        record_with_parents(A, "Alpha", B),
        record_with_parents(B, "Beta", C),
        record_with_parents(C, "Gamma", A),
    )

    with pytest.raises(RorImportError, match="would form a loop"):
        import_ror(dump)

    assert not Partner.objects.exists()


@pytest.mark.usefixtures("english")  # the messages are translated
def test_a_loop_through_a_parent_staff_chose_is_refused():
    import_ror(dump_of(record_with_parents(A, "Alpha"), record_with_parents(B, "Beta")))
    alpha = Partner.objects.get(ror_id=A)
    alpha.parent = Partner.objects.get(ror_id=B)
    alpha.save()

    # ROR says nothing of Alpha's parent (staff's stays), and makes Alpha Beta's.
    with pytest.raises(RorImportError, match=rf"Record 2 \({B}\).* form a loop"):
        import_ror(
            dump_of(record_with_parents(A, "Alpha"), record_with_parents(B, "Beta", A))
        )

    assert Partner.objects.get(ror_id=B).parent is None


def test_a_loop_older_than_the_rule_does_not_refuse_an_import_under_it():
    first, second = PartnerFactory(ror_id=B), PartnerFactory()
    Partner.objects.filter(pk=first.pk).update(parent=second)
    Partner.objects.filter(pk=second.pk).update(parent=first)

    report = import_ror(dump_of(record_with_parents(A, "Alpha", B)))

    assert report.created == 1
    assert Partner.objects.get(ror_id=A).parent == first


def test_a_chain_of_parents_without_a_loop_is_imported():
    report = import_ror(
        dump_of(
            record_with_parents(A, "Alpha", B),
            record_with_parents(B, "Beta", C),
            record_with_parents(C, "Gamma"),
        ),
        batch_size=1,
    )

    assert report.created == 3
    assert Partner.objects.get(ror_id=A).parent.parent.ror_id == C


def in_country(record: dict, code: str) -> dict:
    [location] = record["locations"]
    details = {**location["geonames_details"], "country_code": code}
    return {**record, "locations": [{**location, "geonames_details": details}]}


def created_row(ror_id: str):
    """The only history row of the partner ``ror_id``: its creation."""
    [row] = Partner.objects.get(ror_id=ror_id).history.all()
    assert row.history_type == "+"
    return row


@pytest.mark.parametrize("batch_size", [1000, 1])
def test_a_partner_is_created_with_a_parent_later_in_the_file(batch_size):
    """Its parent's key is drawn first: one history row, with the parent in it."""
    import_ror(
        dump_of(record_with_parents(A, "Alpha", B), record_with_parents(B, "Beta")),
        batch_size=batch_size,
    )

    beta = Partner.objects.get(ror_id=B)
    assert Partner.objects.get(ror_id=A).parent == beta
    assert created_row(A).parent_id == beta.pk


@pytest.mark.parametrize("batch_size", [1000, 1])
def test_a_parent_the_file_never_brings_leaves_the_new_partner_without_one(
    batch_size,
):
    import_ror(
        dump_of(record_with_parents(A, "Alpha", C), record_with_parents(B, "Beta", C)),
        batch_size=batch_size,
    )

    assert set(Partner.objects.values_list("ror_id", "parent")) == {
        (A, None),
        (B, None),
    }
    assert created_row(A).parent_id is None
    assert created_row(B).parent_id is None


def test_a_parent_in_a_country_not_imported_is_left_out():
    report = import_ror(
        dump_of(
            record_with_parents(A, "Alpha", B),
            in_country(record_with_parents(B, "Beta"), "JP"),
        ),
        countries={"AU"},
    )

    assert (report.created, report.skipped) == (1, 1)
    assert Partner.objects.get(ror_id=A).parent is None
    assert created_row(A).parent_id is None


def test_the_next_parent_stands_in_for_a_first_one_never_brought():
    import_ror(
        dump_of(record_with_parents(A, "Alpha", C, B), record_with_parents(B, "Beta"))
    )

    beta = Partner.objects.get(ror_id=B)
    assert Partner.objects.get(ror_id=A).parent == beta
    assert created_row(A).parent_id == beta.pk


def test_keys_drawn_by_an_import_are_never_given_again():
    """Keys are drawn from the table's sequence (SQLite's too), also those unused."""
    import_ror(dump_of(record_with_parents(A, "Alpha", C)))
    alpha = Partner.objects.get(ror_id=A)

    later = PartnerFactory()

    # The key drawn for Gamma, which never came, stays unused.
    assert later.pk > alpha.pk + 1
    assert not Partner.objects.filter(pk=alpha.pk + 1).exists()


def test_the_original_name_keeps_the_language_ror_gives_it():
    import_file(DUMP)

    languages = dict(Partner.objects.values_list("ror_id", "original_name_language"))
    assert languages["057zh3y96"] == "ja"  # 東京大学, a label
    assert languages["02feahw73"] == "fr"  # the display name
    assert languages["04zzzzz11"] == "de"
    assert languages["02bfwt286"] == ""  # ROR does not say


@pytest.mark.parametrize(
    ("labels", "original"),
    [
        # Latin letters, accented or not, tell nothing: the English display name.
        ([("Universität Monash", "de"), ("Universidad Monash", "es")], "Monash"),
        # A label in another script is the institution's own name.
        ([("Universität Monash", "de"), ("モナシュ大学", "ja")], "モナシュ大学"),
    ],
)
def test_an_english_display_name_gives_way_to_a_label_in_another_script(
    labels, original
):
    [monash] = [r for r in samples() if r["id"].endswith("02bfwt286")]
    monash["names"] = [
        {"value": "Monash", "types": ["ror_display"], "lang": "en"},
        *({"value": v, "types": ["label"], "lang": lang} for v, lang in labels),
    ]

    assert parse_record(monash, 1).original_name == original


def test_a_language_that_is_no_language_code_is_left_out():
    [monash] = [r for r in samples() if r["id"].endswith("02bfwt286")]
    monash["names"][0]["lang"] = "<script>"

    import_ror(dump_of(monash))

    assert Partner.objects.get(ror_id="02bfwt286").original_name_language == ""
