"""Versions that keep a record's relations: one version per edit, revertible.

django-simple-history keeps a record's many-to-many relations with each version
when told which (``m2m_fields``), but at the wrong moments for an edit. The admin
saves the record, which writes a version holding the relations as they were, then
the relations: one more version for each field changed through the form, none for
rows written through an inline (a unit's partnerships). Inside ``one_version_per_edit``
a record's relations are written into the last version the edit made of it, after
the edit; a record whose relations alone changed gets one version for them.

A deletion changes other records without saving them: it removes their links to
the record deleted (an agreement's partner) or empties their foreign keys to it
(a unit's director, ``on_delete=SET_NULL``). Each record changed gets a version,
by the user deleting, naming the record deleted.

Versions written in bulk (``bulk_history_create``) hold none until given them
(``keep_relations_of_latest``, as the publish action does), nor do those written
before versions kept relations: their ``relations_kept`` is false, and reverting
to one leaves the relations as they are.
"""

import functools
import re
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Exists, Max, OuterRef
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import conditional_escape
from django.utils.translation import gettext, gettext_noop, ngettext_lazy
from django_countries.fields import Country
from simple_history.models import (
    DeletedObject,
    HistoricalChanges,
    HistoricalRecords,
    ModelChange,
)
from simple_history.signals import pre_create_historical_record
from simple_history.template_utils import HistoricalRecordContextHelper

from partners.country_names import country_list
from partners.dates import long_moment


@dataclass
class _Edit:
    # (model, pk) -> (record, its last version written during the edit)
    versions: dict = field(default_factory=dict)
    # (model, pk) -> the record (or None, to be read) whose relations it changed
    changed: dict = field(default_factory=dict)
    user: object = None  # who makes the versions of relations alone, if known
    reason: str = ""
    # The moment every version written during the edit is dated, if given (an
    # import: the admin lists what it created or updated by it).
    moment: datetime | None = None


_edit: ContextVar[_Edit | None] = ContextVar("relations_edit", default=None)


