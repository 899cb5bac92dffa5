"""Write the demo data to the database, idempotently.

Every record is looked up by its natural key (slug, code, names…). A missing record is
created; an existing one is saved only when one of the demo's values differs, so that
running the loader again changes nothing: no save, no new ``updated`` timestamp, no new
history row.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import models, transaction

from cnrs_intl.demo import data
from cnrs_intl.demo.data import T
from cnrs_intl.models import SITE_INFORMATION_ID, KeyFigure, SiteInformation
from partners.history import one_version_per_edit
from partners.models import Office, Partner
from partners.publication import PublicationStatus, PublishableModel
from programmes.models import Programme, Project, ProjectParticipant
from units.models import Institute, Person, Testimony, Unit, UnitPartnership

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class LoadReport:
    """How many records of each model the loader created, updated or left alone."""

    counts: dict[str, Counter] = field(default_factory=dict)

    def record(self, model: type[models.Model], outcome: str) -> None:
        self.counts.setdefault(model._meta.label, Counter())[outcome] += 1

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())

    @property
    def changed(self) -> bool:
        return bool(self.total(CREATED) or self.total(UPDATED))

    def summary(self) -> str:
        return (
            f"{self.total(CREATED)} created, {self.total(UPDATED)} updated, "
            f"{self.total(UNCHANGED)} unchanged"
        )

    def lines(self) -> list[str]:
        return [
            f"{label}: {counter[CREATED]} created, {counter[UPDATED]} updated, "
            f"{counter[UNCHANGED]} unchanged"
            for label, counter in self.counts.items()
        ]


def expand(values: dict) -> dict:
    """Turn ``{"name": T(fr, en)}`` into ``{"name_fr": fr, "name_en": en}``."""
    expanded = {}
    for name, value in values.items():
        if isinstance(value, T):
            expanded[f"{name}_fr"] = value.fr
            expanded[f"{name}_en"] = value.en
        else:
            expanded[name] = value
    return expanded


def _same(model_field: models.Field, current, new) -> bool:
    if model_field.many_to_one or model_field.one_to_one:
        return current == (new.pk if new is not None else None)
    # get_prep_value normalises both sides: Decimal scale, country codes, sorted lists.
    return model_field.get_prep_value(current) == model_field.get_prep_value(new)


def upsert(model, lookup: dict, values: dict, report: LoadReport):
    """Create or update the ``model`` row found by ``lookup``; save only on change."""
    values = expand(values)
    if issubclass(model, PublishableModel):
        values.setdefault("publication_status", PublicationStatus.PUBLISHED)
    obj = model._default_manager.filter(**lookup).order_by("pk").first()
    if obj is None:
        obj = model(**lookup, **values)
        outcome = CREATED
    else:
        outcome = UNCHANGED
        for name, new in values.items():
            model_field = model._meta.get_field(name)
            if not _same(model_field, getattr(obj, model_field.attname), new):
                setattr(obj, name, new)
                outcome = UPDATED
    if outcome != UNCHANGED:
        obj.full_clean()
        obj.save()
    report.record(model, outcome)
    return obj


def _person(names: tuple[str, str] | None) -> Person | None:
    if names is None:
        return None
    first_name, last_name = names
    return Person.objects.get(first_name=first_name, last_name=last_name)


def load_institutes(report: LoadReport) -> None:
    for row in data.INSTITUTES:
        values = dict(row)
        code = values.pop("code")
        upsert(Institute, {"code": code}, values, report)


def load_partners(report: LoadReport) -> None:
    for row in data.PARTNERS:
        values = dict(row)
        slug = values.pop("slug")
        upsert(Partner, {"slug": slug}, values, report)


def load_people(report: LoadReport) -> None:
    for row in data.PEOPLE:
        values = dict(row)
        lookup = {
            "first_name": values.pop("first_name"),
            "last_name": values.pop("last_name"),
        }
        upsert(Person, lookup, values, report)


def load_units(report: LoadReport) -> None:
    for row in data.UNITS:
        values = dict(row)
        slug = values.pop("slug")
        partners = values.pop("partners")
        values["lead_institute"] = Institute.objects.get(code=values["lead_institute"])
        values["director"] = _person(values.get("director"))
        unit = upsert(Unit, {"slug": slug}, values, report)
        for order, (partner_slug, role) in enumerate(partners, start=1):
            upsert(
                UnitPartnership,
                {"unit": unit, "partner": Partner.objects.get(slug=partner_slug)},
                {"role": role, "order": order},
                report,
            )


def load_offices(report: LoadReport) -> None:
    for row in data.OFFICES:
        values = dict(row)
        slug = values.pop("slug")
        upsert(Office, {"slug": slug}, values, report)


def load_programmes(report: LoadReport) -> None:
    for row in data.PROGRAMMES:
        values = dict(row)
        slug = values.pop("slug")
        parent = values.get("parent")
        values["parent"] = Programme.objects.get(slug=parent) if parent else None
        upsert(Programme, {"slug": slug}, values, report)


def load_projects(report: LoadReport) -> None:
    for row in data.PROJECTS:
        values = dict(row)
        slug = values.pop("slug")
        participants = values.pop("participants")
        values["programme"] = Programme.objects.get(slug=values["programme"])
        project = upsert(Project, {"slug": slug}, values, report)
        for partner_slug, role in participants:
            upsert(
                ProjectParticipant,
                {"project": project, "partner": Partner.objects.get(slug=partner_slug)},
                {"role": role},
                report,
            )


def load_key_figures(report: LoadReport) -> None:
    for order, row in enumerate(data.KEY_FIGURES, start=1):
        values = dict(row, order=order)
        values.setdefault("approximation", "")
        label = values.pop("label")
        former_labels = values.pop("former_labels_fr", ())
        values["label_en"] = label.en
        lookup = {"label_fr": label.fr}
        # Found by its French label: one reworded, the figure loaded under the
        # former is updated, not doubled.
        if former_labels and not KeyFigure.objects.filter(**lookup).exists():
            loaded = KeyFigure.objects.filter(label_fr__in=former_labels)
            if earlier := loaded.order_by("pk").first():
                lookup, values["label_fr"] = {"pk": earlier.pk}, label.fr
        upsert(KeyFigure, lookup, values, report)


def load_testimonies(report: LoadReport) -> None:
    for order, row in enumerate(data.TESTIMONIES, start=1):
        values = dict(row, order=order)
        lookup = {"person": _person(values.pop("person")), "quote": values.pop("quote")}
        slug = values.pop("unit")
        values["unit"] = Unit.objects.get(slug=slug) if slug else None
        upsert(Testimony, lookup, values, report)


def load_site_information(report: LoadReport) -> None:
    upsert(SiteInformation, {"id": SITE_INFORMATION_ID}, data.SITE_INFORMATION, report)


LOADERS = (
    load_institutes,
    load_partners,
    load_people,
    load_units,
    load_offices,
    load_programmes,
    load_projects,
    load_key_figures,
    load_testimonies,
    load_site_information,
)


def demo_already_loaded() -> bool:
    """Whether the database holds any of the demo's joint units, partners or offices."""
    return any(
        model.objects.filter(slug__in=[row["slug"] for row in rows]).exists()
        for model, rows in (
            (Unit, data.UNITS),
            (Partner, data.PARTNERS),
            (Office, data.OFFICES),
        )
    )


def load_demo(loaders=LOADERS) -> LoadReport:
    """Load every demo record (those of ``loaders``), published and in both
    languages, in one transaction."""
    report = LoadReport()
    with transaction.atomic(), one_version_per_edit():
        for loader in loaders:
            loader(report)
    return report
