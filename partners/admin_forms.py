"""The admin's forms and widgets: selections and autocompletes that refuse
values which cannot be keys, identifiers pasted as their link, inline rows kept
unique, change forms that refuse a save over a version newer than the page, and
date and time fields that say their format.
"""

import re

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import (
    AdminDateWidget,
    AdminSplitDateTime,
    AdminTimeWidget,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    BaseAdminDateWidget,
    BaseAdminTimeWidget,
    FilteredSelectMultiple,
)
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator
from django.db import models, router, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseBadRequest
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy as _, ngettext
from django_countries.fields import CountryField
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname
from simple_history.models import to_historic

from partners.dates import typed_format
from partners.filters import FastSelect
from partners.history import shown_moment, shown_user
from partners.search import without_address


class CheckedAutocompleteMixin:
    """Draw only the values that may be keys of the related model.

    Django's autocomplete widgets look up every value of a form shown again, typed
    ones included: ``parent=abc`` failed that lookup with a 500, instead of the
    form's "Select a valid choice".
    """

    def optgroups(self, name, value, attr=None):
        remote_opts = self.field.remote_field.model._meta
        to_field = remote_opts.get_field(
            getattr(self.field.remote_field, "field_name", None) or remote_opts.pk.name
        )
        return super().optgroups(
            name, [item for item in value if is_value_of(to_field, item)], attr
        )


