"""Publication status and timestamps shared by every public record.

``partners`` is the first layer (partners <- units <- programmes <- cnrs_intl), so the
pieces every app needs live here and the other apps import them from here.
"""

import functools
import operator

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, router
from django.db.models import Q
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from simple_history import register as register_history

from partners.history import RelationsHistory
from partners.search import INVISIBLE
from partners.searchable import SearchableQuerySet


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(SearchableQuerySet):
    """The records of a model with a publication status, searchable."""

    def public(self):
        """Return the records visitors may see."""
        return self.filter(publication_status=PublicationStatus.PUBLISHED)

    def public_and(self, others):
        """Return the records visitors may see, and those of ``others`` (records
        of the same model: the drafts a staff member may preview)."""
        return self.filter(
            Q(publication_status=PublicationStatus.PUBLISHED)
            | Q(pk__in=others.values("pk"))
        )

    def drafts(self):
        """Return the records still waiting for publication."""
        return self.filter(publication_status=PublicationStatus.DRAFT)

    def publication_holds(self) -> list[tuple[Q, str]]:
        """Return what keeps a record from being published as it is: (condition,
        why) pairs, the why a sentence about one record, as its model's
        ``clean()`` says it. None, unless a model says otherwise."""
        return []

    def not_ready_to_publish(self):
        """Return the records that cannot be published as they are: those a
        condition of ``publication_holds`` holds for."""
        conditions = [condition for condition, _why in self.publication_holds()]
        if not conditions:
            return self.none()
        return self.filter(functools.reduce(operator.or_, conditions))

    def with_holds(self):
        """Return the records with which of ``publication_holds`` holds for each,
        read in the same query: their ``holds`` say why."""
        return self.annotate(
            **{
                f"publication_hold_{index}": models.ExpressionWrapper(
                    condition, output_field=models.BooleanField()
                )
                for index, (condition, _why) in enumerate(self.publication_holds())
            }
        )


class ConstraintErrorsMixin:
    """Report a check constraint's violation on the field it is about.

    Django reports it on no field: the admin lists it above the form and marks no
    field. Here it goes to the field ``constraint_fields`` names for the
    constraint, else to the only field its condition reads, else on no field.
    Only to a field a form would show: editable and not excluded (a model form
    excludes the fields it lacks, and Django skips the constraints on them).
    """

    # Constraint name -> field, for a rule on two fields: an end before a start;
    # or a unique constraint's, reported on the field its condition reads.
    constraint_fields: dict[str, str] = {}

    def validate_constraints(self, exclude=None):
        # Django's (Model.validate_constraints, 5.2) but for the field of a check.
        using = router.db_for_write(self.__class__, instance=self)
        errors = {}
        for model_class, model_constraints in self.get_constraints():
            for constraint in model_constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    name = self.constraint_field(constraint, error, exclude or ())
                    if name is None:
                        errors = error.update_error_dict(errors)
                    else:
                        errors.setdefault(name, []).append(error)
        if errors:
            raise ValidationError(errors)

    def constraint_field(self, constraint, error, exclude) -> str | None:
        """Return the field to report ``constraint``'s ``error`` on, or None."""
        name = self.constraint_fields.get(constraint.name)
        if name is None and not isinstance(constraint, models.CheckConstraint):
            if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                return constraint.fields[0]
            return None
        if name is None:
            names = Q(constraint.condition).referenced_base_fields
            if len(names) != 1:
                return None
            [name] = names
        try:
            field = self._meta.get_field(name)
        except FieldDoesNotExist:  # "pk", or a mistake in constraint_fields
            return None
        if not field.editable or field.name in exclude:
            return None
        return field.name


class CreatedField(models.DateTimeField):
    """When a record was created: set as it is first written (``auto_now_add``),
    but kept when a deleted record is restored from a version (the record's
    ``keeps_created``): the restore is an INSERT, and took the moment of the
    restore for the record's creation."""

    def pre_save(self, model_instance, add):
        kept = getattr(model_instance, self.attname)
        if add and kept is not None and getattr(model_instance, "keeps_created", False):
            return kept
        return super().pre_save(model_instance, add)

    def deconstruct(self):
        # The column is a DateTimeField's: migrations need not know the rule.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs


def choice_labels(field) -> dict:
    """Return ``field``'s choices' labels in the active language, by value.

    Made once per language: Django's ``get_FOO_display()`` builds a dict of the
    field's lazy labels at each call (a grant's name, 50 times per changelist).
    """
    language = translation.get_language()
    return _choice_labels(field, language)


@functools.lru_cache(maxsize=256)
def _choice_labels(field, language) -> dict:
    with translation.override(language):
        return {value: str(label) for value, label in field.flatchoices}


def choice_label(field, value):
    """Return the label of ``value`` as ``get_FOO_display()`` does: else the value."""
    return choice_labels(field).get(value, value)


class ChoiceLabelsMixin:
    """Give a model's ``get_FOO_display()`` the labels of ``choice_labels``, made
    once per field and language.

    Django's builds a dict of the field's lazy labels, each translated, at every
    call: a country's page asked 46 times (its units' status, its projects'
    and agreements' kinds, its grants' schemes).
    """

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django's makes it hashable
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)


class TimeStampedModel(ConstraintErrorsMixin, ChoiceLabelsMixin, models.Model):
    created = CreatedField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.collapse_spaces()
        self.clean_coordinates()

    def collapse_spaces(self) -> None:
        """Write one space where a one-line text has several ("Jean  Luc"), and
        leave out the characters that show nothing (a soft hyphen pasted from a
        word processor: ``INVISIBLE``).

        Typed twice, a name was another name: to the search of duplicates, and to a
        spreadsheet, which reads names with their spaces collapsed. PostgreSQL's
        search reads a soft hyphen as a hyphen ("uni-versity"), where the words
        typed are folded without it: "university" did not find the name. Texts of
        several lines keep theirs.
        """
        for field in self._meta.concrete_fields:
            if (
                not isinstance(field, models.CharField)
                or isinstance(field, models.SlugField | models.URLField)
                or field.choices
            ):
                continue
            value = getattr(self, field.attname)
            if isinstance(value, str) and any(char in value for char in INVISIBLE):
                value = value.translate(dict.fromkeys(map(ord, INVISIBLE)))
                setattr(self, field.attname, value)
            if isinstance(value, str) and "  " in value:
                setattr(self, field.attname, " ".join(value.split()))

    def clean_coordinates(self) -> None:
        """Refuse a latitude without a longitude, or the reverse: no map shows it."""
        names = {field.name for field in self._meta.concrete_fields}
        if not {"latitude", "longitude"} <= names:
            return
        if (self.latitude is None) != (self.longitude is None):
            missing = "latitude" if self.latitude is None else "longitude"
            raise ValidationError(
                {
                    missing: _(
                        "Give both the latitude and the longitude, or neither: with "
                        "one only, the record shows on no map."
                    )
                },
                code="half_a_point",
            )

    def validate_constraints(self, exclude=None):
        """Validate, naming the record that already holds an identifier.

        An identifier is unique when given (a ROR id, a unit code): a constraint
        with a condition, for which Django says only "Constraint “partner_unique_
        ror_id” is violated.", on no field.
        """
        exclude = set(exclude or ())
        errors = {}
        for name, holder, *explained in self.identifier_holders(exclude):
            errors[name] = ValidationError(
                explained[0]
                if explained
                else _("Another record has it: %(model)s “%(holder)s”."),
                code="unique",
                params={"model": self._meta.verbose_name, "holder": holder},
            )
        try:
            super().validate_constraints(exclude=exclude | errors.keys())
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def unique_error_message(self, model_class, unique_check):
        # A slug, an institute's code: unique columns, which Django says are
        # another record's without naming it. Named as an identifier's holder.
        if len(unique_check) == 1:
            [name] = unique_check
            value = getattr(self, model_class._meta.get_field(name).attname)
            others = model_class._default_manager.filter(**{name: value})
            if not self._state.adding:
                others = others.exclude(pk=self.pk)
            holder = others.first()
            if holder is not None:
                return ValidationError(
                    _("Another record has it: %(model)s “%(holder)s”."),
                    code="unique",
                    params={"model": model_class._meta.verbose_name, "holder": holder},
                )
        return super().unique_error_message(model_class, unique_check)

    def identifier_holders(self, exclude):
        """Yield (field name, other record) for each identifier another holds; a
        model may add its own, with their message (naming ``model`` and
        ``holder``) as a third item."""
        for constraint in self._meta.constraints:
            if not (
                isinstance(constraint, models.UniqueConstraint)
                and constraint.condition is not None
                and len(constraint.fields) == 1
                and constraint.fields[0] not in exclude
            ):
                continue
            [name] = constraint.fields
            value = getattr(self, self._meta.get_field(name).attname)
            if value in ("", None):
                continue
            others = type(self)._default_manager.filter(constraint.condition)
            if self.pk is not None:
                others = others.exclude(pk=self.pk)
            holder = others.filter(**{name: value}).first()
            if holder is not None:
                yield name, holder