class RelationsHistory(HistoricalRecords):
    """simple-history's records of a model whose versions keep its relations.

    ``m2m_fields`` names them; a relation through a model of its own (a unit's
    partners through ``UnitPartnership``) keeps that model's columns (the role).
    """

    by_model: dict[type[models.Model], "RelationsHistory"] = {}

    def finalize(self, sender, **kwargs):
        fields = self.get_m2m_fields_from_model(sender)
        # simple-history names a relation's history after its through model, so a
        # unit's partnerships would clash with UnitPartnership's own history.
        self.relation_names = {
            f.remote_field.through: f"Historical{sender._meta.object_name}_{f.name}"
            for f in fields
        }
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            RelationsHistory.by_model[sender] = self
            for f in fields:
                through = f.remote_field.through
                if not through._meta.auto_created:
                    # Rows of an inline send no m2m_changed: their saves count.
                    for signal in (
                        models.signals.post_save,
                        models.signals.post_delete,
                    ):
                        signal.connect(
                            self.through_row_changed,
                            sender=through,
                            weak=False,
                            dispatch_uid=f"relations-{through._meta.label}",
                        )
            pre_create_historical_record.connect(
                _version_written, sender=self.history_model(sender), weak=False
            )
            for f in fields:
                # Deleting a partner deletes the rows linking agreements to it,
                # without m2m_changed: the agreements get a version all the same.
                for signal, receiver in (
                    (models.signals.pre_delete, _related_record_deleting),
                    (models.signals.post_delete, _related_record_deleted),
                ):
                    signal.connect(
                        receiver,
                        sender=f.related_model,
                        weak=False,
                        dispatch_uid=f"relations-target-{f.related_model._meta.label}",
                    )

    @staticmethod
    def history_model(model):
        return getattr(model, model._meta.simple_history_manager_attribute).model

    def create_history_m2m_model(self, model, through_model):
        # A relation's versions are read by their version alone (``history``,
        # indexed); the copied columns need no index.
        no_db_index = self.no_db_index
        self.no_db_index = [f.name for f in through_model._meta.concrete_fields]
        try:
            return super().create_history_m2m_model(model, through_model)
        finally:
            self.no_db_index = no_db_index

    def get_history_model_name(self, model):
        names = getattr(self, "relation_names", {})
        return names.get(model) or super().get_history_model_name(model)

    def get_extra_fields(self, model, fields):
        extra = super().get_extra_fields(model, fields)
        extra["relations_kept"] = models.BooleanField(
            default=False,
            editable=False,
            help_text="Whether the version holds the record's relations.",
        )
        return extra

    def relation_fields(self) -> list[models.ManyToManyField]:
        """Return the many-to-many fields whose relations versions keep, in order.

        simple-history keeps them in a set, whose order changes from one process
        to the next.
        """
        kept = set(self.get_m2m_fields_from_model(self.cls))
        return [f for f in self.cls._meta.many_to_many if f in kept]

    def pre_delete(self, instance, **kwargs):
        super().pre_delete(instance, **kwargs)
        # The deletion's version is written after the relations' rows are gone
        # (post_delete, after the cascade): it keeps them as they were now.
        instance._relations_at_deletion = {
            relation: list(
                relation.remote_field.through._base_manager.filter(
                    **{relation.m2m_field_name(): instance}
                )
            )
            for relation in self.relation_fields()
        }

    def create_historical_record_m2ms(self, history_instance, instance):
        if history_instance.history_type == "+":
            # A record just written has no relations yet (their rows need its
            # key): nothing to read. Those an edit then adds, its version gets at
            # the edit's end (keep_relations); outside an edit, each addition is
            # a version of its own.
            return
        rows = getattr(instance, "_relations_at_deletion", None)
        if history_instance.history_type != "-" or rows is None:
            return super().create_historical_record_m2ms(history_instance, instance)
        for relation, links in rows.items():
            self.m2m_models[relation].objects.bulk_create(
                self.kept_link(relation, history_instance.pk, link) for link in links
            )

    def kept_link(self, relation, version_pk, link):
        """Return ``link`` (a row of ``relation``) as ``version_pk`` keeps it."""
        columns = [f.attname for f in relation.remote_field.through._meta.fields]
        return self.m2m_models[relation](
            history_id=version_pk,
            **{column: getattr(link, column) for column in columns},
        )

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or hasattr(
            instance, "skip_history_when_saving"
        ):
            return
        if not reverse:
            if action in ("post_add", "post_remove", "post_clear"):
                relations_changed(self.cls, [instance.pk], records=[instance])
            return
        # Changed from the other side (an institute's units): the records changed
        # are those of pk_set, or, for a clear, those related before it.
        if action == "pre_clear":
            relation = self.cls._meta.get_field(attr)
            through = relation.remote_field.through
            source = through._meta.get_field(relation.m2m_field_name()).attname
            instance._relations_cleared = list(
                through._base_manager.filter(
                    **{relation.m2m_reverse_field_name(): instance}
                ).values_list(source, flat=True)
            )
        elif action == "post_clear":
            relations_changed(self.cls, instance.__dict__.pop("_relations_cleared", ()))
        elif action in ("post_add", "post_remove"):
            relations_changed(self.cls, pk_set or ())

    def through_row_changed(self, sender, instance, **kwargs):
        """A row of a relation's own model was saved or deleted (an inline)."""
        if _edit.get() is not None:
            [owner] = [
                relation.m2m_field_name()
                for relation in self.relation_fields()
                if relation.remote_field.through is sender
            ]
            relations_changed(self.cls, [getattr(instance, f"{owner}_id")])
        # Outside an edit the row's own history records it; the record's next
        # version will hold it.

    def keep_relations(self, version, record) -> None:
        """Write ``record``'s relations as they are now into ``version``."""
        for relation in version._history_m2m_fields:
            self.m2m_models[relation].objects.filter(history=version).delete()
        super().create_historical_record_m2ms(version, record)
        if not version.relations_kept:
            type(version).objects.filter(pk=version.pk).update(relations_kept=True)
            version.relations_kept = True


def _version_written(sender, instance, history_instance, **kwargs):
    """A version is being written whole: it keeps the relations; an edit notes it."""
    history_instance.relations_kept = True
    edit = _edit.get()
    if edit is not None:
        edit.versions[(sender.instance_type, instance.pk)] = (
            instance,
            history_instance,
        )