class CheckedAutocompleteSelect(CheckedAutocompleteMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(
    CheckedAutocompleteMixin, AutocompleteSelectMultiple
):
    pass


class FormatHint:
    """A date or time input that says the format it is typed in, after it and linked
    to it (aria-describedby): « Format : jj/mm/aaaa », "Format: yyyy-mm-dd". The
    format is the one the input shows its value in, the active language's first
    input format. Screen readers told nothing, and a French date is 01/02/2025."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        if attrs.get("id"):
            # After what Django links (the help text, the errors).
            described = [attrs.get("aria-describedby"), f"{attrs['id']}_format"]
            attrs["aria-describedby"] = " ".join(filter(None, described))
        return context

    def format_text(self) -> str:
        shown = self.format or formats.get_format(self.format_key)[0]
        return gettext("Format: %(format)s") % {"format": typed_format(shown)}

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        id_ = (attrs or {}).get("id") or self.attrs.get("id")
        if not id_:
            return html
        return html + format_html(
            '<div class="help format-hint" id="{}_format">{}</div>',
            id_,
            self.format_text(),
        )


class HintedDateWidget(FormatHint, AdminDateWidget):
    pass


class HintedTimeWidget(FormatHint, AdminTimeWidget):
    pass


class HintedDateInput(FormatHint, BaseAdminDateWidget):
    pass


class HintedTimeInput(FormatHint, BaseAdminTimeWidget):
    pass


class HintedSplitDateTime(AdminSplitDateTime):
    """Django's date and time inputs of a moment, each saying its format."""

    def __init__(self, attrs=None):
        # As Django's: MultiWidget's own __init__, with the inputs given.
        forms.MultiWidget.__init__(self, [HintedDateInput, HintedTimeInput], attrs)

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        id_ = (attrs or {}).get("id") or self.attrs.get("id")
        if not id_:
            return html
        # One help text under the field, a line per input.
        lines = format_html_join(
            mark_safe("<br>"),
            '<span id="{}_{}_format">{}</span>',
            ((id_, index, w.format_text()) for index, w in enumerate(self.widgets)),
        )
        return html + format_html('<div class="help format-hint">{}</div>', lines)


# formfield_overrides for every admin with dates: their inputs say their format.
DATE_AND_TIME_WIDGETS = {
    models.DateField: {"widget": HintedDateWidget},
    models.TimeField: {"widget": HintedTimeWidget},
    models.DateTimeField: {"widget": HintedSplitDateTime},
}


def scoped_rows(model_admin, request):
    """Return the records ``model_admin`` limits this user to, or None when it shows
    every record (a role without a scope, or an admin without scopes).

    ``ScopedAdmin.scope_queryset`` returns what it is given to a role without a
    scope: the one test of whether a scope applies, for the admin's pickers and the
    public pages' previews alike.
    """
    scope = getattr(model_admin, "scope_queryset", None)
    if scope is None:
        return None
    every = model_admin.model._default_manager.all()
    rows = scope(request, every)
    return None if rows is every else rows


def is_value_of(field, text) -> bool:
    """Whether ``text`` is a value ``field`` may hold (an id: digits, in range)."""
    if text in field.empty_values:
        return False
    try:
        field.run_validators(field.to_python(text))
    except ValidationError:
        return False
    return True


class NamedChangeList(ChangeList):
    """A changelist titled by its model's plural name ("Joint units"), as the
    admin's index names it: Django's "Select joint unit to change" read
    "Sélectionnez l’objet unité mixte à changer" in French."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if not self.is_popup:  # a popup asks to choose one: Django's "Select …"
            self.title = capfirst(self.opts.verbose_name_plural)


class NamedAdmin(admin.ModelAdmin):
    """Name the changelist by its model's plural, and its add button by
    ``add_label``: Django's "Add joint unit" read "Ajouter unité mixte", where
    French needs the article and the gender ("Ajouter une unité mixte"). Each
    admin gives the whole phrase, which each language agrees with the model's name
    (templates/admin/change_list_object_tools.html)."""

    add_label = None  # Django's "Add %(name)s" without one

    def get_changelist(self, request, **kwargs):
        return NamedChangeList


class CheckedSelectionAdmin(NamedAdmin):
    """Refuse an action on selected ids that can be no record's: a 400, not a 500.

    Django filters the list by the ids posted: ``abc`` failed that lookup with a
    ValueError. The list's checkboxes send record ids only, so this is a forged or
    broken form.
    """

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if all(is_value_of(self.opts.pk, value) for value in selected):
            return super().response_action(request, queryset)
        return HttpResponseBadRequest(
            gettext("The selected ids are not record numbers: nothing was changed."),
            content_type="text/plain; charset=utf-8",
        )


class UniqueRowsInlineFormSet(BaseInlineFormSet):
    """Save rows under a unique constraint with the inline's foreign key, as the form
    leaves them: a unit holds a partner once.

    Django checks the rows of the form against each other, then saves them one by
    one: two rows exchanging their partners failed with an IntegrityError, the first
    row taking a partner the second held until its own save. The rows whose partner
    changes are written anew, once the others are saved. What the form cannot see,
    a row the record has and the form does not show (added since the page was
    opened, or a form posted without its saved rows), is refused as a form error.
    """

    def get_unique_error_message(self, unique_check):
        # Django names the fields as the code does ("partner"): by their labels,
        # as the inline's columns ("institution"). The foreign key keeps its name,
        # which Django leaves out.
        opts = self.model._meta
        return super().get_unique_error_message(
            [
                name if name == self.fk.name else opts.get_field(name).verbose_name
                for name in unique_check
            ]
        )

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        for fields in self.unique_row_fields():
            self.check_rows_not_shown(fields)

    def unique_row_fields(self) -> list[tuple[str, ...]]:
        """Return the other fields of each unique constraint with the foreign key."""
        return [
            tuple(name for name in constraint.fields if name != self.fk.name)
            for constraint in self.model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint)
            and constraint.condition is None
            and self.fk.name in constraint.fields
        ]

    def check_rows_not_shown(self, fields: tuple[str, ...]) -> None:
        if self.instance.pk is None:
            return
        opts = self.model._meta
        columns = [opts.get_field(name).attname for name in fields]
        shown = [form.instance.pk for form in self.initial_forms if form.instance.pk]
        rows = self.model._default_manager.filter(**{self.fk.name: self.instance})
        held = set(rows.exclude(pk__in=shown).values_list(*columns))
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if not form.has_changed():
                continue
            value = tuple(getattr(form.instance, column) for column in columns)
            if None not in value and value in held:
                shown_value = ", ".join(
                    str(getattr(form.instance, name)) for name in fields
                )
                form.add_error(
                    None,
                    gettext(
                        "%(value)s is on a row this page does not show, added since "
                        "it was opened: reload the page."
                    )
                    % {"value": shown_value},
                )

    def rows_in_the_way(self) -> list:
        """Return the forms whose new values another saved row holds until its save.

        Only those are written anew: a row keeps its id (the order of a project's
        participants) when its partner changes to one no other row has.
        """
        if self.instance.pk is None:
            return []
        forms = [
            form
            for form in self.initial_forms
            if form.instance.pk is not None
            and form not in self.deleted_forms
            and form.has_changed()
        ]
        in_the_way = set()
        for fields in self.unique_row_fields():
            opts = self.model._meta
            columns = [opts.get_field(name).attname for name in fields]
            rows = self.model._default_manager.filter(**{self.fk.name: self.instance})
            held = {pk: tuple(rest) for pk, *rest in rows.values_list("pk", *columns)}
            for form in forms:
                value = tuple(getattr(form.instance, column) for column in columns)
                if any(v == value for pk, v in held.items() if pk != form.instance.pk):
                    in_the_way.add(form)
        return [form for form in forms if form in in_the_way]

    def save_existing_objects(self, commit=True):
        moved = self.rows_in_the_way() if commit else []
        for form in moved:
            # Out of the way of the others; Django skips a row without id.
            self.model._base_manager.filter(pk=form.instance.pk).delete()
            form.instance.pk = None
            form.instance._state.adding = True
        saved = super().save_existing_objects(commit)
        for form in moved:
            self.changed_objects.append((form.instance, form.changed_data))
            saved.append(self.save_existing(form, form.instance, commit=commit))
        return saved


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuse an id out of the key column's range as not a record's: a form error.

    Django looks the ids up with ``__in``, which SQLite fails on a number too big
    for its integers (OverflowError, a 500): ``exact`` lookups have had Django's
    range check since 5.0, ``in`` has none.
    """

    def _check_values(self, value):
        opts = self.queryset.model._meta
        field = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for pk in value:
            if pk not in self.empty_values and not is_value_of(field, str(pk)):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class TextareaField(forms.CharField):
    """A long text typed in a textarea, its line breaks taken as stored: LF.

    Browsers send a textarea's line breaks as CR LF, as HTML's form encoding says:
    a text saved untouched differed from the one stored, and its history showed it
    changed into itself.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value


class IdentifierField(forms.CharField):
    """An identifier typed alone or pasted as its page's link; cleaned to the
    identifier. A subclass gives the links, the identifier's pattern, its error
    message and the help text.

    The column holds the identifier alone, and its max_length cut a pasted link in
    the input ("https://r") or refused it.
    """

    # The longest link ("https://cordis.europa.eu/project/id/101001234/") and room
    # for the spaces a paste brings.
    link_max_length = 64
    links: tuple[str, ...] = ()
    pattern = ""
    link_help_text = ""

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return text
        identifier = without_address(text, self.links)
        if not re.match(self.pattern, identifier):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text}
            )
        return identifier


class CheckedAutocompleteAdmin:
    """Give ``autocomplete_fields`` the checked widgets; for admins and inlines.

    Decimal numbers shown and read in the staff's language ("35,5" in French).
    And country fields a select box rendered in Python (``FastSelect``): Django's
    templates render each of its 250 options, 70 ms a box, and a project's change
    form has one per participant (0.7 s for eight). And long texts, in both
    languages, a field that takes them with the line breaks stored
    (``TextareaField``). And identifiers, typed alone or pasted as their link
    (``identifier_form_fields``). And no ``maxlength`` on text inputs: the
    browser cut a pasted text to it without a word; the form refuses it whole
    instead, saying how long it is and may be.
    """

    # The form field of each identifier column: {"ror_id": RorIdField}.
    identifier_form_fields: dict[str, type[IdentifierField]] = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if field_class := self.identifier_form_fields.get(db_field.name):
            kwargs.update(
                form_class=field_class,
                max_length=field_class.link_max_length,
                help_text=field_class.link_help_text,
            )
        if isinstance(db_field, CountryField) and not db_field.multiple:
            kwargs.setdefault("widget", FastSelect)
        elif isinstance(db_field, CountryField):
            # A click in a plain multiple select keeps the country clicked and drops
            # all the others (staff QA: an office's 48 countries gone in one click,
            # saved unnoticed): the admin's two lists move one country at a time.
            kwargs.setdefault(
                "widget",
                FilteredSelectMultiple(db_field.verbose_name, is_stacked=False),
            )
        if isinstance(db_field, models.DecimalField):
            # Numbers as the staff's language writes them: "35,5" in French was
            # refused ("Saisissez un nombre"); "35.5" is taken in both.
            kwargs.setdefault("localize", True)
        if isinstance(db_field, models.TextField) and not db_field.choices:
            # modeltranslation's nullable columns derive their field from this one.
            kwargs.setdefault("form_class", TextareaField)
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is None:
            return formfield
        if isinstance(db_field, models.IntegerField):
            with_lowest_value_of(formfield, db_field)
        # The limit stays in the form field (max_length): checked on save.
        formfield.widget.attrs.pop("maxlength", None)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self.labelled_as_suggested(formfield, db_field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self.labelled_as_suggested(formfield, db_field)

    def labelled_as_suggested(self, formfield, db_field):
        """Label the records chosen in ``formfield`` as its autocomplete suggests them.

        The widget draws the chosen ones again with the form (``label_from_instance``),
        with the related admin's ``autocomplete_label`` where it has one.
        """
        if formfield is None or not isinstance(
            formfield.widget, CheckedAutocompleteMixin
        ):
            return formfield
        related_admin = self.admin_site._registry.get(db_field.related_model)
        label = getattr(related_admin, "autocomplete_label", None)
        if label:
            formfield.label_from_instance = label
        return formfield

    # A picker offers the records the user's scope shows (the autocomplete view asks
    # the related model's admin); the form takes any id posted. Those it had already
    # may stay: an office's staff keep a partner's parent from another country.

    def scoped_choices(self, request) -> dict[str, models.QuerySet]:
        """Return the autocomplete fields whose records the user's scope limits."""
        scoped = {}
        for name in self.get_autocomplete_fields(request):
            related = self.model._meta.get_field(name).related_model
            shown = scoped_rows(self.admin_site._registry.get(related), request)
            if shown is not None:
                scoped[name] = shown
        return scoped

    def choices_in_scope(self, form_class, request):
        """Return ``form_class`` refusing a record out of scope newly chosen."""
        scoped = self.scoped_choices(request)
        if not scoped:
            return form_class

        class ScopedChoicesForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                for name, shown in scoped.items():
                    if name not in self.changed_data or not cleaned_data.get(name):
                        continue
                    new = _pks(cleaned_data[name]) - _pks(self[name].initial)
                    outside = new - set(
                        shown.filter(pk__in=new).values_list("pk", flat=True)
                    )
                    if outside:
                        # Django's "Select a valid choice" told no one why. Not
                        # named: a record out of scope is one they may not see.
                        self.add_error(
                            name,
                            ValidationError(
                                ngettext(
                                    "A record chosen is outside your scope: choose "
                                    "among those the picker offers.",
                                    "%(count)d records chosen are outside your "
                                    "scope: choose among those the picker offers.",
                                    len(outside),
                                )
                                % {"count": len(outside)},
                                code="out_of_scope",
                            ),
                        )
                return cleaned_data

        ScopedChoicesForm.__name__ = form_class.__name__
        return ScopedChoicesForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return self.choices_in_scope(form, request)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = self.choices_in_scope(formset.form, request)
        return formset


def with_lowest_value_of(formfield, db_field) -> None:
    """Give an integer's form field the lowest value its model field takes, with
    the model's message: one rule, whatever the value below it.

    Django's form field of a positive integer refuses what is below 0 itself, and
    the model's own bound was told only of the values the form let through: a
    year founded of -5 was refused as below 0, then 0 as below 1.
    """
    lowest = [
        validator
        for validator in db_field.validators
        if isinstance(validator, MinValueValidator)
        and not callable(validator.limit_value)
    ]
    if not lowest or formfield.min_value is None:
        return
    bound = max(lowest, key=lambda validator: validator.limit_value)
    if bound.limit_value < formfield.min_value:
        return
    formfield.validators = [
        validator
        for validator in formfield.validators
        if not isinstance(validator, MinValueValidator)
    ] + [bound]
    formfield.min_value = bound.limit_value
    formfield.widget.attrs["min"] = bound.limit_value


def _pks(value) -> set:
    """Return the ids of a relation's value in a form: records, ids, one or a list."""
    values = value if isinstance(value, list | tuple | models.QuerySet) else [value]
    return {getattr(item, "pk", item) for item in values if item is not None}


# The hidden field of a change form holding the version of the record it was
# opened on; the version of a record deleted meanwhile.
OPENED_VERSION = "opened_version"
DELETED_VERSION = "deleted"


class ConcurrentChangeForm(forms.ModelForm):
    """A change form that saves only over the version of the record it was opened on.

    Two people editing one record would otherwise each save their form whole, the
    second undoing the first one's changes unseen. The form carries the record's
    ``updated`` time as it was when opened (the current record's, on a revert page)
    and refuses to save over a newer one, naming who saved it and when. Imports do
    not use it: they write their own rows.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.checks_version:
            self.fields[OPENED_VERSION] = forms.CharField(
                required=False, widget=forms.HiddenInput
            )
            self.initial[OPENED_VERSION] = self.current_version()

    @property
    def checks_version(self) -> bool:
        model = self._meta.model
        return not self.instance._state.adding and any(
            field.name == "updated" for field in model._meta.concrete_fields
        )

    def current_version(self, lock=False) -> str:
        """Return the stored record's ``updated`` time, read under a lock if asked."""
        if not lock and to_historic(self.instance) is None:
            return self.instance.updated.isoformat()
        model = self._meta.model
        records = model._base_manager.using(router.db_for_write(model))
        records = records.filter(pk=self.instance.pk)
        if lock and transaction.get_connection(records.db).in_atomic_block:
            # Held until the save commits: a second save waits, then sees it.
            records = records.select_for_update()
        updated = records.values_list("updated", flat=True).first()
        return DELETED_VERSION if updated is None else updated.isoformat()

    def clean(self):
        cleaned_data = super().clean()
        if self.checks_version:
            opened = self.data.get(self.add_prefix(OPENED_VERSION), "")
            if opened != self.current_version(lock=True):
                self.add_error(None, self.changed_meanwhile_error(bool(opened)))
        return cleaned_data

    def _update_errors(self, errors):
        # The model's rules read the record's own value of a field the form could
        # not read ("abc" for a latitude): none, or the one saved. What they say of
        # it ("give both the latitude and the longitude") is beside the point: the
        # field's own error says what is wrong.
        unread = {name for name in self._errors if name != NON_FIELD_ERRORS}
        if hasattr(errors, "error_dict") and unread & errors.error_dict.keys():
            kept = {
                name: messages
                for name, messages in errors.error_dict.items()
                if name not in unread
            }
            if not kept:
                return
            errors = ValidationError(kept)
        super()._update_errors(errors)

    def changed_meanwhile_error(self, knows_version: bool) -> ValidationError:
        model = self._meta.model
        history = getattr(model, model._meta.simple_history_manager_attribute)
        latest = (
            history.filter(**{model._meta.pk.attname: self.instance.pk})
            .select_related("history_user")
            .first()
        )
        if not knows_version or latest is None:
            return ValidationError(
                _(
                    "This record may have changed since this page was opened. "
                    "Nothing was saved: reload the page, then make your changes "
                    "again."
                ),
                code="changed_meanwhile",
            )
        params = {"date": shown_moment(latest.history_date)}
        user = latest.history_user
        if user is None:
            message = _(
                "This record was changed on %(date)s, after this page was opened. "
                "Nothing was saved: reload the page to see that version, then make "
                "your changes again."
            )
        else:
            params["user"] = shown_user(user)
            message = _(
                "%(user)s changed this record on %(date)s, after this page was "
                "opened. Nothing was saved: reload the page to see their version, "
                "then make your changes again."
            )
        return ValidationError(message, code="changed_meanwhile", params=params)


class TranslatedChangeForm(ConcurrentChangeForm):
    """A translated record's change form: a text needed in no particular language
    (``required_languages`` empty, as a grant's title) asks for one, either.

    modeltranslation's admin requires the default language's column of every
    required field: a grant imported from CORDIS, titled in English only, could not
    be saved until someone wrote its French title.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for columns in self.columns_in_any_language().values():
            for column in columns:
                self.fields[column].required = False

    def columns_in_any_language(self) -> dict[str, list[str]]:
        """Return, by field, the form's columns of the fields needed in any language."""
        model = self._meta.model
        try:
            options = translator.get_options_for_model(model)
        except NotRegistered:
            return {}
        if options.required_languages:
            return {}
        return {
            # In the order of LANGUAGES, the site's language first.
            name: [
                column
                for code, _name in settings.LANGUAGES
                if (column := build_localized_fieldname(name, code)) in self.fields
            ]
            for name in options.all_fields
            if not model._meta.get_field(name).blank
        }

    def clean(self):
        cleaned_data = super().clean()
        for name, columns in self.columns_in_any_language().items():
            if columns and not any(cleaned_data.get(column) for column in columns):
                field = self._meta.model._meta.get_field(name)
                self.add_error(
                    columns[0],
                    ValidationError(
                        _("Give the %(field)s in French or in English."),
                        code="required",
                        params={"field": field.verbose_name},
                    ),
                )
        return cleaned_data


def translated_field_names(model) -> list[str]:
    """Return the names of ``model``'s translated fields, not their columns', in
    the model's order (modeltranslation keeps them in a set)."""
    try:
        names = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return []
    return [field.name for field in model._meta.fields if field.name in names]
