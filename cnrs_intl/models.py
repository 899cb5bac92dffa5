from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy as _, pgettext_lazy

from partners.models import (
    CNRS_FOUNDED,
    SINCE_CNRS_FOUNDED,
    latest_plausible_year,
)
from partners.publication import PublishableModel


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
