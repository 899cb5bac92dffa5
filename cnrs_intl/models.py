from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy as _, pgettext_lazy

from partners.models import (
    CNRS_FOUNDED,
    SINCE_CNRS_FOUNDED,
    latest_plausible_year,
)
from partners.publication import PublishableModel, TimeStampedModel


class Approximation(models.TextChoices):
    """How a key figure's number is given by its source: "about 60,000"."""

    ABOUT = "about", pgettext_lazy("approximate number", "about")
    NEARLY = "nearly", pgettext_lazy("approximate number", "nearly")


class KeyFigure(PublishableModel):
    """An institutional number with its year and source."""

    approximation = models.CharField(
        _("approximation"),
        max_length=10,
        choices=Approximation.choices,
        blank=True,
        help_text=_(
            "Shown before the value, as the source gives it: “about 60,000”, "
            "“nearly 4,000”."
        ),
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    suffix = models.CharField(
        _("suffix"),
        max_length=10,
        blank=True,
        help_text=_("Shown after the value, e.g. %."),
    )
    label = models.CharField(_("label"), max_length=300)
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[SINCE_CNRS_FOUNDED, MaxValueValidator(latest_plausible_year)],
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta(PublishableModel.Meta):
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["order", "-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="key_figure_value_not_negative",
                violation_error_message=_("A key figure cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=CNRS_FOUNDED.year),
                name="key_figure_year_since_1939",
                violation_error_message=_("The CNRS was founded in 1939."),
            ),
        ]

    def __str__(self):
        return f"{self.localized_value} – {self.label} ({self.year})"

    @property
    def display_value(self) -> str:
        return f"{self.number:f} {self.suffix}".strip()

    @property
    def localized_value(self) -> str:
        """The value and suffix as the active language writes them: "60 000", "4,5 %"
        in French, "60,000", "4.5%" in English (a no-break space before a suffix
        otherwise)."""
        number = number_format(self.number, force_grouping=True)
        if not self.suffix:
            return number
        joined = "" if self.suffix == "%" and get_language() == "en" else "\u00a0"
        return f"{number}{joined}{self.suffix}"

    @property
    def number(self) -> Decimal:
        """The value without the zeros its decimals end with (4.5, 60)."""
        return Decimal(self.value).normalize()


class StaffProfile(models.Model):
    """What limits a staff member's work: their institutes (advisers) or office."""

    user = models.OneToOneField(
        "auth.User",
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    institutes = models.ManyToManyField(
        "units.Institute",
        verbose_name=_("institutes"),
        blank=True,
        help_text=_("An institute adviser changes the units and grants of these only."),
    )
    office = models.ForeignKey(
        "partners.Office",
        verbose_name=_("office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_(
            "Office staff change the partners and agreements of the countries this "
            "office covers only."
        ),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        permissions = [("publish_content", _("Can publish and unpublish content"))]

    def __str__(self):
        try:
            return str(self.user)
        except ObjectDoesNotExist:
            # A version of the profile of a user deleted since: named by its id.
            return f"#{self.user_id}"


# The site information is one record, always under this id (a constraint): a second
# can be neither added in the admin nor written by any other path.
SITE_INFORMATION_ID = 1


class SiteInformationQuerySet(models.QuerySet):
    def current(self) -> "SiteInformation | None":
        """Return the site information, or None until staff enter it."""
        return self.filter(pk=SITE_INFORMATION_ID).first()


class SiteInformation(TimeStampedModel):
    """What the site says of itself: who publishes and hosts it (the legal notice,
    as French law asks of every website) and its accessibility statement's contact
    and dates (as the RGAA asks). One record, which DERCI staff keep: a new director
    of publication, a new host or an audit is theirs to enter, not a developer's."""

    id = models.PositiveSmallIntegerField(
        primary_key=True, default=SITE_INFORMATION_ID, editable=False
    )
    publisher_name = models.CharField(
        _("publisher"),
        max_length=200,
        help_text=_(
            "The body that publishes the site, in full: “Centre national de la "
            "recherche scientifique (CNRS)”."
        ),
    )
    publisher_address = models.TextField(
        _("publisher’s postal address"),
        help_text=_(
            "As written on an envelope, a line for each line; the same in both "
            "languages."
        ),
    )
    publication_director = models.CharField(
        _("director of publication"),
        max_length=200,
        help_text=_(
            "The role rather than the person’s name, which changes with them: "
            "“Chairman and CEO of the CNRS”."
        ),
    )
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_(
            "Where visitors write about the site, an accessibility problem "
            "included: the legal notice and the accessibility statement give it. "
            "Left blank, they ask visitors to write to the publisher’s postal "
            "address."
        ),
    )
    host_name = models.CharField(
        _("host"),
        max_length=200,
        help_text=_("Who hosts the site’s servers, in full."),
    )
    host_address = models.TextField(
        _("host’s postal address"),
        help_text=_(
            "As written on an envelope, a line for each line; the same in both "
            "languages."
        ),
    )
    data_licence = models.CharField(
        _("licence of the data"),
        max_length=200,
        blank=True,
        help_text=_(
            "The licence under which the site’s records may be reused, by its full "
            "name: “Licence Ouverte version 2.0 (Etalab)”. The open data page and "
            "the legal notice give it; left blank, they name none."
        ),
    )
    data_licence_url = models.URLField(
        _("address of the licence’s text"),
        blank=True,
        help_text=_("Where visitors read the licence’s terms."),
    )
    accessibility_statement_date = models.DateField(
        _("accessibility statement date"),
        help_text=_(
            "When the accessibility statement was made or last reviewed: it says "
            "“Statement made on …”."
        ),
    )
    accessibility_audit_date = models.DateField(
        _("accessibility audit date"),
        null=True,
        blank=True,
        help_text=_(
            "When an audit measured the site against the RGAA, if one did. Until "
            "then the statement says that no audit has been made."
        ),
    )
    accessibility_auditor = models.CharField(
        _("accessibility auditor"),
        max_length=200,
        blank=True,
        help_text=_("Who carried out the audit."),
    )

    objects = SiteInformationQuerySet.as_manager()

    # A rule on two fields, reported on the one staff most likely mistyped.
    constraint_fields = {
        "site_information_auditor_with_an_audit": "accessibility_audit_date",
        "site_information_audit_before_statement": "accessibility_audit_date",
        "site_information_licence_named": "data_licence",
    }

    class Meta:
        verbose_name = _("site information")
        verbose_name_plural = _("site information")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(id=SITE_INFORMATION_ID),
                name="site_information_single",
                violation_error_message=_("The site has one set of information."),
            ),
            models.CheckConstraint(
                condition=Q(data_licence_url="") | ~Q(data_licence=""),
                name="site_information_licence_named",
                violation_error_message=_(
                    "Give the licence’s name with the address of its text."
                ),
            ),
            models.CheckConstraint(
                condition=Q(accessibility_auditor="")
                | Q(accessibility_audit_date__isnull=False),
                name="site_information_auditor_with_an_audit",
                violation_error_message=_(
                    "Give the date of the audit with its auditor."
                ),
            ),
            # The statement reports the audit: it is made, or reviewed, after it.
            models.CheckConstraint(
                condition=Q(accessibility_audit_date__isnull=True)
                | Q(accessibility_audit_date__lte=F("accessibility_statement_date")),
                name="site_information_audit_before_statement",
                violation_error_message=_(
                    "The audit comes before the statement that reports it: review "
                    "the statement, and give the date of that review."
                ),
            ),
        ]

    def __str__(self):
        return str(capfirst(self._meta.verbose_name))

    def get_absolute_url(self):
        return reverse("legal-notice")

    def clean(self):
        super().clean()
        # A year mistyped (2062) would be published as the statement's date.
        today = timezone.localdate()
        errors = {
            name: ValidationError(
                _("This date is still to come: give the day it happened."),
                code="future",
            )
            for name in ("accessibility_statement_date", "accessibility_audit_date")
            if (date := getattr(self, name)) is not None and date > today
        }
        if errors:
            raise ValidationError(errors)