def _dated_by_the_edit(sender, history_instance, **kwargs):
    """A version written during an edit of a moment of its own is dated by it."""
    edit = _edit.get()
    if edit is not None and edit.moment is not None:
        history_instance.history_date = edit.moment


pre_create_historical_record.connect(_dated_by_the_edit, dispatch_uid="edit-moment")


def _related_record_deleting(sender, instance, **kwargs):
    instance._related_by_relations = records_related_to(sender, [instance.pk])


def _related_record_deleted(sender, instance, **kwargs):
    """The records whose relations reached ``instance`` lost them: a version each."""
    reason = _deletion_reason(instance)
    related = instance.__dict__.pop("_related_by_relations", {})
    for model, pks in related.items():
        relations_changed(model, sorted(pks), reason=reason)


def _deletion_reason(instance) -> str:
    """The change reason of a record a deletion of ``instance`` changed."""
    return change_reason(Reason.RELATED_DELETED, record=instance)


class Reason:
    """The reasons the site gives its versions (``history_change_reason``).

    Kept in English and shown in the reader's language (``shown_reason``): kept in
    the actor's, a revert by a French editor read "Rétabli dans la version du …" in
    the English admin.
    """

    PUBLISHED = gettext_noop("Published")
    RETURNED_TO_DRAFT = gettext_noop("Returned to draft")
    SPREADSHEET_IMPORT = gettext_noop("Spreadsheet import")
    ROR_IMPORT = gettext_noop("ROR import")
    CORDIS_IMPORT = gettext_noop("CORDIS import")
    RESTORED = gettext_noop("Restored to the version of %(date)s")
    RELATED_DELETED = gettext_noop("Related record deleted: %(record)s")
    LINKS_MERGED = gettext_noop("Partner merged into #%(pk)s (%(name)s)")
    MERGED_AWAY = gettext_noop("Merged into partner #%(pk)s (%(name)s)")
    MERGED_ONE = gettext_noop("Merged partner %(partners)s into this one")
    MERGED_MANY = gettext_noop("Merged partners %(partners)s into this one")

    @classmethod
    def all(cls) -> list[str]:
        return [value for name, value in vars(cls).items() if name.isupper()]


# The length of simple-history's column.
REASON_LENGTH = 100


def change_reason(reason: str, **values) -> str:
    """Return ``reason`` (a ``Reason``) with ``values``, as a version keeps it: in
    English, a date in ISO 8601, shortened to the column."""
    kept = {
        name: value.isoformat() if isinstance(value, datetime) else str(value)
        for name, value in values.items()
    }
    text = reason % kept if kept else reason
    if len(text) > REASON_LENGTH:
        return text[: REASON_LENGTH - 1] + "…"
    return text


@functools.cache
def _reason_patterns() -> list[tuple[str, re.Pattern]]:
    """Each ``Reason`` and what reads its values back from a kept reason."""
    patterns = []
    for reason in Reason.all():
        pattern = re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.+)", re.escape(reason))
        patterns.append((reason, re.compile(pattern, re.DOTALL)))
    return patterns


def shown_user(user) -> str:
    """Return how staff are named to one another: full name, or else username."""
    return user.get_full_name() or user.get_username()


def shown_moment(moment: datetime) -> str:
    """Return ``moment`` in local time to the second, as the active language writes
    it: versions saved within a minute read the same to the minute."""
    # The language's own date and time, its minutes followed by the seconds
    # ("5 mars 2024 15:30:12"): Django has no format with seconds of its own.
    written = re.sub(r"(?<!\\)i", "i:s", formats.get_format("DATETIME_FORMAT"), count=1)
    return long_moment(moment, written)


def shown_reason(text: str) -> str:
    """Return the change reason ``text`` in the active language, a date as it writes
    dates; a reason kept otherwise (before reasons were kept in English, shortened,
    written by hand) as it is."""
    for reason, pattern in _reason_patterns():
        found = pattern.fullmatch(text)
        if found is None:
            continue
        values = found.groupdict()
        if "date" in values:
            moment = parse_datetime(values["date"])
            if moment is None:
                return text
            values["date"] = shown_moment(moment)
        return gettext(reason) % values if values else gettext(reason)
    return text


