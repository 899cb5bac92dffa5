"""What the staff dashboard (the admin home) shows, in a fixed number of queries.

One or two queries per content model, whatever the size of the tables. Each list
and count holds only what the user's changelists show them (their role's scope):
the records are those of each model's ModelAdmin (``shown_records``), where the
rules of partners.roles apply, never said again here.
"""

import datetime
import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from modeltranslation.translator import NotRegistered, translator

from cnrs_intl.models import KeyFigure, SiteInformation
from partners.caching import partners_bulk_mark, query_key
from partners.history import shown_reason
from partners.models import Agreement, Office, Partner, translation_gap
from partners.publication import PublicationStatus, PublishableModel
from partners.search import ShownText
from programmes.models import Grant, Programme, Project
from units.models import Institute, Person, Testimony, Unit

CONTENT_MODELS = (
    Unit,
    Partner,
    Office,
    Agreement,
    Grant,
    Project,
    Programme,
    Testimony,
    KeyFigure,
    Institute,
    Person,
)
# Kept by staff like the content, but one record, not counted: its changes and
# missing English texts are listed with the content's.
SITE_MODELS = (SiteInformation,)
ENDING_SOON_DAYS = 90


def all_records() -> dict[type, QuerySet]:
    """Return every record of each model the dashboard reads, as an unscoped role
    sees them."""
    return {
        model: model._default_manager.all() for model in CONTENT_MODELS + SITE_MODELS
    }


def _or_all(records: dict[type, QuerySet] | None) -> dict[type, QuerySet]:
    return all_records() if records is None else records


def shown_records(admin_site, request) -> dict[type, QuerySet]:
    """Return, per content model the user may view, the records its changelist shows.

    Each ModelAdmin's ``get_queryset`` applies the user's scope (an adviser's
    institutes, an office's countries), as for its changelist, forms and exports.
    """
    records = {}
    for model in CONTENT_MODELS + SITE_MODELS:
        if not admin_site.is_registered(model):
            continue
        model_admin = admin_site.get_model_admin(model)
        if model_admin.has_view_permission(request):
            records[model] = model_admin.get_queryset(request)
    return records


def shown_history(admin_site, request, records) -> dict[type, QuerySet]:
    """Return, per model of ``records``, the versions in the user's scope.

    As each ModelAdmin's ``scope_history`` places them, for the "Deleted records"
    page too: by the version's own values (a partner's country then, a unit's
    institutes), so that no version of a record of another institute or country
    is shown. Read newest first from the history's date index, each version
    checked in its own row (or the links it kept), not against today's records.
    """
    return {
        model: admin_site.get_model_admin(model).scope_history(
            request, model.history.all()
        )
        for model in records
    }


def scope_key(records: dict[type, QuerySet]) -> str:
    """Name what ``records`` hold, for the keys of the aggregates cached from them.

    Made of their SQL (``query_key``): users who see the same records, every role
    without a scope, share what is cached; a scope's own records are its own.
    """
    names = [
        # Unfiltered, all: its SQL need not be written (a few ms for the lot).
        f"{model._meta.label}:all"
        if not queryset.query.where
        else query_key(model._meta.label, queryset.order_by()) or "none"
        for model, queryset in records.items()
    ]
    return hashlib.sha256("|".join(names).encode()).hexdigest()


def admin_change_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


@dataclass
class ModelCount:
    model: type
    total: int
    drafts: int | None

    @property
    def label(self):
        return self.model._meta.verbose_name_plural

    @property
    def admin_url_name(self):
        opts = self.model._meta
        return f"admin:{opts.app_label}_{opts.model_name}_changelist"


def model_counts(records: dict[type, QuerySet] | None = None) -> list[ModelCount]:
    """Return how many ``records`` (all) each model has, and how many are drafts."""
    counts = []
    for model, shown in _or_all(records).items():
        if model in SITE_MODELS:
            continue
        drafts = None
        if issubclass(model, PublishableModel):
            # Apart: both read an index, where one query with a FILTER read every
            # row of the table (a million partners: 250 ms, against 60 and 2).
            drafts = shown.filter(publication_status=PublicationStatus.DRAFT).count()
        counts.append(ModelCount(model, shown.count(), drafts))
    return counts


