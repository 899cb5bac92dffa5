"""What the staff dashboard (the admin home) shows, in a fixed number of queries.

One or two queries per content model, whatever the size of the tables.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from modeltranslation.translator import NotRegistered, translator

from cnrs_intl.models import KeyFigure
from partners.models import Agreement, Office, Partner
from partners.publication import PublicationStatus, PublishableModel
from partners.search import Unaccent
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
ENDING_SOON_DAYS = 90


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


def model_counts() -> list[ModelCount]:
    """Return how many records each content model has, and how many are drafts."""
    counts = []
    for model in CONTENT_MODELS:
        if issubclass(model, PublishableModel):
            numbers = model._default_manager.aggregate(
                total=Count("pk"),
                drafts=Count(
                    "pk", filter=Q(publication_status=PublicationStatus.DRAFT)
                ),
            )
            counts.append(ModelCount(model, numbers["total"], numbers["drafts"]))
        else:
            counts.append(ModelCount(model, model._default_manager.count(), None))
    return counts


def ending_soon(today: datetime.date | None = None):
    """Return the grants and agreements ending in the next 90 days, soonest first."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=ENDING_SOON_DAYS)
    grants = (
        Grant.objects.filter(end_date__range=(today, horizon))
        .select_related("laureate")
        .order_by("end_date")[:20]
    )
    agreements = Agreement.objects.filter(ends_on__range=(today, horizon)).order_by(
        "ends_on"
    )[:20]
    return list(grants), list(agreements)


def _translation_gap(model) -> Q | None:
    """Return a condition on rows with a text in one language but not the other."""
    try:
        fields = translator.get_options_for_model(model).fields
    except NotRegistered:
        return None
    languages = [code for code, _name in settings.LANGUAGES]
    gap = Q()
    for field in fields:
        for language in languages:
            others = [other for other in languages if other != language]
            filled = ~Q(**{f"{field}_{language}": ""}) & Q(
                **{f"{field}_{language}__isnull": False}
            )
            for other in others:
                empty = Q(**{f"{field}_{other}": ""}) | Q(
                    **{f"{field}_{other}__isnull": True}
                )
                gap |= filled & empty
    return gap


def missing_translations(limit: int = 5):
    """Return, per model, how many records miss a text in one language, and a few."""
    gaps = []
    for model in CONTENT_MODELS:
        condition = _translation_gap(model)
        if condition is None:
            continue
        rows = model._default_manager.filter(condition)
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


def recent_changes(limit: int = 12):
    """Return the latest changes of every content model, newest first, with authors.

    Each has a ``label``, the name of the record as the change left it: the history
    entry's own name ends with "as of" and the date in UTC.
    """
    entries = []
    for model in CONTENT_MODELS:
        # With the related records a record's name may show (a testimony's person).
        related = [
            field.name for field in model._meta.concrete_fields if field.is_relation
        ]
        entries += model.history.select_related("history_user", *related).order_by(
            "-history_date"
        )[:limit]
    entries.sort(key=lambda entry: entry.history_date, reverse=True)
    entries = entries[:limit]
    for entry in entries:
        entry.label = recorded_name(entry)
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


def possible_duplicate_partners(limit: int = 20):
    """Return groups of partners in one country whose names differ only by accents."""
    folded = Unaccent(Lower("name_fr"))
    groups = (
        Partner.objects.annotate(folded=folded)
        .values("country", "folded")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .order_by("-count", "folded")[:limit]
    )
    keys = [(group["country"], group["folded"]) for group in groups]
    if not keys:
        return []
    matches = Q()
    for country, name in keys:
        matches |= Q(country=country, folded=name)
    partners = Partner.objects.annotate(folded=folded).filter(matches).order_by("pk")
    by_key = {}
    for partner in partners:
        by_key.setdefault((partner.country.code, partner.folded), []).append(partner)
    return list(by_key.values())