class PublishableModel(TimeStampedModel):
    """A record with a public page: draft until an editor publishes it."""

    publication_status = models.CharField(
        _("publication status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        help_text=_("Visitors see published records only; staff may preview drafts."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        # Indexed here rather than with db_index, which on PostgreSQL adds a second
        # index to a text column, for LIKE 'prefix%', that no query of a status
        # makes and every write pays (a million partners). A model's own Meta
        # subclasses this one and lists its indexes after these.
        # Named after the model's class: 30 characters at most, so a class name of
        # up to 18 (models.E034 says so of a longer one).
        indexes = [
            models.Index(fields=["publication_status"], name="%(class)s_publication")
        ]

    @property
    def is_published(self) -> bool:
        return self.publication_status == PublicationStatus.PUBLISHED

    @property
    def holds(self) -> list[str]:
        """Why the record cannot be published as it is, for a record read
        ``with_holds()``: empty when it can."""
        holds = type(self)._default_manager.publication_holds()
        return [
            str(why)
            for index, (_condition, why) in enumerate(holds)
            if getattr(self, f"publication_hold_{index}", False)
        ]


def shown_by_published(record) -> bool:
    """Whether a published record links to ``record``, so that public pages show it.

    For the records without a publication status of their own: an institute shows
    on its published units' pages, a person on the pages of the units they direct,
    the grants they hold, the testimonies they gave.
    """
    for relation in record._meta.related_objects:
        model = relation.related_model
        if issubclass(model, PublishableModel) and (
            model._base_manager.filter(**{relation.field.name: record})
            .filter(publication_status=PublicationStatus.PUBLISHED)
            .exists()
        ):
            return True
    return False


def synthetic_field():
    """Return the flag of records made by ``manage.py generate_data``."""
    # Load tests need a million partners; the flag lets staff tell them from real
    # records and ``generate_data --delete`` remove them all.
    return models.BooleanField(
        _("synthetic"),
        default=False,
        editable=False,
        db_index=True,
        help_text=_("Generated to test the site at scale: not a real record."),
    )


def coordinates_constraints(prefix: str) -> list[models.CheckConstraint]:
    """Keep latitude and longitude on the globe."""
    return [
        models.CheckConstraint(
            condition=models.Q(latitude__isnull=True)
            | models.Q(latitude__gte=-90, latitude__lte=90),
            name=f"{prefix}_latitude_range",
            violation_error_message=_("Latitude must lie between -90 and 90."),
        ),
        models.CheckConstraint(
            condition=models.Q(longitude__isnull=True)
            | models.Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_longitude_range",
            violation_error_message=_("Longitude must lie between -180 and 180."),
        ),
    ]


def has_place(record) -> bool:
    """Whether ``record`` (with ``coordinates_fields()``) can be put on a map."""
    return record.latitude is not None and record.longitude is not None


def coordinates_fields():
    """Return a fresh (latitude, longitude) pair of fields."""
    return (
        models.DecimalField(
            _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
        ),
        models.DecimalField(
            _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
        ),
    )


def keep_history(
    model: type[models.Model], app: str, relations: tuple[str, ...] = ()
) -> None:
    """Record every change of ``model`` (django-simple-history) in ``app``'s tables.

    Each version also keeps the many-to-many ``relations`` (partners.history).

    The history table is indexed by record (``id``), date and author, what history
    is read by; simple-history would also copy every index of the model (slug,
    country, foreign keys…), which no query of history uses and every write pays:
    a sixth of PostgreSQL's time in a 120,000-record ROR import.
    """
    copied = [
        field.name
        for field in model._meta.concrete_fields
        if (field.db_index or field.unique) and not field.primary_key
    ]
    if relations:
        register_history(
            model,
            app=app,
            no_db_index=copied,
            records_class=RelationsHistory,
            m2m_fields=relations,
        )
    else:
        register_history(model, app=app, no_db_index=copied)
