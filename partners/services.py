"""Writes on partners that span many rows: the ROR import.

Called alike by the admin, the ``import_ror`` management command and the tests.
"""

import datetime
import operator
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from partners.models import Partner
from partners.publication import PublicationStatus
from partners.ror import (
    RorImportError,
    RorRecord,
    country_codes,
    iter_records,
    parse_record,
)

__all__ = ["ImportReport", "RorImportError", "import_ror"]

ROR_BATCH_SIZE = 1000
ROR_CHANGE_REASON = "ROR import"
# The fields an import keeps in step with ROR; the parent is linked apart, and the
# slug and publication status are set once, at creation, then left to the staff.
ROR_FIELDS = (
    "name_fr",
    "name_en",
    "original_name",
    "acronym",
    "kind",
    "country",
    "city_fr",
    "city_en",
    "latitude",
    "longitude",
    "website",
    "status",
    "established",
)
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class ImportReport:
    """How many records an import created, updated, left alone or skipped."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    def summary(self) -> str:
        return gettext(
            "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(skipped)d skipped (other countries)"
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }


def import_ror(
    stream: BinaryIO,
    countries: Iterable[str] | None = None,
    *,
    publish: bool = False,
    user=None,
    batch_size: int = ROR_BATCH_SIZE,
) -> ImportReport:
    """Create or update partners by ROR id from the ROR v2 dump in ``stream``.

    ``stream`` is a binary file holding the JSON array of records; it is read as a
    stream, ``batch_size`` records at a time. Only records located in ``countries``
    (ISO codes) are imported when it is given. New partners are drafts unless
    ``publish``; existing ones keep their publication status and slug. Running the
    import again on the same file changes nothing. All or nothing: a malformed file
    raises ``RorImportError``, naming the record and the field, and writes nothing.
    """
    wanted = country_codes(countries) if countries else None
    report = ImportReport()
    writer = _RorWriter(report=report, publish=publish, user=user, size=batch_size)
    with transaction.atomic():
        batch = []
        for position, data in iter_records(stream):
            record = parse_record(data, position)
            if wanted and record.country not in wanted:
                report.skipped += 1
                continue
            batch.append((position, record))
            if len(batch) >= batch_size:
                writer.write(batch)
                batch = []
        writer.write(batch)
        writer.link_parents()
    return report


@dataclass
class _RorWriter:
    """Write batches of ROR records, and link the parents found in later batches."""

    report: ImportReport
    publish: bool
    user: object
    size: int
    now: datetime.datetime = field(default_factory=timezone.now)
    # (child ROR id, its parents' ROR ids, outcome) for the parents not yet written:
    # the only thing kept across batches.
    pending: list[tuple[str, tuple[str, ...], str]] = field(default_factory=list)

    def write(self, batch: list[tuple[int, RorRecord]]) -> None:
        if not batch:
            return
        records: dict[str, tuple[int, RorRecord]] = {}
        for position, record in batch:
            if record.ror_id in records:
                raise RorImportError(
                    f"Record {position} ({record.ror_id}), field id: "
                    f"the same id as record {records[record.ror_id][0]}."
                )
            records[record.ror_id] = (position, record)
        # The batch's partners and their parents, in one query. Plain values, not
        # model instances: most records of a re-import are unchanged, and comparing
        # values is what makes that run fast.
        parents = {p for _, r in batch for p in r.parent_ror_ids}
        existing = {
            row["ror_id"]: row
            for row in _with_ror_ids(records.keys() | parents).values(
                "pk", "ror_id", "parent_id", *ROR_FIELDS
            )
        }
        parent_pks = {ror_id: row["pk"] for ror_id, row in existing.items()}

        new, changes = [], {}
        for _position, record in records.values():
            parent_pk = _first_found(record.parent_ror_ids, parent_pks)
            row = existing.get(record.ror_id)
            values = _values(record, row)
            if row is None:
                new.append({**values, "ror_id": record.ror_id, "parent_id": parent_pk})
                outcome = CREATED
            else:
                # No parent in ROR, or one not imported: keep the one staff may set.
                values["parent_id"] = parent_pk or row["parent_id"]
                if any(row[name] != value for name, value in values.items()):
                    changes[row["pk"]] = values
                    outcome = UPDATED
                else:
                    outcome = UNCHANGED
            setattr(self.report, outcome, getattr(self.report, outcome) + 1)
            if record.parent_ror_ids and parent_pk is None:
                self.pending.append((record.ror_id, record.parent_ror_ids, outcome))

        self._create(new)
        self._update(changes)

    def link_parents(self) -> None:
        """Link the children whose parent came later in the file than they did."""
        for start in range(0, len(self.pending), self.size):
            chunk = self.pending[start : start + self.size]
            ror_ids = {c for c, _, _ in chunk} | {p for _, ps, _ in chunk for p in ps}
            found = {
                ror_id: (pk, parent_pk)
                for ror_id, pk, parent_pk in _with_ror_ids(ror_ids).values_list(
                    "ror_id", "pk", "parent_id"
                )
            }
            pks = {ror_id: pk for ror_id, (pk, _) in found.items()}
            changes = {}
            for child, parents, outcome in chunk:
                parent_pk = _first_found(parents, pks)
                child_pk, current_parent_pk = found[child]
                if parent_pk is None or parent_pk == current_parent_pk:
                    continue
                changes[child_pk] = {"parent_id": parent_pk}
                if outcome == UNCHANGED:
                    self.report.unchanged -= 1
                    self.report.updated += 1
            self._update(changes)
        self.pending = []

    def _pks(self, ror_ids: set[str]) -> dict[str, int]:
        if not ror_ids:
            return {}
        return dict(_with_ror_ids(ror_ids).values_list("ror_id", "pk"))

    def _create(self, rows: list[dict]) -> None:
        """Insert the new partners, each with its "created" history row.

        Plain SQL, as for the history: see ``_add_history``.
        """
        if not rows:
            return
        self._give_slugs(rows)
        status = (
            PublicationStatus.PUBLISHED if self.publish else PublicationStatus.DRAFT
        )
        for row in rows:
            row.update(
                _default_language_columns(row),
                created=self.now,
                updated=self.now,
                publication_status=status,
            )
        rows = _insert(Partner, rows)
        pks = self._pks({row["ror_id"] for row in rows})
        self._add_history([{**row, "id": pks[row["ror_id"]]} for row in rows], "+")

    def _update(self, changes: dict[int, dict]) -> None:
        """Save ``changes`` (pk: values, the same fields in each) with their history."""
        if not changes:
            return
        values = [
            {**v, **_default_language_columns(v), "updated": self.now}
            for v in changes.values()
        ]
        _update(Partner, list(changes), values)
        attnames = [f.attname for f in Partner._meta.concrete_fields]
        # rewrite(False): the untranslated columns as stored, whatever the language.
        partners = (
            Partner.objects.rewrite(False).filter(pk__in=list(changes)).order_by()
        )
        self._add_history(partners.values(*attnames), "~")

    def _add_history(self, rows: Iterable[dict], history_type: str) -> None:
        """Record the partners ``rows`` (all their fields), as simple-history would.

        The rows are those ``simple_history.utils.bulk_create_with_history`` and
        ``bulk_update_with_history`` write, without their model instances and
        per-value preparation (and, for updates, a CASE per field and row): these
        took over a minute for a whole ROR dump, the plain SQL takes seconds.
        """
        history = {
            "history_date": self.now,
            "history_type": history_type,
            "history_change_reason": ROR_CHANGE_REASON,
            "history_user_id": getattr(self.user, "pk", None),
        }
        _insert(Partner.history.model, [{**row, **history} for row in rows])

    def _give_slugs(self, rows: list[dict]) -> None:
        """Slug each new partner from its French name, or add its ROR id if taken."""
        options = []
        for row in rows:
            # 255 characters at most, with room for "-" and a ROR id.
            base = slugify(row["name_fr"])[:245].strip("-")
            ror_id = row["ror_id"]
            options.append([base, f"{base}-{ror_id}", ror_id] if base else [ror_id])
        taken = _taken_slugs([choices[0] for choices in options])
        # Only names already taken, or shared within the batch, need the others.
        firsts = Counter(choices[0] for choices in options)
        taken |= _taken_slugs(
            [
                slug
                for choices in options
                if choices[0] in taken or firsts[choices[0]] > 1
                for slug in choices[1:]
            ]
        )
        for row, choices in zip(rows, options, strict=True):
            slug = next((s for s in choices if s not in taken), None)
            if slug is None:
                raise RorImportError(
                    f"{row['ror_id']}: the slugs {', '.join(choices)} are all taken."
                )
            taken.add(slug)
            row["slug"] = slug


def _taken_slugs(slugs: list[str]) -> set[str]:
    if not slugs:
        return set()
    return set(
        Partner.objects.filter(slug__in=slugs).order_by().values_list("slug", flat=True)
    )


def _with_ror_ids(ror_ids: Iterable[str]):
    """Return the partners with these ROR ids, found through the ror_id index.

    The unique index on ror_id is partial (WHERE NOT ror_id = ''): SQLite and
    PostgreSQL use it only when the query repeats that condition, else they read
    the whole table, once per batch.
    """
    return Partner.objects.exclude(ror_id="").filter(ror_id__in=ror_ids).order_by()


def _insert(model, rows: list[dict]) -> list[dict]:
    """INSERT ``rows`` (attribute name: value) into ``model``'s table, in one go.

    Values are str, int, Decimal, None or aware datetimes; the missing ones take the
    field's default, so that a field added to the model later needs no change here.
    Return the rows as inserted, defaults included.
    """
    connection = connections[router.db_for_write(model)]
    # The auto-incremented key is the database's to give (BigAutoField included).
    fields = [
        f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)
    ]
    defaults = {f.attname: f.get_default() for f in fields}
    rows = [{**defaults, **row} for row in rows]
    prepare = _preparer(connection)
    datetimes = [f for f in fields if isinstance(f, models.DateTimeField)]
    values = operator.itemgetter(*(f.attname for f in fields))
    params = []
    for row in rows:
        prepared = {f.attname: prepare(f, row[f.attname]) for f in datetimes}
        params.append(values({**row, **prepared}))
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if hasattr(cursor.cursor, "copy"):
            # psycopg 3: COPY is seven times as fast as a pipelined INSERT per row.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row_params in params:
                    copy.write_row(row_params)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", params
            )
    return rows


def _update(model, pks: list[int], rows: list[dict]) -> None:
    """UPDATE the ``model`` rows ``pks`` with ``rows``, which have the same keys."""
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in rows[0]]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(model._meta.pk.column),
    )
    prepare = _preparer(connection)
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                (*(prepare(f, row[f.attname]) for f in fields), pk)
                for pk, row in zip(pks, rows, strict=True)
            ],
        )


def _preparer(connection):
    """Return ``prepare(field, value)``, which readies datetimes for ``connection``.

    The other values (str, int, Decimal, None) go to the driver as they are.
    """
    prepared = {}  # the datetimes are the import's "now": prepare it once

    def prepare(field, value):
        if isinstance(value, datetime.datetime):
            if value not in prepared:
                prepared[value] = field.get_db_prep_save(value, connection)
            return prepared[value]
        return value

    return prepare


def _default_language_columns(values: dict) -> dict:
    """Return the untranslated ``name`` and ``city`` columns: the French text.

    modeltranslation keeps them, holding the text of the language active at the last
    save; the import stores the default language's.
    """
    columns = {}
    if "name_fr" in values:
        columns["name"] = values["name_fr"]
    if "city_fr" in values:
        columns["city"] = values["city_fr"]
    return columns


def _values(record: RorRecord, row: dict | None) -> dict:
    """Return the partner values ``record`` gives the partner ``row`` (None: new).

    Where ROR has no French name (or city), the French one repeats the English one,
    French being the required language, but only until staff translate it.
    """
    return {
        "name_en": record.name_en,
        "name_fr": record.name_fr or _french_text(row, "name", record.name_en),
        "original_name": record.original_name,
        "acronym": record.acronym,
        "kind": record.kind,
        "country": record.country,
        "city_en": record.city,
        "city_fr": _french_text(row, "city", record.city),
        "latitude": record.latitude,
        "longitude": record.longitude,
        "website": record.website,
        "status": record.status,
        "established": record.established,
    }


def _french_text(row: dict | None, name: str, english: str) -> str:
    """Return the copy of ``english``, or the French text staff wrote in its place."""
    if row is None:
        return english
    french = row[f"{name}_fr"]
    if french and french != row[f"{name}_en"]:
        return french
    return english


def _first_found(ror_ids: tuple[str, ...], pks: dict[str, int]) -> int | None:
    return next((pks[ror_id] for ror_id in ror_ids if ror_id in pks), None)
