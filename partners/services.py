"""Writes that span many rows: the ROR import, merging duplicates, publishing or
unpublishing a selection of records of any kind.

Called alike by the admin, the ``import_ror`` management command and the tests.
"""

import datetime
import gc
import operator
import re
from array import array
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO

import psycopg
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import get_language, gettext, ngettext, pgettext
from simple_history.utils import bulk_update_with_history

from partners.caching import content_changed, partners_written_in_bulk
from partners.history import (
    Reason,
    change_reason,
    keep_relations_of_latest,
    records_related_to,
    relations_changed,
)
from partners.import_errors import ErrorList
from partners.models import FormerAddress, Partner
from partners.publication import PublicationStatus
from partners.roles import changes_drafts_only
from partners.ror import (
    RorImportError,
    RorImportErrors,
    RorRecord,
    country_codes,
    iter_records,
    parse_record,
    record_error,
)
from partners.search import add_search_words, search_words_added_by_caller

__all__ = [
    "ImportReport",
    "MergeReport",
    "RorImportError",
    "RorImportErrors",
    "import_ror",
    "merge_partners",
]

ROR_BATCH_SIZE = 1000
# Below this many new partners, a stale plan costs less than gathering statistics.
ANALYZE_MIN_ROWS = 5000
ROR_CHANGE_REASON = change_reason(Reason.ROR_IMPORT)
# The fields an import keeps in step with ROR; the parent is linked apart, and the
# slug and publication status are set once, at creation, then left to the staff.
ROR_FIELDS = (
    "name_fr",
    "name_en",
    "original_name",
    "original_name_language",
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
# How many of the published records it may not change a contributor's import names.
REFUSED_NAMED = 5


def set_publication_status(queryset, status, *, user, reason: str) -> int:
    """Give the records of ``queryset`` (of any publishable model) ``status``, with
    one history entry for each record it changes; return their number."""
    records = list(queryset.exclude(publication_status=status))
    now = timezone.now()
    for record in records:
        record.publication_status = status
        record.updated = now
    # A plain queryset.update() would leave no trace in the history.
    bulk_update_with_history(
        records,
        queryset.model,
        ["publication_status", "updated"],
        batch_size=500,
        default_user=user,
        default_change_reason=reason,
    )
    keep_relations_of_latest(queryset.model, records)
    content_changed()  # bulk updates send no signal
    return len(records)


def first_named(names: list[str]) -> str:
    """Return the first ``REFUSED_NAMED`` of ``names`` for a message, "…" if more."""
    listed = "; ".join(names[:REFUSED_NAMED])
    return listed + "; …" if len(names) > REFUSED_NAMED else listed


@dataclass
class ImportReport:
    """How many records an import created, updated, left alone or skipped."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    # The moment of the versions the import wrote, all alike: the admin links to
    # the partners it created or updated by it (admin_imports.ImportFilter).
    date: datetime.datetime | None = None

    def counts(self) -> dict[str, str]:
        """Return each count as the summary says it, by outcome."""
        # Each number with its own plural: "1 créés" read in French.
        return {
            CREATED: ngettext("%(count)d created", "%(count)d created", self.created)
            % {"count": self.created},
            UPDATED: ngettext("%(count)d updated", "%(count)d updated", self.updated)
            % {"count": self.updated},
            UNCHANGED: ngettext(
                "%(count)d unchanged", "%(count)d unchanged", self.unchanged
            )
            % {"count": self.unchanged},
            "skipped": ngettext(
                "%(count)d skipped (other countries)",
                "%(count)d skipped (other countries)",
                self.skipped,
            )
            % {"count": self.skipped},
        }

    def summary(self) -> str:
        return ", ".join(self.counts().values())


def import_ror(
    stream: BinaryIO,
    countries: Iterable[str] | None = None,
    *,
    publish: bool = False,
    user=None,
    batch_size: int = ROR_BATCH_SIZE,
) -> ImportReport:
    """Create or update partners by ROR id from the ROR v2 dump in ``stream``.

    ``stream`` is a binary file holding the JSON array of records (or one record,
    a JSON object, as ROR's API gives it); it is read as a stream, ``batch_size``
    records at a time. Only records located in ``countries``
    (ISO codes) are imported when it is given. New partners are drafts unless
    ``publish``; existing ones keep their publication status and slug. Running the
    import again on the same file changes nothing. All or nothing: a malformed file
    raises ``RorImportError``, naming the record and the field, and writes nothing;
    so does a file that would make a partner its own ancestor, or change a
    published partner when ``user`` changes drafts only (a contributor). The records
    after a malformed one are read and checked all the same: with several wrong, it
    raises ``RorImportErrors``, which lists them (``import_errors.ERRORS_LISTED``) in
    the file's order; a file that cannot be read on (cut short, not JSON) stops
    there.
    """
    wanted = country_codes(countries) if countries else None
    report = ImportReport()
    writer = _RorWriter(
        report=report,
        publish=publish,
        user=user,
        size=batch_size,
        drafts_only=user is not None and changes_drafts_only(user),
    )
    connection = connections[router.db_for_write(Partner)]
    with (
        _collecting_new_objects_only(),
        transaction.atomic(),
        search_words_added_by_caller(connection),
    ):
        # Bulk writes send no signals: the cached pages are invalidated here.
        content_changed()
        partners_written_in_bulk()
        # Once a record is wrong nothing more is written (all of it is rolled
        # back): the others are read on and checked, to name every error.
        errors = ErrorList()
        positions = writer.positions
        batch = []
        try:
            for position, data in iter_records(stream):
                try:
                    record = parse_record(data, position)
                except RorImportError as error:
                    errors.add(error)
                    continue
                if wanted and record.country not in wanted:
                    report.skipped += 1
                    continue
                # A partner's record seen again, in this batch or an earlier one,
                # would update the partner its first record made.
                first = positions.setdefault(record.ror_id, position)
                if first != position:
                    errors.add(
                        record_error(
                            position,
                            "id",
                            gettext("the same id as record %(first)d.")
                            % {"first": first},
                            record.ror_id,
                        )
                    )
                    continue
                if errors:
                    continue
                batch.append((position, record))
                if len(batch) >= batch_size:
                    _write(writer, batch, errors)
                    batch = []
        except RorImportError as error:
            # The file cannot be read on (cut short, not JSON): listed after
            # the errors found before, if any.
            if not errors:
                raise
            errors.add(error)
        if not errors:
            _write(writer, batch, errors)
        if errors:  # rolls back what was written before the first
            raise errors.refusal(RorImportErrors)
        writer.link_parents()
        writer.refuse_published_changes()
        writer.refuse_parent_loops()
        writer.add_search_words(connection)
    report.date = writer.now
    return report


def _write(writer: "_RorWriter", batch: list, errors: ErrorList) -> None:
    """Write ``batch``, or add to ``errors`` why it cannot be (a slug taken)."""
    try:
        writer.write(batch)
    except RorImportError as error:
        errors.add(error)


@contextmanager
def _collecting_new_objects_only():
    """Keep the objects made before the block out of garbage collection during it.

    An import makes millions of short-lived objects, and each full collection they
    set off would also walk every object of Django and the app: 4 s of a
    120,000-record import. They are handed back to the collector afterwards. The
    freeze is process-wide: in a web worker, other requests' garbage made before it
    waits for the end of the import, and two imports at once unfreeze at the first
    end, which costs only the time saved.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@dataclass
class _RorWriter:
    """Write batches of ROR records, and link the parents found in later batches."""

    report: ImportReport
    publish: bool
    user: object
    size: int
    # The user may change drafts only: a published partner the file would change
    # is noted, not changed, and the import is refused at the end.
    drafts_only: bool = False
    now: datetime.datetime = field(default_factory=timezone.now)
    # (child ROR id, its parents' ROR ids, outcome) for the parents not yet written.
    pending: list[tuple[str, tuple[str, ...], str]] = field(default_factory=list)
    # The keys drawn for the parents not yet written of new partners (by ROR id), so
    # that a child is created with its parent; the parent takes the key when its
    # record comes. Those the file never brings are mended by ``link_parents``.
    reserved: dict[str, int] = field(default_factory=dict)
    # The position of each ROR id imported (import_ror), so that an id seen again,
    # in the same batch or a later one, is refused (it would update the partner its
    # first record made). About 130 bytes a record: 15 MB for the whole registry's
    # 120,000.
    positions: dict[str, int] = field(default_factory=dict)
    # The partners created (keys from first_created on: the sequence only grows) and
    # those given new values, whose words the search learns at the end of the import
    # in one statement each (partners.search.add_search_words).
    first_created: int | None = None
    last_created: int = 0
    changed: array = field(default_factory=lambda: array("q"))
    # Partners in the table when PostgreSQL last gathered its statistics, and the
    # partners created since: see _analyze_if_grown.
    analyzed_rows: int | None = None
    created_since_analyze: int = 0
    # The partners whose parent the import set: a loop of parents goes through one.
    parent_set: array = field(default_factory=lambda: array("q"))
    # The published partners the file would change (drafts_only), by ROR id: their
    # names as the refusal gives them.
    refused: dict[str, str] = field(default_factory=dict)

    def write(self, batch: list[tuple[int, RorRecord]]) -> None:
        if not batch:
            return
        # The ids are distinct: import_ror refuses one seen twice.
        records = {record.ror_id: (position, record) for position, record in batch}
        # The batch's partners and their parents, in one query. Plain values, not
        # model instances: most records of a re-import are unchanged, and comparing
        # values is what makes that run fast.
        parents = {p for _, r in batch for p in r.parent_ror_ids}
        existing = {
            row["ror_id"]: row
            for row in _with_ror_ids(records.keys() | parents).values(
                "pk", "ror_id", "parent_id", "publication_status", *ROR_FIELDS
            )
        }
        parent_pks = {ror_id: row["pk"] for ror_id, row in existing.items()}
        # The new partners' keys first, so that a parent in the batch is found.
        created = [ror_id for ror_id in records if ror_id not in existing]
        parent_pks.update(self._keys(created))
        self._reserve(
            record.parent_ror_ids[0]
            for ror_id in created
            if (record := records[ror_id][1]).parent_ror_ids
            and _first_found(record.parent_ror_ids, parent_pks) is None
        )

        new, changes = [], {}
        for _position, record in records.values():
            parent_pk = _first_found(record.parent_ror_ids, parent_pks)
            row = existing.get(record.ror_id)
            values = _values(record, row)
            if row is None:
                if record.parent_ror_ids and parent_pk is None:
                    # Its first parent comes later in the file (or never: mended by
                    # link_parents).
                    parent_pk = self.reserved[record.parent_ror_ids[0]]
                    self.pending.append((record.ror_id, record.parent_ror_ids, CREATED))
                new.append(
                    {
                        **values,
                        "id": parent_pks[record.ror_id],
                        "ror_id": record.ror_id,
                        "parent_id": parent_pk,
                    }
                )
                self.report.created += 1
                continue
            # No parent in ROR, or one not imported: keep the one staff may set.
            values["parent_id"] = parent_pk or row["parent_id"]
            if any(row[name] != value for name, value in values.items()):
                if self._may_change(row, record.ror_id):
                    changes[row["pk"]] = values
                    if values["parent_id"] != row["parent_id"]:
                        self.parent_set.append(row["pk"])
                outcome = UPDATED
            else:
                outcome = UNCHANGED
            setattr(self.report, outcome, getattr(self.report, outcome) + 1)
            if record.parent_ror_ids and parent_pk is None:
                self.pending.append((record.ror_id, record.parent_ror_ids, outcome))

        self._create(new)
        self._update(changes)
        self.changed.extend(changes)

    def _keys(self, ror_ids: list[str]) -> dict[str, int]:
        """Return the keys of the new partners ``ror_ids``: reserved, or drawn now."""
        keys = {r: self.reserved.pop(r) for r in ror_ids if r in self.reserved}
        drawn = [r for r in ror_ids if r not in keys]
        keys.update(zip(drawn, _new_ids(Partner, len(drawn)), strict=True))
        return keys

    def _reserve(self, ror_ids: Iterable[str]) -> None:
        """Draw keys for the partners ``ror_ids``, not written yet, unless drawn."""
        wanted = list(dict.fromkeys(r for r in ror_ids if r not in self.reserved))
        self.reserved.update(zip(wanted, _new_ids(Partner, len(wanted)), strict=True))

    def _may_change(self, row: dict, ror_id: str) -> bool:
        """Whether the partner ``row`` may change; if not, note it for the refusal."""
        if not self.drafts_only or (
            row["publication_status"] != PublicationStatus.PUBLISHED
        ):
            return True
        # Named in the language of the page that imports: the staff's.
        names = (row["name_en"], row["name_fr"])
        if get_language() != "en":
            names = names[::-1]
        self.refused[ror_id] = gettext("“%(name)s” (%(ror_id)s)") % {
            "name": names[0] or names[1],
            "ror_id": ror_id,
        }
        return False

    def refuse_published_changes(self) -> None:
        """Raise ``RorImportError`` if the file would change published partners."""
        if not self.refused:
            return
        names = list(self.refused.values())
        raise RorImportError(
            ngettext(
                "The file would change %(count)d published partner: %(names)s. "
                "You may change drafts only: ask an editor to import it.",
                "The file would change %(count)d published partners: %(names)s. "
                "You may change drafts only: ask an editor to import it.",
                len(names),
            )
            % {"count": len(names), "names": first_named(names)}
        )

    def refuse_parent_loops(self) -> None:
        """Raise ``RorImportError`` if a parent set makes a partner its own ancestor.

        A loop the import would make goes through a parent it set: only the
        chains of those partners are followed.
        """
        looped = _first_in_a_loop(self.parent_set, self.size)
        if looped is None:
            return
        names = " → ".join(
            f"{partner.name_fr} ({partner.ror_id or f'#{partner.pk}'})"
            for partner in looped.parent_loop()
        )
        raise record_error(
            self.positions.get(looped.ror_id),
            "relationships",
            gettext("the parent institutions would form a loop: %(names)s.")
            % {"names": names},
            looped.ror_id,
        )

    def add_search_words(self, connection) -> None:
        """Teach the search the words of the partners created or changed."""
        if self.first_created is not None:
            created = range(self.first_created, self.last_created + 1)
            add_search_words(connection, created)
        add_search_words(connection, self.changed)

    def link_parents(self) -> None:
        """Link the partners whose parent was not written when they were.

        Those the file updates take their parent now, if it came later in the file;
        new ones, written with the key reserved for their first parent, take the
        next one found (or none) if it never came.
        """
        for start in range(0, len(self.pending), self.size):
            chunk = self.pending[start : start + self.size]
            ror_ids = {c for c, _, _ in chunk} | {p for _, ps, _ in chunk for p in ps}
            found = {
                row["ror_id"]: row
                for row in _with_ror_ids(ror_ids).values(
                    "ror_id",
                    "pk",
                    "parent_id",
                    "publication_status",
                    "name_fr",
                    "name_en",
                )
            }
            pks = {ror_id: row["pk"] for ror_id, row in found.items()}
            changes, created = {}, {}
            for child, parents, outcome in chunk:
                parent_pk = _first_found(parents, pks)
                row = found[child]
                if parent_pk == row["parent_id"]:
                    continue  # a reserved parent came, as most do
                if outcome == CREATED:
                    # The parent reserved never came (another country, or not in
                    # the file): the next one found, or none.
                    created[row["pk"]] = parent_pk
                    continue
                if parent_pk is None:
                    continue
                if outcome == UNCHANGED:
                    self.report.unchanged -= 1
                    self.report.updated += 1
                if self._may_change(row, child):
                    changes[row["pk"]] = {"parent_id": parent_pk}
                    self.parent_set.append(row["pk"])
            self._update(changes)
            self._relink_created(created)
        self.pending = []
        self.reserved = {}

    def _relink_created(self, parents: dict[int, int | None]) -> None:
        """Give partners this import created the parents ``parents`` (pk: parent pk).

        Their "created" history row is mended too: to the staff, the import created
        them so, as it would have with the parent earlier in the file.
        """
        if not parents:
            return
        values = [{"parent_id": parent_pk} for parent_pk in parents.values()]
        _update(Partner, list(parents), values)
        self.parent_set.extend(pk for pk, parent_pk in parents.items() if parent_pk)
        created = dict(
            Partner.history.filter(
                _among("id", list(parents)),
                history_type="+",
                history_date=self.now,
            ).values_list("id", "history_id")
        )
        _update(
            Partner.history.model,
            [created[pk] for pk in parents],
            values,
        )

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
        self._add_history(rows, "+")
        ids = [row["id"] for row in rows]
        self.parent_set.extend(row["id"] for row in rows if row["parent_id"])
        if self.first_created is None:
            self.first_created = min(ids)
        self.last_created = max(self.last_created, *ids)
        self.created_since_analyze += len(rows)
        self._analyze_if_grown()

    def _analyze_if_grown(self) -> None:
        """Have PostgreSQL count the partners again once the import has doubled them.

        The import is one transaction, whose rows autovacuum cannot see: without
        this, PostgreSQL plans each batch's lookups (by ROR id, by slug) for the
        table as it was, often empty, and reads the whole table for every batch
        (85 ms a batch at 120,000 partners). ANALYZE may run inside a transaction
        and counts its rows; doubling keeps it to a few runs an import.
        """
        connection = connections[router.db_for_write(Partner)]
        if connection.vendor != "postgresql":
            return
        table = Partner._meta.db_table
        with connection.cursor() as cursor:
            if self.analyzed_rows is None:
                cursor.execute(
                    "SELECT GREATEST(reltuples, 0) FROM pg_class "
                    "WHERE oid = %s::regclass",
                    [table],
                )
                self.analyzed_rows = int(cursor.fetchone()[0])
            if self.created_since_analyze < max(self.analyzed_rows, ANALYZE_MIN_ROWS):
                return
            # The columns looked up only: a whole ANALYZE also evaluates the
            # expression indexes' unaccented names on its sample, five times as long.
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)} (ror_id, slug)")
        self.analyzed_rows += self.created_since_analyze
        self.created_since_analyze = 0

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
                    gettext("%(ror_id)s: the slugs %(slugs)s are all taken.")
                    % {"ror_id": row["ror_id"], "slugs": ", ".join(choices)}
                )
            taken.add(slug)
            row["slug"] = slug