# The foreign keys a deletion empties rather than deletes their records. Django's
# deletion (the Collector) empties them by one UPDATE, which sends no signal:
# simple-history would write no version of the records changed.
EMPTIED_ON_DELETE = (models.SET_NULL, models.SET_DEFAULT)


@functools.cache
def links_emptied_by_deleting(model) -> tuple[models.ForeignKey, ...]:
    """Return the foreign keys, of any model, that deleting a ``model`` record empties.

    Found as Django's deletion finds them, so that one added later is found too;
    those of history rows (their author) are left out.
    """
    return tuple(
        relation.field
        for relation in get_candidate_relations_to_delete(model._meta)
        if relation.field.remote_field.on_delete in EMPTIED_ON_DELETE
        and not issubclass(relation.related_model, HistoricalChanges)
    )


def records_unlinked_by_deleting(
    records,
) -> list[tuple[models.ForeignKey, models.QuerySet]]:
    """Return, by foreign key, the records that deleting ``records`` leaves unlinked.

    ``records``: of one model, a list or a queryset. The records themselves are
    left out (a partner deleted with its parent institution is not unlinked).
    """
    if isinstance(records, models.QuerySet):
        model, pks = records.model, records.values("pk")
    else:
        model, pks = type(records[0]), [record.pk for record in records]
    unlinked = []
    for link in links_emptied_by_deleting(model):
        linked = link.model._base_manager.filter(**{f"{link.name}__in": pks})
        if link.model is model:
            linked = linked.exclude(pk__in=pks)
        unlinked.append((link, linked))
    return unlinked


