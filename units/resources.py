"""Spreadsheet import and export of joint units (see partners/resources.py)."""

import re

from django.conf import settings
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext, gettext_lazy as _
from import_export import fields, widgets

from partners.admin_lists import ORCID_LINKS
from partners.resources import PublishableResource, related
from partners.search import without_address
from units.models import ORCID_PATTERN, Institute, Person, Unit


class PersonWidget(widgets.ForeignKeyWidget):
    """A person by ORCID or, failing one, by "first name last name".

    A name is accepted only when exactly one person bears it: two people of the
    same name must be told apart by their ORCID. A person is exported by ORCID when
    known, by name otherwise, so that an exported file imports unchanged.
    """

    def __init__(self, *, required="", **kwargs):
        super().__init__(Person, field="orcid", **kwargs)
        self.required = required

    def clean(self, value, row=None, **kwargs):
        # As typed (a name recorded with two spaces exports with them), or with its
        # spaces collapsed (as a spreadsheet program may leave it).
        typed = str(value or "").strip()
        value = " ".join(typed.split())
        if not value:
            if self.required:
                raise ValueError(str(self.required))
            return None
        # Or pasted as its link, as the admin's ORCID field takes it.
        value = without_address(value, ORCID_LINKS)
        if re.fullmatch(ORCID_PATTERN, value):
            person = Person.objects.filter(orcid=value).first()
            if person is None:
                raise ValueError(
                    gettext("No person has the ORCID “%(orcid)s”.") % {"orcid": value}
                )
            return person
        people = list(
            Person.objects.annotate(
                name_in_file=Concat("first_name", Value(" "), "last_name")
            ).filter(Q(name_in_file__iexact=value) | Q(name_in_file__iexact=typed))[:2]
        )
        if not people:
            raise ValueError(
                gettext(
                    "No person is named “%(name)s”: give an ORCID or a first and "
                    "last name as recorded."
                )
                % {"name": value}
            )
        if len(people) > 1:
            raise ValueError(
                gettext(
                    "Several people are named “%(name)s”: give the ORCID of the "
                    "one meant."
                )
                % {"name": value}
            )
        return people[0]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.orcid or f"{value.first_name} {value.last_name}"


def person(column: str, required=""):
    """Declare a column naming a person; ``required``, what to write in it when the
    record needs one."""
    return fields.Field(
        attribute=column, column_name=column, widget=PersonWidget(required=required)
    )


DIRECTOR_TITLES = [f"director_title_{code}" for code, _name in settings.LANGUAGES]


def director_titles(unit: Unit) -> list[str]:
    """Return ``unit``'s own titles for its director, an empty one as "" (a file's
    empty cell) where the database may hold None."""
    return [getattr(unit, name) or "" for name in DIRECTOR_TITLES]


# What to write in a column a record cannot leave empty ("This field cannot be
# null" named no column the file has, and said nothing of what it holds).
INSTITUTE_REQUIRED = _("Give an institute's acronym (INC, INSIS…).")


class UnitResource(PublishableResource):
    lead_institute = related(
        Institute,
        "code",
        "lead_institute",
        "lead_institute",
        required=INSTITUTE_REQUIRED,
    )
    director = person("director")

    class Meta(PublishableResource.Meta):
        model = Unit
        name = _("Joint units")
        fields = (
            "slug",
            "kind",
            "code",
            "acronym",
            "name_fr",
            "name_en",
            "description_fr",
            "description_en",
            "themes_fr",
            "themes_en",
            "city_fr",
            "city_en",
            "country",
            "latitude",
            "longitude",
            "lead_institute",
            "director",
            "director_title_fr",
            "director_title_en",
            "creation_year",
            "closure_year",
            "status",
            "predecessor_code",
            "website",
            "publication_status",
        )

    def after_init_instance(self, instance, new, row, **kwargs):
        # The director and their title here as recorded, for ``before_save_instance``.
        instance._director_before = None if new else instance.director_id
        instance._director_titles_before = None if new else director_titles(instance)
        super().after_init_instance(instance, new, row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        # As the change form warns (UnitAdmin.save_model): the title was the former
        # director's, and the page would give it to the new one.
        titles = director_titles(instance)
        if (
            instance._director_titles_before is not None
            and instance.director_id not in (None, instance._director_before)
            and any(titles)
            and titles == instance._director_titles_before
        ):
            self.note(
                kwargs["row_number"],
                gettext(
                    "The director changes, not their title at this unit: its page "
                    "will give “%(title)s” to %(name)s. Write their title in the "
                    "%(columns)s columns, or empty them to show the person’s own."
                )
                % {
                    "title": instance.director_title,
                    "name": instance.director.full_name,
                    "columns": ", ".join(DIRECTOR_TITLES),
                },
            )
        super().before_save_instance(instance, row, **kwargs)