def _first_in_a_loop(pks, size: int) -> Partner | None:
    """Return one of the partners ``pks`` that is its own ancestor, or None.

    Their ancestors are read a generation at a time, ``size`` partners a query,
    then each chain is followed in memory; a loop higher up that does not come
    back to one of ``pks`` (rows older than the rule) is left alone. A recursive
    query did the same in SQL, but PostgreSQL planned it as a scan of the table
    for each step: 13 s for a whole ROR dump.
    """
    parents: dict[int, int | None] = {}
    generation = set(pks)
    while generation:
        ids = list(generation)
        for start in range(0, len(ids), size):
            parents.update(
                Partner.objects.filter(_among("pk", ids[start : start + size]))
                .order_by()
                .values_list("pk", "parent_id")
            )
        generation = {
            parents[pk]
            for pk in generation
            if parents.get(pk) is not None and parents[pk] not in parents
        }
    starts = set(pks)
    followed: dict[int, bool] = {}  # pk: True while on the chain being followed
    for start in pks:
        chain, pk = [], start
        while pk is not None and pk not in followed:
            followed[pk] = True
            chain.append(pk)
            pk = parents.get(pk)
        if pk is not None and followed[pk]:
            loop = chain[chain.index(pk) :]
            looped = next((pk for pk in loop if pk in starts), None)
            if looped is not None:
                return Partner.objects.get(pk=looped)
        followed.update(dict.fromkeys(chain, False))
    return None