def ending_soon(
    today: datetime.date | None = None,
    records: dict[type, QuerySet] | None = None,
):
    """Return the grants and agreements of ``records`` (all) ending in the next 90
    days, soonest first."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=ENDING_SOON_DAYS)
    records = _or_all(records)
    grants = (
        records.get(Grant, Grant.objects.none())
        .filter(end_date__range=(today, horizon))
        .select_related("laureate")
        .order_by("end_date")[:20]
    )
    agreements = (
        records.get(Agreement, Agreement.objects.none())
        .filter(ends_on__range=(today, horizon))
        .order_by("ends_on")[:20]
    )
    return list(grants), list(agreements)


def _translation_gap(model) -> Q | None:
    """Return a condition on rows with a text in one language but not the other."""
    try:
        fields = translator.get_options_for_model(model).fields
    except NotRegistered:
        return None
    return translation_gap(fields)


def missing_translations(
    records: dict[type, QuerySet] | None = None, limit: int = 5
) -> list[dict]:
    """Return, per model, how many ``records`` (all) miss a text in one language,
    and a few."""
    gaps = []
    for model, shown in _or_all(records).items():
        condition = _translation_gap(model)
        if condition is None:
            continue
        rows = shown.filter(condition)
        examples = [
            (str(row), admin_change_url(row)) for row in rows.order_by("-pk")[:limit]
        ]
        if examples:
            gaps.append(
                {
                    "model": model,
                    "label": model._meta.verbose_name_plural,
                    "count": rows.count(),
                    "examples": examples,
                }
            )
    return gaps


def recent_changes(histories: dict[type, QuerySet] | None = None, limit: int = 12):
    """Return the latest of ``histories`` (every version of each content model),
    newest first, with authors.

    Each has a ``label``, the name of the record as the change left it (the history
    entry's own name ends with "as of" and the date in UTC), and its ``reason`` in
    the reader's language, if any.
    """
    if histories is None:
        histories = {
            model: model.history.all() for model in CONTENT_MODELS + SITE_MODELS
        }
    entries = []
    for model, history in histories.items():
        # With the related records a record's name may show (a testimony's person).
        related = [
            field.name for field in model._meta.concrete_fields if field.is_relation
        ]
        entries += history.select_related("history_user", *related).order_by(
            "-history_date"
        )[:limit]
    entries.sort(key=lambda entry: entry.history_date, reverse=True)
    entries = entries[:limit]
    for entry in entries:
        entry.label = recorded_name(entry)
        # What the change was, when the site says it: a merge showed as a deletion
        # and a change, a publication as a change.
        reason = entry.history_change_reason
        entry.reason = shown_reason(reason) if reason else ""
    return entries


def recorded_name(entry) -> str:
    """Return the name of the record as the history ``entry`` keeps it."""
    record = entry.history_object
    for field in record._meta.concrete_fields:
        if field.is_relation and (related := getattr(entry, field.name)) is not None:
            setattr(record, field.name, related)
    try:
        return str(record)
    except ObjectDoesNotExist:  # a related record its name shows, deleted since
        return f"{capfirst(record._meta.verbose_name)} #{record.pk}"


# How long the groups of possible duplicates are kept whatever single saves change:
# grouping a million partners by name takes 2 to 3 s of SQL (docs/benchmarks.md),
# too long to pay on the first dashboard after every save (3.2 s at a million when
# found again per content version). Found again sooner when a partner they name is
# gone (a merge must not leave its group on the dashboard) and after partners were
# written in bulk (an import, generated data: ``partners_written_in_bulk``); the
# dashboard says when they were found, so "none" is no fact beyond that time.
DUPLICATES_KEPT_SECONDS = 600
DUPLICATES_KEY = "dashboard:duplicate-partners"
# Of a group of partners sharing a name, how many the dashboard names; and the most
# it offers to merge at once (the merge page shows each side by side).
DUPLICATES_SHOWN = 5
DUPLICATES_MERGED_AT_MOST = 10


@dataclass
class DuplicateGroup:
    """Partners of one country whose names differ only by accents and case."""

    country: str
    count: int
    partners: list  # the first DUPLICATES_MERGED_AT_MOST, by id

    @property
    def shown(self) -> list:
        return self.partners[:DUPLICATES_SHOWN]

    @property
    def more(self) -> int:
        return self.count - len(self.shown)

    @property
    def merge_ids(self) -> str | None:
        """The ids to merge, when few enough to merge at once."""
        if self.count > DUPLICATES_MERGED_AT_MOST:
            return None
        return ",".join(str(partner.pk) for partner in self.partners)

    @property
    def list_url(self) -> str:
        """The partner changelist showing the whole group."""
        query = urlencode({"country": self.country, "q": self.partners[0].name})
        return f"{reverse('admin:partners_partner_changelist')}?{query}"


def possible_duplicate_partners(
    partners: QuerySet | None = None, limit: int = 20
) -> list[DuplicateGroup]:
    """Return groups of ``partners`` (all) in one country whose names differ only by
    accents.

    The largest groups first, each with its first partners only: generated data (or
    a bad import) can give one name thousands of partners, and the dashboard listed
    them all (1.8 MB, 3 s at a million partners).
    """
    partners = (Partner.objects.all() if partners is None else partners).order_by()
    # The French name as shown (the English one when there is none), folded: on
    # PostgreSQL a stored column, where computing it for a million partners took 3 s.
    folded = ShownText("name_fr", "name_en")
    groups = list(
        partners.annotate(folded=folded)
        .values("country", "folded")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .order_by("-count", "folded")[:limit]
    )
    if not groups:
        return []
    matches = Q()
    for group in groups:
        matches |= Q(country=group["country"], folded=group["folded"])
    rank = Window(RowNumber(), partition_by=[F("country"), folded], order_by="pk")
    partners = (
        partners.annotate(folded=folded, rank=rank)
        .filter(matches)
        .filter(rank__lte=DUPLICATES_MERGED_AT_MOST)
        .order_by("pk")
    )
    by_key = {}
    for partner in partners:
        by_key.setdefault((partner.country.code, partner.folded), []).append(partner)
    return [
        DuplicateGroup(
            country=group["country"],
            count=group["count"],
            partners=by_key[(group["country"], group["folded"])],
        )
        for group in groups
    ]


@dataclass
class DuplicatesFound:
    """The possible duplicate partners, and when they were looked for."""

    groups: list[DuplicateGroup]
    found_at: datetime.datetime
    # The bulk write of partners they were found after (``partners_bulk_mark``).
    bulk_mark: str | None = None


def recent_duplicate_partners(partners: QuerySet | None = None) -> DuplicatesFound:
    """``possible_duplicate_partners(partners)`` as found at most ten minutes ago
    (``DUPLICATES_KEPT_SECONDS``), or since partners were last written in bulk.

    Kept for those ``partners`` (all): those of an office's countries are grouped
    on their own, and every role seeing all partners shares one grouping. Found
    again sooner when a partner it names is gone (merged, deleted).
    """
    partners = Partner.objects.all() if partners is None else partners
    key = query_key(DUPLICATES_KEY, partners.order_by())
    if key is None:  # none to see
        return DuplicatesFound(groups=[], found_at=timezone.now())
    bulk_mark = partners_bulk_mark()
    found = cache.get(key)
    if found is not None and found.bulk_mark == bulk_mark:
        named = {partner.pk for group in found.groups for partner in group.partners}
        if Partner.objects.filter(pk__in=named).count() == len(named):
            return found
    found = DuplicatesFound(
        groups=possible_duplicate_partners(partners),
        found_at=timezone.now(),
        bulk_mark=bulk_mark,
    )
    cache.set(key, found, DUPLICATES_KEPT_SECONDS)
    return found