def _is_kept_in_history(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


@dataclass
class _Deletion:
    origin: object  # what delete() was called on, the same for the whole deletion
    # (model, pk) -> {column: value} of the links it empties, read before they are
    emptied: dict = field(default_factory=dict)


_deletion: ContextVar[_Deletion | None] = ContextVar("links_emptied", default=None)


def _links_emptying(sender, instance, origin=None, **kwargs):
    """A deletion is about to empty foreign keys to ``instance``: a version of each
    record they are on, by the user deleting, in the deletion's transaction.

    Written now, before the deletion's UPDATE, with the foreign key emptied: a
    record deleted in the same deletion (a partner with its parent) then gets its
    deletion's version after this one, as its last.
    """
    links = [
        link
        for link in links_emptied_by_deleting(sender)
        if _is_kept_in_history(link.model)
    ]
    if not links or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    deletion = _deletion.get()
    if deletion is None or origin is None or deletion.origin is not origin:
        deletion = _Deletion(origin)
        _deletion.set(deletion)
    changed: dict = {}  # model -> {pk: record}
    for link in links:
        records = changed.setdefault(link.model, {})
        value = None
        if link.remote_field.on_delete is models.SET_DEFAULT:
            value = link.get_default()
        for record in link.model._base_manager.filter(**{link.name: instance}):
            records.setdefault(record.pk, record)
            emptied = deletion.emptied.setdefault((link.model, record.pk), {})
            emptied[link.attname] = value
    reason = _deletion_reason(instance)
    # Who deletes: the deleted record says so (a merge), else the request does.
    user = getattr(instance, "_history_user", None)
    for model, records in changed.items():
        if not records:
            continue
        # Each record as the deletion leaves it: the links it empties for other
        # records deleted with this one too (two people, director and deputy).
        for pk, record in records.items():
            for column, value in deletion.emptied[(model, pk)].items():
                setattr(record, column, value)
        records = list(records.values())
        # One insert for thousands of children of a partner, not one each.
        history = getattr(model, model._meta.simple_history_manager_attribute)
        history.bulk_history_create(
            records, update=True, default_user=user, default_change_reason=reason
        )
        keep_relations_of_latest(model, records)


def _deletion_done(sender, origin=None, **kwargs):
    deletion = _deletion.get()
    if deletion is not None and deletion.origin is origin:
        _deletion.set(None)


# Every model: which of them others link to is known only once all are loaded.
models.signals.pre_delete.connect(
    _links_emptying, weak=False, dispatch_uid="history-links-emptied"
)
models.signals.post_delete.connect(
    _deletion_done, weak=False, dispatch_uid="history-links-emptied-done"
)


def relations_changed(model, pks: Iterable, *, records=(), user=None, reason=""):
    """Record that the relations of ``model``'s records ``pks`` changed.

    Inside an edit, they are kept with the edit's version of each; outside, each
    record gets a version now (by ``user``, for ``reason``).
    """
    records_class = RelationsHistory.by_model[model]
    known = {record.pk: record for record in records}
    pks = [pk for pk in pks if pk is not None]
    edit = _edit.get()
    if edit is not None:
        for pk in pks:
            if edit.changed.get((model, pk)) is None:
                edit.changed[(model, pk)] = known.get(pk)
        return
    missing = [pk for pk in pks if pk not in known]
    if missing:
        known.update(model._base_manager.in_bulk(missing))
    for pk in pks:
        record = known.get(pk)
        if record is None:
            continue  # deleted since: its last version says so
        if user is not None:
            record._history_user = user
        if reason:
            record._change_reason = reason
        records_class.create_historical_record(record, "~")


@contextmanager
def one_version_per_edit(*, user=None, reason: str = "", moment=None):
    """Make what runs inside one edit: one version per record, with its relations.

    A record whose relations alone changed gets a version by ``user`` (else the
    request's, as simple-history finds it), for ``reason``. With ``moment``,
    every version is dated by it. Nested calls join the outer edit. Nothing is
    written if the block raises: the edit's transaction is rolled back anyway.
    """
    if _edit.get() is not None:
        yield
        return
    edit = _Edit(user=user, reason=reason, moment=moment)
    token = _edit.set(edit)
    try:
        yield
    finally:
        _edit.reset(token)
    _finish(edit)


def _finish(edit: _Edit) -> None:
    by_model: dict = {}
    for (model, _pk), (record, version) in edit.versions.items():
        if version.history_type != "-":
            by_model.setdefault(model, []).append((record, version))
    for model, written in by_model.items():
        records_class = RelationsHistory.by_model[model]
        # A version undone by a savepoint rolled back inside the edit is gone.
        versions = type(written[0][1])._base_manager.filter(
            pk__in=[version.pk for _record, version in written]
        )
        existing = set(versions.values_list("pk", flat=True))
        for record, version in written:
            if version.pk in existing:
                records_class.keep_relations(version, record)
    # Records whose relations alone changed: a version each.
    by_model = {}
    for (model, pk), record in edit.changed.items():
        if (model, pk) not in edit.versions:
            by_model.setdefault(model, {})[pk] = record
    for model, records in by_model.items():
        known = [record for record in records.values() if record is not None]
        relations_changed(
            model, list(records), records=known, user=edit.user, reason=edit.reason
        )


def records_related_to(model, pks) -> dict[type[models.Model], set]:
    """Return, by model, the records whose kept relations reach ``model``'s ``pks``."""
    related: dict = {}
    for owner, records_class in RelationsHistory.by_model.items():
        for relation in records_class.relation_fields():
            if relation.related_model is not model:
                continue
            through = relation.remote_field.through
            source = through._meta.get_field(relation.m2m_field_name()).attname
            target = relation.m2m_reverse_field_name()
            related.setdefault(owner, set()).update(
                through._base_manager.filter(**{f"{target}__in": pks}).values_list(
                    source, flat=True
                )
            )
    return related


def relations_of(model) -> list[models.ManyToManyField]:
    """Return the relations ``model``'s versions keep; none if they keep none."""
    records_class = RelationsHistory.by_model.get(model)
    return records_class.relation_fields() if records_class else []


def keeps_link_to(model, relation_name: str, **lookups) -> Exists:
    """Filter ``model``'s versions to those that kept a ``relation_name`` link to a
    record matching ``lookups``: ``history.filter(keeps_link_to(...))``."""
    relation = model._meta.get_field(relation_name)
    kept = RelationsHistory.by_model[model].m2m_models[relation]
    target = relation.m2m_reverse_field_name()
    return Exists(
        kept.objects.filter(
            history=OuterRef("pk"),
            **{f"{target}__{lookup}": value for lookup, value in lookups.items()},
        )
    )


def keep_first_version(record) -> None:
    """Give ``record`` a version of its state as saved, when it has none, before
    a first edit writes one: else that edit could not be undone.

    Records written without their model's code have none: ``generate_data``'s
    (``cnrs_intl/synthetic.py``), or a row added in SQL. The version is dated
    when the record was last changed, and holds its relations.
    """
    model = type(record)
    history = getattr(record, model._meta.simple_history_manager_attribute)
    if history.exists():
        return
    saved = model._base_manager.filter(pk=record.pk).first()
    if saved is None:
        return
    manager = getattr(model, model._meta.simple_history_manager_attribute)
    manager.bulk_history_create(
        [saved], default_date=getattr(saved, "updated", None) or timezone.now()
    )
    keep_relations_of_latest(model, [saved])


def keep_relations_of_latest(model, records) -> None:
    """Give the latest versions of ``records``, written in bulk, their relations.

    In a few queries whatever the number of records (the publish action may be
    given thousands): each relation's rows are copied in one insert.
    """
    records_class = RelationsHistory.by_model.get(model)
    if records_class is None or not records:
        return
    history = records_class.history_model(model)
    pk_name = model._meta.pk.attname
    pks = [record.pk for record in records]
    latest = dict(
        history.objects.filter(**{f"{pk_name}__in": pks})
        .order_by()
        .values_list(pk_name)
        .annotate(Max("history_id"))
    )
    for relation in records_class.relation_fields():
        kept = records_class.m2m_models[relation]
        kept.objects.filter(history_id__in=latest.values()).delete()
        through = relation.remote_field.through
        source = through._meta.get_field(relation.m2m_field_name()).attname
        kept.objects.bulk_create(
            (
                records_class.kept_link(relation, latest[getattr(link, source)], link)
                for link in through._base_manager.filter(**{f"{source}__in": pks})
            ),
            batch_size=1000,
        )
    history.objects.filter(history_id__in=latest.values()).update(relations_kept=True)


@dataclass
class KeptRelation:
    """One relation a version kept, as the revert page lists it."""

    label: str
    rows: list[str]


def kept_relations(version) -> list[KeptRelation]:
    """Describe the relations ``version`` kept, field by field, as the history does."""
    records_class = RelationsHistory.by_model[version.instance_type]
    return [
        KeptRelation(
            label=str(relation.verbose_name),
            rows=[
                row.text
                for row in _rows_by_version(records_class, relation, [version.pk])
                .get(version.pk, {})
                .values()
            ],
        )
        for relation in records_class.relation_fields()
    ]


def _existing(model, pks) -> set:
    return set(model._base_manager.filter(pk__in=pks).values_list("pk", flat=True))


def _gone_name(model, pk) -> str:
    """Name a deleted record by its last version, as "Name (deleted)"."""
    history = getattr(model, "history", None)
    last = history.filter(**{model._meta.pk.attname: pk}).first() if history else None
    name = str(last.instance) if last is not None else f"#{pk}"
    return gettext("%(name)s (deleted)") % {"name": name}


def link_changes(record, version) -> set[tuple[type[models.Model], str]]:
    """Return what restoring ``version``'s relations would do to links of their own.

    Pairs of (link model, "add" | "change" | "delete"), for the relations whose
    rows are records of their own (a unit's partnerships), which a role may be
    allowed to add but not to delete. ``record`` is None for a deleted record.
    """
    if not getattr(version, "relations_kept", False):
        return set()
    changes = set()
    for relation in relations_of(version.instance_type):
        through = relation.remote_field.through
        if through._meta.auto_created:
            continue  # a field of the record's form: its change permission covers it
        kept, _gone = _kept_rows(relation, version)
        plan = _restore_plan(relation, record, kept)
        changes.update((through, action) for action, rows in plan.items() if rows)
    return changes


def _kept_rows(relation, version) -> tuple[dict, list[str]]:
    """Return ``version``'s rows of ``relation`` by the record they link to, those
    records still existing; and the names of those deleted since."""
    through = relation.remote_field.through
    target = through._meta.get_field(relation.m2m_reverse_field_name()).attname
    kept = {getattr(row, target): row for row in getattr(version, relation.name).all()}
    existing = _existing(relation.related_model, kept)
    gone = [_gone_name(relation.related_model, pk) for pk in kept if pk not in existing]
    return {pk: row for pk, row in kept.items() if pk in existing}, gone


def _kept_columns(through) -> list:
    """Return the columns of a link row that versions compare and restore.

    Not its id, nor what the database writes itself (``derived_fields``: a
    participation's copy of its institution's country), which a revert would
    only write again and which changes without any edit of the record.
    """
    derived = getattr(through, "derived_fields", ())
    return [
        f
        for f in through._meta.concrete_fields
        if not f.primary_key and f.name not in derived
    ]


def _restore_plan(relation, record, kept: dict) -> dict[str, list]:
    """Return the link rows that restoring ``kept`` (see _kept_rows) adds, changes
    and deletes."""
    through = relation.remote_field.through
    source = relation.m2m_field_name()
    target = through._meta.get_field(relation.m2m_reverse_field_name()).attname
    columns = [
        f.attname
        for f in _kept_columns(through)
        if f.attname not in (target, f"{source}_id")
    ]
    current = {}
    if record is not None:
        current = {
            getattr(row, target): row
            for row in through._base_manager.filter(**{source: record})
        }
    plan = {"add": [], "change": [], "delete": []}
    for pk, row in current.items():
        if pk not in kept:
            plan["delete"].append(row)
    for pk, old in kept.items():
        values = {column: getattr(old, column) for column in columns}
        row = current.get(pk)
        if row is None:
            plan["add"].append({source: record, target: pk, **values})
        elif any(getattr(row, c) != v for c, v in values.items()):
            for column, value in values.items():
                setattr(row, column, value)
            plan["change"].append(row)
    return plan


def restore_relations(record, version) -> list[str]:
    """Give ``record`` the relations ``version`` kept; return those now impossible.

    A relation to a record deleted since (a partner merged into another) cannot
    come back: it is named in the list returned. Rows of a relation's own model
    (a unit's partnerships) are changed, added and deleted one by one, so that
    their own history records each.
    """
    if not getattr(version, "relations_kept", False):
        return []
    lost = []
    for relation in relations_of(type(record)):
        kept, gone = _kept_rows(relation, version)
        lost += gone
        through = relation.remote_field.through
        if through._meta.auto_created:
            getattr(record, relation.name).set(list(kept))
            continue
        plan = _restore_plan(relation, record, kept)
        for row in plan["delete"]:
            row.delete()
        for values in plan["add"]:
            through._base_manager.create(**values)
        for row in plan["change"]:
            row.save()
    return lost


def relation_changes(versions) -> dict[int, list[ModelChange]]:
    """Return, by version id, how its relations differ from the next older version's.

    ``versions`` are one record's, newest first (a page of its history). Two
    versions are compared only if both kept their relations; each relation is read
    once for the whole page, where simple-history's ``diff_against`` reads both
    versions' rows for each pair (four queries a relation and a pair). A change
    lists the rows removed and those added; a link changed in place (a role, an
    amount) is both, with what changed in it.
    """
    versions = [v for v in versions if v.relations_kept]
    if not versions:
        return {}
    records_class = RelationsHistory.by_model[versions[0].instance_type]
    relations = records_class.relation_fields()
    shown = {
        relation.name: _rows_by_version(
            records_class, relation, [v.pk for v in versions]
        )
        for relation in relations
    }
    changes: dict[int, list[ModelChange]] = {}
    for newer, older in zip(versions, versions[1:], strict=False):
        for relation in relations:
            new = shown[relation.name].get(newer.pk, {})
            old = shown[relation.name].get(older.pk, {})
            if new.keys() == old.keys():
                continue
            target = relation.m2m_reverse_field_name()
            removed = [old[key] for key in old if key not in new]
            added = [new[key] for key in new if key not in old]
            changes.setdefault(newer.pk, []).append(
                ModelChange(
                    relation.name,
                    [{target: row.text_beside(added)} for row in removed],
                    [{target: row.text_beside(removed)} for row in added],
                )
            )
    return changes


@dataclass
class _LinkRow:
    """A row of a relation as a version kept it, to list in the history."""

    target_pk: object
    text: str
    columns: dict  # a link's own columns: label -> value shown

    def text_beside(self, others: list["_LinkRow"]) -> str:
        """Name the row, with the columns that differ from its twin's in ``others``."""
        twin = next((o for o in others if o.target_pk == self.target_pk), None)
        if twin is None:
            return self.text
        differ = [
            gettext("%(label)s: %(value)s") % {"label": label, "value": value}
            for label, value in self.columns.items()
            # A role the row's name already shows is not said twice.
            if twin.columns.get(label) != value and value not in self.text
        ]
        return f"{self.text} ({'; '.join(differ)})" if differ else self.text


class VersionChanges(HistoricalRecordContextHelper):
    """The history page's changes as staff read them.

    A relation's rows removed and added are listed whole: simple-history shortens
    long values around their common part ("[Univ[17 chars]…"), which for lists of
    institutions hides what changed. A choice shows its label, not its stored
    value ("draft"), a country its name ("Belgique", not "BE"), and no value (an
    emptied text too) a dash, not "None" or nothing. A related record deleted since
    is named by its last version.
    """

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if isinstance(value, DeletedObject):
            # simple-history's "Deleted person (pk=None)", in English: for a key
            # cleared (a unit's director removed) as for a record deleted since.
            value = None if value.pk is None else _gone_name(value.model, value.pk)
        if isinstance(value, Country):
            value = value.name or "–"
        elif isinstance(value, list) and all(isinstance(v, Country) for v in value):
            # Countries covered: in the order of their names, as the form lists them.
            value = country_list(country.code for country in value) or "–"
        elif field.choices and not field.many_to_many and isinstance(value, str | int):
            value = dict(field.flatchoices).get(value, value)
        # An emptied text as an emptied city or key: "–", not nothing before "→".
        return "–" if value is None or value == "" else value

    def context_for_delta_changes(self, delta):
        # A relation's change is the rows removed and the rows added, not the
        # relation before and after: "– → NTU" read as if the unit had no partner.
        shown = super().context_for_delta_changes(delta)
        relations = {relation.name for relation in relations_of(self.model)}
        for change, listed in zip(delta.changes, shown, strict=True):
            listed["relation"] = change.field in relations
        return shown

    def stringify_delta_change_values(self, change, old, new):
        if change.field not in {relation.name for relation in relations_of(self.model)}:
            return super().stringify_delta_change_values(change, old, new)
        return tuple(
            conditional_escape("; ".join(map(str, rows)) if rows else "–")
            for rows in (old, new)
        )


def _rows_by_version(records_class, relation, version_pks) -> dict[int, dict]:
    """Return each version's rows of ``relation``, by a key comparing them whole."""
    through = relation.remote_field.through
    target = relation.m2m_reverse_field_name()
    source = relation.m2m_field_name()
    columns = [f for f in _kept_columns(through) if f.name not in (source, target)]
    rows = (
        records_class.m2m_models[relation]
        .objects.filter(history__in=version_pks)
        .select_related(target)
        .order_by(f"{target}_id")
    )
    by_version: dict[int, dict] = {}
    for row in rows:
        target_pk = getattr(row, f"{target}_id")
        try:
            other = getattr(row, target)
        except ObjectDoesNotExist:
            other = None
        link = through(**{f.attname: getattr(row, f.attname) for f in columns})
        if other is None:
            text = _gone_name(relation.related_model, target_pk)
        elif columns:
            # The relation's own model names the row, role included.
            setattr(link, target, other)
            text = str(link)
        else:
            text = str(other)
        key = (target_pk, *(getattr(row, f.attname) for f in columns))
        by_version.setdefault(row.history_id, {})[key] = _LinkRow(
            target_pk,
            text,
            {str(f.verbose_name): _shown_value(link, f) for f in columns},
        )
    return by_version


def _shown_value(link, field) -> str:
    """A link's column as a person reads it: a choice's label, a country's name."""
    value = getattr(link, field.name)
    if field.choices and value is not None:
        value = getattr(link, f"get_{field.name}_display")()
    value = getattr(value, "name", value)  # a country
    return "–" if value in (None, "") else str(formats.localize(value))


# simple-history's French catalogue lacks these words of its history page: marked
# here, they are translated by the project's.
SIMPLE_HISTORY_STRINGS = (
    gettext_noop("Changes"),
    ngettext_lazy("entry", "entries"),
)