def _taken_slugs(slugs: list[str]) -> set[str]:
    if not slugs:
        return set()
    return set(
        Partner.objects.filter(_among("slug", slugs))
        .order_by()
        .values_list("slug", flat=True)
    )


def _with_ror_ids(ror_ids: Iterable[str]):
    """Return the partners with these ROR ids, found through the ror_id index.

    The unique index on ror_id is partial (WHERE NOT ror_id = ''): SQLite and
    PostgreSQL use it only when the query repeats that condition, else they read
    the whole table, once per batch.
    """
    return (
        Partner.objects.exclude(ror_id="").filter(_among("ror_id", ror_ids)).order_by()
    )


class _AnyOf(models.Lookup):
    """``field = ANY(%s)``, the values in one array parameter (PostgreSQL)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


def _among(name: str, values: Iterable[str]):
    """Filter partners on ``name`` being one of ``values``, a thousand or so.

    On PostgreSQL the values go as one array, not one placeholder each: Django and
    psycopg took 20 ms to prepare each batch's queries of a thousand placeholders.
    """
    if connections[router.db_for_read(Partner)].vendor == "postgresql":
        return _AnyOf(models.F(name), list(values))
    return models.Q(**{f"{name}__in": values})


def _insert(model, rows: list[dict]) -> list[dict]:
    """INSERT ``rows`` (attribute name: value) into ``model``'s table, in one go.

    Values are str, int, Decimal, None or aware datetimes; the missing ones take the
    field's default, so that a field added to the model later needs no change here.
    Return the rows as inserted, defaults included.
    """
    connection = connections[router.db_for_write(model)]
    # The auto-incremented key is the database's to give (BigAutoField included),
    # unless the rows come with theirs (``_new_ids``).
    given_key = model._meta.pk.attname in rows[0]
    fields = [
        f
        for f in model._meta.concrete_fields
        if given_key or not isinstance(f, models.AutoField)
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


def _new_ids(model, count: int) -> list[int]:
    """Draw ``count`` keys from ``model``'s sequence, for rows written later.

    COPY returns no keys, and a child is written with its parent's key, the parent
    maybe after it. On SQLite the sequence is the table's row of ``sqlite_sequence``
    (Django's keys are AUTOINCREMENT), locked by this write until the transaction
    ends; it never falls behind the largest key, explicit ones included.
    """
    if not count:
        return []
    connection = connections[router.db_for_write(model)]
    table, key = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                "FROM generate_series(1, %s)",
                [table, key, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(
            "INSERT INTO sqlite_sequence (name, seq) "
            f"SELECT %s, COALESCE(MAX({quote(key)}), 0) FROM {quote(table)} "
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
            [table, table],
        )
        cursor.execute(
            "UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s RETURNING seq",
            [count, table],
        )
        (last,) = cursor.fetchone()
    return list(range(last - count + 1, last + 1))


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
    params = [
        (*(prepare(f, row[f.attname]) for f in fields), pk)
        for pk, row in zip(pks, rows, strict=True)
    ]
    with connection.cursor() as cursor:
        if hasattr(cursor.cursor, "copy"):
            # psycopg 3: Django's cursor binds values client-side, writing each
            # row's statement out in Python; a plain cursor sends the statement
            # once and the rows' values beside it (like COPY in _insert, it
            # bypasses Django's query wrappers).
            with psycopg.Cursor(cursor.cursor.connection) as server_side:
                server_side.executemany(sql, params)
        else:
            cursor.executemany(sql, params)


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
        "original_name_language": record.original_name_language,
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


# Merging duplicate partners ------------------------------------------------------

# The fields of the kept partner that a merge fills from the duplicates when empty.
# The name in French and the kind, country, status and slug are always the kept one's.
MERGE_FILLED_FIELDS = (
    "name_en",
    "original_name",
    "acronym",
    "city_fr",
    "city_en",
    "website",
    "ror_id",
    "pic",
    "established",
)
# Fields that describe a filled one: they come from the same duplicate with it.
MERGE_FILLED_WITH = {"original_name": ("original_name_language",)}
# Unique identifiers: cleared on a duplicate before the kept partner takes them.
MERGE_UNIQUE_FIELDS = ("ror_id", "pic")


@dataclass
class MergeReport:
    """What a merge did: the partners merged, the links moved, the rows combined."""

    kept: Partner
    merged: list[str] = field(default_factory=list)
    # Links moved to the kept partner, by the partner's relation name
    # ("unit_partnerships", "agreements", "children"…), with their labels.
    moved: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    # Rows that would have linked the kept partner twice to one record: one is kept.
    collisions: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)
    # Identifiers of a duplicate the kept partner could not take (it has its own);
    # they stay in the duplicate's history.
    conflicts: list[str] = field(default_factory=list)
    # The published duplicates whose pages a draft kept partner keeps on the site.
    published_for: list[str] = field(default_factory=list)

    def summary(self) -> str:
        moved = ", ".join(
            gettext("%(label)s: %(value)s")
            % {"label": self.labels[name], "value": count}
            for name, count in self.moved.items()
            if count
        )
        parts = [
            ngettext(
                "%(merged)s merged into %(kept)s",
                "%(merged)s merged into %(kept)s",
                len(self.merged),
            )
            % {"merged": ", ".join(self.merged), "kept": self.kept},
            gettext("links moved: %(moved)s") % {"moved": moved or gettext("none")},
        ]
        if self.filled:
            parts.append(
                gettext("fields filled: %(fields)s")
                % {"fields": ", ".join(self.filled)}
            )
        if self.published_for:
            parts.append(
                ngettext(
                    "published, as %(merged)s was: its page leads to the kept one",
                    "published, as %(merged)s were: their pages lead to the kept one",
                    len(self.published_for),
                )
                % {"merged": ", ".join(self.published_for)}
            )
        parts += self.collisions + self.conflicts
        # French puts a no-break space before a semicolon.
        return pgettext("between the parts of a report", "; ").join(parts)


@dataclass
class _Link:
    """Rows of ``model`` whose foreign key ``field_name`` points to a partner."""

    name: str
    label: str  # what the rows link a partner to, for the report
    row_label: str
    model: type[models.Model]
    field_name: str


def merge_partners(
    kept: Partner, duplicates: list[Partner], *, user=None
) -> MergeReport:
    """Merge the partners ``duplicates`` into ``kept``, in one transaction.

    Every link moves to ``kept``: unit partnerships, project participations,
    agreements, children and any other relation to partners. When ``kept`` and a
    duplicate are both linked to one record, one row is kept: ``kept``'s, else the
    first in the model's order, with its empty fields filled from the others. The
    empty fields of ``kept`` are filled from the duplicates, which are then deleted
    (their history keeps them, restorable); ``kept``'s history records the merge.
    A draft ``kept`` is published with a published duplicate, whose page leads to
    it. Raise ``ValueError`` for a merge that makes no sense.
    """
    duplicate_pks = list(dict.fromkeys(d.pk for d in duplicates))
    if not duplicate_pks:
        raise ValueError(gettext("Choose at least one partner to merge."))
    if kept.pk is None or None in duplicate_pks:
        raise ValueError(gettext("Only saved partners can be merged."))
    if kept.pk in duplicate_pks:
        raise ValueError(gettext("A partner cannot be merged with itself."))
    with transaction.atomic():
        # Bulk writes send no signals: the cached pages are invalidated here.
        content_changed()
        locked = {
            p.pk: p
            for p in Partner.objects.select_for_update().filter(
                pk__in=[kept.pk, *duplicate_pks]
            )
        }
        missing = {kept.pk, *duplicate_pks} - locked.keys()
        if missing:
            raise ValueError(
                gettext("No partner #%(pks)s: it may have been merged or deleted.")
                % {"pks": ", #".join(str(pk) for pk in sorted(missing))}
            )
        kept.refresh_from_db()
        duplicates = [locked[pk] for pk in duplicate_pks]
        for ancestor_pk in _ancestor_pks(kept):
            if ancestor_pk in duplicate_pks:
                raise ValueError(
                    gettext(
                        "%(kept)s cannot be kept: %(parent)s, one of the partners "
                        "merged into it, is its parent institution (or one of its "
                        "ancestors), and it would become its own parent. Keep "
                        "%(parent)s, or change the parent first."
                    )
                    % {"kept": kept, "parent": locked[ancestor_pk]}
                )
        report = MergeReport(kept=kept, merged=[f"#{d.pk} {d}" for d in duplicates])
        reason = change_reason(Reason.LINKS_MERGED, pk=kept.pk, name=kept)
        # Units, agreements, projects whose partners change: a version each.
        related = records_related_to(Partner, duplicate_pks)
        for link in _partner_links():
            report.labels[link.name] = link.label
            report.moved[link.name] = _move_link(
                link, kept, duplicates, report, user=user, reason=reason
            )
        for model, pks in related.items():
            relations_changed(model, sorted(pks), user=user, reason=reason)
        _fill_empty_fields(kept, duplicates, report)
        # A published duplicate's page leads to the kept partner's (below): a
        # draft kept would take it off the site, and its links' pages would list
        # a draft. Merging is for those who may publish (has_merge_permission).
        published = PublicationStatus.PUBLISHED
        if kept.publication_status != published:
            report.published_for = [
                f"#{d.pk} {d}" for d in duplicates if d.publication_status == published
            ]
            if report.published_for:
                kept.publication_status = published
        kept._change_reason = _merge_reason(duplicates)
        _delete_duplicates(kept, duplicates, user=user)
        # Their pages' addresses lead to the kept partner's (their own former
        # addresses have moved with the other links). Restoring one from its
        # history gives it its address back (FormerAddress.objects.moved).
        slugs = [duplicate.slug for duplicate in duplicates]
        # A slug an import gave a new partner may be a former address already.
        FormerAddress.objects.filter(slug__in=slugs).delete()
        FormerAddress.objects.bulk_create(
            [FormerAddress(slug=slug, partner=kept) for slug in slugs]
        )
        if user is not None:
            kept._history_user = user
        kept.save()
    return report


def merge_collisions(partners: list[Partner]) -> list[str]:
    """Describe the records that link to several of ``partners`` by rows of their own.

    A merge keeps one such row (the kept partner's, else the first) and drops the
    others with their values (a unit's role for each), which staff should see
    before choosing the partner to keep; a project's row takes the coordination
    and the amounts of the others (``combine_duplicate_row``). Rows of many-to-many
    tables hold nothing but the link, and are left out.
    """
    pks = [partner.pk for partner in partners]
    found = []
    for link in _partner_links():
        model = link.model
        groups = [group for group in _unique_groups(model, link.field_name) if group]
        if model is Partner or model._meta.auto_created or not groups:
            continue
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
        rows = list(
            model._base_manager.filter(**{f"{link.field_name}__in": pks})
            .select_related(*relations)
            .order_by(*(model._meta.ordering or []), "pk")
        )
        for group in groups:
            by_record: dict[tuple, list] = {}
            for row in rows:
                key = tuple(getattr(row, attname) for attname in group)
                by_record.setdefault(key, []).append(row)
            for same in by_record.values():
                if len(same) > 1:
                    # "Unit partnership, IRL 2958: CNRS – Host / CNRS Paris – Partner"
                    record = ", ".join(
                        str(getattr(same[0], f.name))
                        for f in model._meta.concrete_fields
                        if f.is_relation and f.attname in group
                    )
                    found.append(
                        gettext("%(kind)s, %(record)s: %(links)s")
                        % {
                            "kind": link.row_label,
                            "record": record,
                            "links": " / ".join(str(row) for row in same),
                        }
                    )
    return found


def _partner_links() -> list[_Link]:
    """Return every relation to ``Partner``, found on the models, not listed by hand.

    A relation added later is thus merged too. The models of ``units`` and
    ``programmes`` are reached through the relations, never imported (layers).
    """
    from simple_history.models import HistoricalChanges

    links = []
    for relation in Partner._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue  # a field of Partner itself
        model = relation.related_model
        if isinstance(relation, models.ManyToManyRel):
            through = relation.through
            if not through._meta.auto_created:
                continue  # the through model's foreign key is a relation of its own
            link_model, field_name = through, relation.field.m2m_reverse_field_name()
        elif isinstance(relation, models.ManyToOneRel):  # OneToOneRel included
            if model._meta.auto_created or issubclass(model, HistoricalChanges):
                # A many-to-many table, moved with its relation; history rows
                # keep pointing to the partner they were written for.
                continue
            link_model, field_name = model, relation.field.name
        else:
            raise TypeError(
                f"merge_partners does not know how to move {relation!r} "
                f"({type(relation).__name__})."
            )
        if model is Partner:
            label = gettext("child institutions")
        else:
            label = str(model._meta.verbose_name_plural)
        links.append(
            _Link(
                name=relation.get_accessor_name() or link_model._meta.model_name,
                label=label,
                row_label=capfirst(
                    (
                        model if link_model._meta.auto_created else link_model
                    )._meta.verbose_name
                ),
                model=link_model,
                field_name=field_name,
            )
        )
    return links


def _move_link(
    link: _Link, kept: Partner, duplicates: list[Partner], report, *, user, reason
) -> int:
    """Point ``link``'s rows from the duplicates to ``kept``; return how many moved.

    When the model allows one row per (record, partner), rows of ``kept`` and of the
    duplicates for one record are combined into one: ``kept``'s row, else the first
    in the model's order, whose empty fields are filled from the others.
    """
    model, name = link.model, link.field_name
    attname = model._meta.get_field(name).attname
    duplicate_pks = [d.pk for d in duplicates]
    ordering = [*(model._meta.ordering or []), "pk"]
    rows = model._base_manager.filter(**{f"{name}__in": [kept.pk, *duplicate_pks]})
    if model is Partner:
        rows = rows.exclude(pk__in=duplicate_pks)  # deleted below
    # The kept partner's rows first: they win collisions.
    rows = sorted(
        rows.order_by(*ordering), key=lambda row: getattr(row, attname) != kept.pk
    )
    groups = _unique_groups(model, name)
    survivors: dict[tuple, models.Model] = {}
    moved, dropped, completed, filled_names = [], [], [], set()
    for row in rows:
        keys = [(group, tuple(getattr(row, a) for a in group)) for group in groups]
        survivor = next((survivors[key] for key in keys if key in survivors), None)
        if survivor is None:
            survivors.update(dict.fromkeys(keys, row))
            if getattr(row, attname) != kept.pk:
                moved.append(row)
            continue
        key_names = {name, *(a for group in groups for a in group)}
        # What the row holds that filling empty fields would lose (a project's
        # coordination, a participant's amounts), where its model says how.
        combine = getattr(survivor, "combine_duplicate_row", None)
        names = combine(row) if combine else []
        names += _fill_row(survivor, row, exclude=key_names | set(names))
        if names:
            filled_names.update(names)
            if getattr(survivor, attname) == kept.pk and survivor not in completed:
                completed.append(survivor)
        kept_row, dropped_row = _describe(survivor, groups), _describe(row, groups)
        if kept_row == dropped_row:
            # "kept “Accord JP-US”, removed “Accord JP-US”" read as if the agreement
            # were deleted: only the duplicate's link to it is.
            collision = gettext("%(model)s “%(record)s”: linked to both, kept once") % {
                "model": link.row_label,
                "record": kept_row,
            }
        else:
            collision = gettext("%(model)s: kept “%(kept)s”, removed “%(dropped)s”") % {
                "model": link.row_label,
                "kept": kept_row,
                "dropped": dropped_row,
            }
        report.collisions.append(collision)
        dropped.append(row)
    # Removed first: a moved row may take the place of a removed one.
    _delete_rows(model, dropped, user=user, reason=reason)
    for row in moved:
        setattr(row, attname, kept.pk)
    filled_names = sorted(filled_names)
    _save_rows(model, moved, [name, *filled_names], user=user, reason=reason)
    _save_rows(model, completed, filled_names, user=user, reason=reason)
    return len(moved)


def _unique_groups(model, name: str) -> list[tuple[str, ...]]:
    """Return the other columns that, with ``name``, must be unique in ``model``."""
    groups = []
    if model._meta.get_field(name).unique:
        groups.append(())
    together = [*model._meta.unique_together]
    together += [c.fields for c in model._meta.total_unique_constraints]
    for fields in together:
        if name in fields:
            groups.append(
                tuple(model._meta.get_field(f).attname for f in fields if f != name)
            )
    return groups


def _fill_row(survivor, row, *, exclude: set[str]) -> list[str]:
    """Copy into ``survivor`` the values of ``row`` it lacks; return their fields."""
    names = []
    for f in survivor._meta.concrete_fields:
        if f.primary_key or f.name in exclude or f.attname in exclude:
            continue
        if _is_empty(getattr(survivor, f.attname)) and not _is_empty(
            getattr(row, f.attname)
        ):
            setattr(survivor, f.attname, getattr(row, f.attname))
            names.append(f.name)
    return names


def _describe(row, groups) -> str:
    """Name a link row with the record it links, e.g. "IRL 2958: CNRS – Host"."""
    records = [
        str(getattr(row, f.name))
        for f in row._meta.concrete_fields
        if f.is_relation and any(f.attname in group for group in groups)
    ]
    if row._meta.auto_created:  # a many-to-many table: its rows have no name
        return ", ".join(records)
    return ": ".join([", ".join(records), str(row)]) if records else str(row)


def _is_empty(value) -> bool:
    return value is None or value == "" or value == []


def _has_history(model) -> bool:
    return bool(getattr(model._meta, "simple_history_manager_attribute", None))


def _save_rows(model, rows: list, fields: list[str], *, user, reason: str) -> None:
    if not rows or not fields:
        return
    if _has_history(model):
        bulk_update_with_history(
            rows,
            model,
            fields,
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
        )
    else:
        model._base_manager.bulk_update(rows, fields, batch_size=500)


def _delete_rows(model, rows: list, *, user, reason: str) -> None:
    if not rows:
        return
    if not _has_history(model):
        model._base_manager.filter(pk__in=[r.pk for r in rows]).delete()
        return
    for row in rows:  # one by one, so that each deletion is in the history
        row._change_reason = reason
        if user is not None:
            row._history_user = user
        row.delete()


def _fill_empty_fields(kept: Partner, duplicates: list[Partner], report) -> None:
    """Give ``kept`` the values it lacks from the duplicates, the first one first."""
    merged_pks = {d.pk for d in duplicates}
    for duplicate in duplicates:
        for name in MERGE_FILLED_FIELDS:
            mine, theirs = getattr(kept, name), getattr(duplicate, name)
            if _is_empty(mine) and not _is_empty(theirs):
                setattr(kept, name, theirs)
                report.filled.append(str(Partner._meta.get_field(name).verbose_name))
                for companion in MERGE_FILLED_WITH.get(name, ()):
                    setattr(kept, companion, getattr(duplicate, companion))
            elif name in MERGE_UNIQUE_FIELDS and theirs and theirs != mine:
                report.conflicts.append(
                    gettext("%(field)s %(value)s of #%(pk)d not kept (%(kept)s)")
                    % {
                        "field": Partner._meta.get_field(name).verbose_name,
                        "value": theirs,
                        "pk": duplicate.pk,
                        "kept": mine,
                    }
                )
        if (
            kept.latitude is None
            and kept.longitude is None
            and duplicate.latitude is not None
            and duplicate.longitude is not None
        ):
            kept.latitude, kept.longitude = duplicate.latitude, duplicate.longitude
            report.filled.append(gettext("coordinates"))
        parent_pk = duplicate.parent_id
        if (
            kept.parent_id is None
            and parent_pk is not None
            and parent_pk != kept.pk
            and parent_pk not in merged_pks
            and kept.pk not in _ancestor_pks(duplicate.parent)
        ):
            kept.parent_id = parent_pk
            report.filled.append(str(Partner._meta.get_field("parent").verbose_name))
    # The identifiers kept took, or already had, are cleared on the duplicates
    # first (unique columns). The deletion's history row then holds none of them,
    # and the duplicate can be restored; the others stay in it, nothing is lost.
    for duplicate in duplicates:
        taken = {
            name: ""
            for name in MERGE_UNIQUE_FIELDS
            if getattr(duplicate, name)
            and getattr(duplicate, name) == getattr(kept, name)
        }
        if taken:
            Partner.objects.filter(pk=duplicate.pk).update(**taken)
            for name, value in taken.items():
                setattr(duplicate, name, value)


def _delete_duplicates(kept: Partner, duplicates: list[Partner], *, user) -> None:
    reason = change_reason(Reason.MERGED_AWAY, pk=kept.pk, name=kept)
    for duplicate in duplicates:
        duplicate._change_reason = reason
        if user is not None:
            duplicate._history_user = user
        # Every link has moved: a link left behind (PROTECT) aborts the merge.
        duplicate.delete()


# The start of a merged partner's deletion reason, before the kept partner's pk.
MERGED_AWAY_START = Reason.MERGED_AWAY.split("%(pk)s")[0]


def merged_into(partner_pk) -> int | None:
    """Return the pk of the partner that partner ``partner_pk`` was merged into,
    if its last deletion was that merge (``merge_partners``); else None."""
    reason = (
        Partner.history.filter(id=partner_pk, history_type="-")
        .order_by("-history_date", "-history_id")
        .values_list("history_change_reason", flat=True)
        .first()
    )
    if not reason or not reason.startswith(MERGED_AWAY_START):
        return None
    digits = re.match(r"\d+", reason[len(MERGED_AWAY_START) :])
    return int(digits.group()) if digits else None


def _merge_reason(duplicates: list[Partner]) -> str:
    names = ", ".join(f"#{d.pk} ({d})" for d in duplicates)
    reason = Reason.MERGED_ONE if len(duplicates) == 1 else Reason.MERGED_MANY
    return change_reason(reason, partners=names)


def _ancestor_pks(partner: Partner | None) -> list[int]:
    """Return the pks of ``partner``'s parent, its parent's parent, and so on."""
    pks: list[int] = []
    pk = partner.parent_id if partner is not None else None
    while pk is not None and pk not in pks:
        pks.append(pk)
        pk = Partner.objects.filter(pk=pk).values_list("parent_id", flat=True).first()
    return pks
