import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import flatatt
from django.utils.choices import flatten_choices
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy as _, ngettext
from django_countries import countries
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import ChoiceField
from django_filters.widgets import QueryArrayWidget
from drf_spectacular.utils import extend_schema_field

from partners.caching import cached_count
from partners.country_names import (
    EU_COUNTRY_CODES,
    country_name,
    country_names,
    in_name_order,
)
from partners.models import Partner, PartnerKind
from partners.search import (
    common_words_only,
    sorted_once_found,
    visible,
    word_sequence,
)
from partners.searchable import coded_anywhere


class FastSelect(forms.Select):
    """A select box rendered in Python, the same HTML as Django's templates.

    Django renders each option through a template include: the 200 options of a
    country filter took a hundred milliseconds, most of a list page's time. And
    its ``optgroups`` makes a dict of a dozen entries for each option, copying
    attributes no option of a select box has: 4 ms for those 200 options, where
    writing each from its value and label takes a tenth of that.
    """

    def render(self, name, value, attrs=None, renderer=None):
        # As Django's Select.get_context() and optgroups(), and the templates
        # select.html and select_option.html (option_inherits_attrs is False).
        chosen = self.format_value(value)
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        several = self.allow_multiple_selected
        has_selected = False
        parts = []
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(option_label, (list, tuple)):
                group, options = option_value, option_label
            else:
                group, options = None, ((option_value, option_label),)
            if group:
                parts.append(f'<optgroup label="{_shown(group)}">')
            for subvalue, sublabel in options:
                selected = (not has_selected or several) and str(subvalue) in chosen
                has_selected |= selected
                parts.append(
                    f'<option value="{escape(str(subvalue))}"'
                    f"{' selected' if selected else ''}>{_shown(sublabel)}</option>"
                )
            if group:
                parts.append("</optgroup>")
        return mark_safe(
            f'<select name="{escape(name)}"{flatatt(attrs)}>{"".join(parts)}</select>'
        )


def _shown(value) -> str:
    """``{{ value }}`` in a template: localized, then escaped unless safe."""
    return conditional_escape(localize(value))


def field_group(field) -> str:
    """Return ``field.as_field_group()``, the same HTML written in Python.

    Django renders a field's group through four templates (field.html, label.html,
    attrs.html, the error list's): 0.3 ms a field, a sixth of a list page whose
    form has seven. As they do, stripped; a field shown in a fieldset keeps them.
    """
    if field.use_fieldset:
        return field.as_field_group()
    label = _label_tag(field) if field.label else ""
    help_text = ""
    if field.help_text:
        help_id = f' id="{escape(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{help_id}>{field.help_text}</div>'
    html = f"\n  {label}\n\n{help_text}\n{_error_list(field.errors)}\n{field}\n"
    return mark_safe(html.strip())


def _label_tag(field) -> str:
    """``field.label_tag()`` as label.html writes it."""
    contents = field.label
    suffix = field.field.label_suffix
    if suffix is None:
        suffix = field.form.label_suffix
    if suffix and contents and contents[-1] not in gettext(":?.!"):
        contents = format_html("{}{}", contents, suffix)
    widget = field.field.widget
    field_id = widget.attrs.get("id") or field.auto_id
    if not field_id:
        return _shown(contents)
    attrs = {}
    if id_for_label := widget.id_for_label(field_id):
        attrs["for"] = id_for_label
    if field.field.required and hasattr(field.form, "required_css_class"):
        attrs["class"] = field.form.required_css_class
    return f"<label{_attributes(attrs)}>{_shown(contents)}</label>"


def _attributes(attrs: dict) -> str:
    """As Django's attrs.html writes them."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _error_list(errors) -> str:
    """``str(errors)`` (an ErrorList) as errors/list/ul.html writes it."""
    if not errors:
        return ""
    error_id = f' id="{escape(errors.field_id)}_error"' if errors.field_id else ""
    items = "".join(f"<li>{_shown(error)}</li>" for error in errors)
    return f'<ul class="{escape(errors.error_class)}"{error_id}>{items}</ul>'


# The longest text a list searches for: longer is refused with a message (400)
# rather than searched, since every word becomes a condition.
TEXT_MAX_LENGTH = 200
# How much of an invalid value a message repeats: the 5,000 characters of a
# parameter were all shown back.
SHOWN_VALUE_LENGTH = 40


def shown_value(value) -> str:
    """Return ``value`` as a message repeats it: its first 40 characters, then "…"."""
    text = str(value)
    if len(text) <= SHOWN_VALUE_LENGTH:
        return text
    return text[:SHOWN_VALUE_LENGTH] + "…"


def repeated(query, name: str, label=None) -> str | None:
    """Return the message refusing the parameter ``name`` given several times with
    different values ("?country=JP&country=FR"), None when given once or always
    with the same value (nothing to choose between). The message names it by
    ``label``, a form's field as the page labels it ("Country"), else by ``name``
    (the data API's parameter).

    Django reads the last of the values: France's partners were listed, with no
    word of Japan.
    """
    values = query.getlist(name) if hasattr(query, "getlist") else []
    # In any case, as the filters read them ("IRL" and "irl" are one kind).
    if len({value.casefold() for value in values}) < 2:
        return None
    # Worded for any label, "Country", "Sort by" or "Period" ("« Période » est
    # donné" would not agree).
    message = gettext(
        "Only one value at a time: %(count)s values given for “%(name)s”."
    )
    return message % {"name": label or name, "count": len(values)}


def reads_several(widget) -> bool:
    """Tell whether a form field's widget reads every value of its parameter (a
    multiple choice), not the last one."""
    return getattr(widget, "allow_multiple_selected", False) or isinstance(
        widget, QueryArrayWidget
    )


class PublicFilterForm(forms.Form):
    """The form of a public list's filters, repeating an invalid value shortened,
    refusing a filter of one value given several (``repeated``), named by its
    label ("Country"), or by its parameter ("country") with ``names_parameters``
    (the data API's)."""

    names_parameters = False
    # The id of the form's own errors (templates/includes/filter_form.html), which
    # fields a rule between them refuses point to (``in_error_together``).
    errors_id = "filter-errors"

    def in_error_together(self, *names: str) -> None:
        """Mark the fields ``names`` as wrong and described by the form's own
        error, which a rule between them raises: a screen reader says so on each
        ("since 2020, until 2010"), as for an error of its own."""
        for name in names:
            self.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": self.errors_id}
            )

    def clean(self):
        cleaned_data = super().clean()
        for name, field in self.fields.items():
            if reads_several(field.widget):
                continue
            label = None if self.names_parameters else field.label
            if message := repeated(self.data, name, label):
                # The value checked was the last one, picked by no one: its
                # errors are not the visitor's.
                self.errors.pop(name, None)
                self.add_error(name, ValidationError(message, code="repeated"))
        return cleaned_data

    def add_error(self, field, error):
        if isinstance(error, ValidationError):
            errors = (
                [item for items in error.error_dict.values() for item in items]
                if hasattr(error, "error_dict")
                else error.error_list
            )
            for item in errors:
                if item.params and "value" in item.params:
                    item.params = {
                        **item.params,
                        "value": shown_value(item.params["value"]),
                    }
        super().add_error(field, error)


def has_enough_letters(text: str) -> bool:
    """Tell whether a text searched holds 2 letters or digits at least: one
    letter ("a") starts a word of most records (at a million partners, a count
    and a sort of most of them), and punctuation alone ("'", "a%") holds no word."""
    return sum(char.isalnum() for char in text) >= 2


def enough_letters(text: str) -> None:
    """Refuse a text searched with fewer than 2 letters or digits
    (``has_enough_letters``)."""
    if not has_enough_letters(text):
        raise ValidationError(
            _("Type at least 2 letters or digits."), code="too_few_letters"
        )


def searchable_words(text: str) -> None:
    """Refuse a text searched made of stop words alone, typed as such ("the", "de
    la": ``common_words_only``), or of two single letters or digits ("a b":
    ``letters_alone``), that no published record has for a code ("who", "un",
    "E U": ``coded_anywhere``, counted once per content version): the same on
    every list, the data API and the global search."""
    if has_enough_letters(text) and common_words_only(text):
        if not coded_anywhere(text):
            raise too_common_words(text)
    if (letters := letters_alone(text)) and not coded_anywhere(letters):
        raise single_letters(text)


# Letters typed apart spell a code ("C N R S", "%m%i%t"), searched as typed
# together (``code_typed_apart``): from three letters on, as a word of three
# letters is; two are no word, and each starts a word of most texts.
LETTERS_APART_SEARCHED = 3
# A mark between two letters that joins them into a name ("Texas A&M", "R&D",
# "A.B"), where a space or a hyphen sets them apart ("a b", "x-y").
LETTERS_JOINED = re.compile(r"[^\W_][^\w\s\-‐–]+[^\W_]")


def letters_alone(text: str) -> str:
    """Return the letters or digits of ``text`` typed together when it holds
    no word of two or more but fewer than ``LETTERS_APART_SEARCHED`` single
    ones set apart ("a b", "x-y": "ab", "xy"), else "": a text searched by its
    words ("A&M" too, a name)."""
    words = word_sequence(text)
    if (
        1 < len(words) < LETTERS_APART_SEARCHED
        and all(len(w) == 1 for w in words)
        and not LETTERS_JOINED.search(text)
    ):
        return "".join(words)
    return ""


def single_letters(text: str) -> ValidationError:
    """The error of a text searched of single letters alone ("a b"), which no
    record has for a code (``letters_alone``): what they found said nothing of
    what was wanted. Repeated without the quotes typed around it, as
    ``too_common_words``."""
    return ValidationError(
        gettext(
            "“%(text)s” holds no word, only single letters: type a word of at "
            "least 2 letters or digits."
        )
        % {"text": shown_value(without_quotes(text))},
        code="single_letters",
    )


# A word as written, an elided one too ("d'", "l'"): letters and digits.
WRITTEN_WORD = re.compile(r"[^\W_]+")
# Quotation marks a text may be typed in: repeated in a message that quotes it,
# they were doubled ("« «the» »"). Single quotes only in pairs: "qu'" ends with
# an apostrophe.
QUOTES = '"«»“”„‟‹›「」『』'
SINGLE_QUOTES = "'‘’‚"


def too_common_words(text: str) -> ValidationError:
    """The error of a text searched made of stop words alone ("the", "de la"),
    which no record has for a code: they start words of most texts, and what
    they found said nothing of what was wanted.

    Counted as typed, an elided article too ("d'un": two words), and repeated
    without the quotes typed around it ("«the»"), which the message adds."""
    shown = without_quotes(text)
    return ValidationError(
        ngettext(
            "“%(text)s” is too common a word to search by: add a more specific word.",
            "“%(text)s” are too common words to search by: add a more specific word.",
            len(WRITTEN_WORD.findall(shown)),
        )
        % {"text": shown_value(shown)},
        code="too_common_words",
    )


def without_quotes(text: str) -> str:
    """Return ``text`` stripped, without the quotation marks around it ("«the»",
    "“de la”", "'the'": "the")."""
    text = text.strip().strip(QUOTES).strip()
    while len(text) > 1 and text[0] in SINGLE_QUOTES and text[-1] in SINGLE_QUOTES:
        text = text[1:-1].strip().strip(QUOTES).strip()
    return text


class SearchTextField(forms.CharField):
    """The text a search field takes: without the characters typed or pasted in
    it that show nothing (``visible``: "uni\u00adversity" is "university"), then
    stripped and checked as any text. Everything downstream (the search, its
    suggestion, the messages repeating it, the links it makes) reads it so."""

    def to_python(self, value):
        if isinstance(value, str):
            value = visible(value)
        return super().to_python(value)


class SearchTextFilter(django_filters.CharFilter):
    """The text searched in a public list (``q``): 200 characters at most, two
    letters or digits at least, not stop words alone (``searchable_words``)."""

    field_class = SearchTextField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("method", "filter_text")
        kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        kwargs.setdefault("validators", [enough_letters, searchable_words])
        super().__init__(*args, **kwargs)


def country_code(value) -> str:
    """Return ``value`` as a country code is written: stripped, upper-cased if ASCII,
    the EU's codes as ISO's (``EU_COUNTRY_CODES``: EL is GR, UK is GB).

    Other letters are kept as typed, to be refused: upper-cased, "ß" would be "SS"
    (South Sudan) and "ıt" "IT" (Italy).
    """
    code = str(value or "").strip()
    if not code.isascii():
        return code
    code = code.upper()
    return EU_COUNTRY_CODES.get(code, code)


# The message of a value that is none of a filter's choices, naming the filter
# (``label``): the data API's message stands alone, Django's "Select a valid
# choice" said neither.
UNKNOWN_CHOICE = _("“%(value)s” is not one of the choices for “%(label)s”.")


class AnyCaseChoiceField(ChoiceField):
    """One of the choices, written in any case: "IRL" reads "irl", "pe1" "PE1".

    Links typed by hand or shared keep the case their author gave them; the select
    shows the choice as the form writes it. A value that is none of them is
    refused naming the filter (``UNKNOWN_CHOICE``).
    """

    default_error_messages = {"invalid_choice": UNKNOWN_CHOICE}

    def to_python(self, value):
        return self.choice_value(super().to_python(value))

    def prepare_value(self, value):
        if isinstance(value, list):  # an OrderingFilter's values
            # "?ordering=,," chose none: a select, not a text box of "None,None".
            # Of several orders (the data API's "country,-year"), the select shows
            # the first: django-filter wrote them all in a text box.
            return [self.prepare_value(item) for item in value if item][:1]
        return self.choice_value(value) if isinstance(value, str) else value

    def valid_value(self, value):
        return self.choice_values.get(str(value).casefold()) == str(value)

    def validate(self, value):
        try:
            super().validate(value)
        except ValidationError as error:
            if error.code == "invalid_choice":
                error.params = {**self.invalid_choice_params(), **error.params}
            raise

    def invalid_choice_params(self) -> dict:
        """Return what the message of a value that is no choice may say besides
        the value."""
        return {"label": self.label}

    def choice_value(self, value: str) -> str:
        """Return the choice that ``value`` names in any case, else ``value``."""
        if not value:
            return value
        return self.choice_values.get(value.casefold(), value)

    @cached_property
    def choice_values(self) -> dict[str, str]:
        """The values offered, under their case-folded form.

        Read once per form: the programmes' choices are a query each time.
        """
        values = {}
        for value, label in self.choices:
            group = label if isinstance(label, (list, tuple)) else [(value, label)]
            for choice, _label in group:
                values.setdefault(str(choice).casefold(), str(choice))
        return values


class AnyCaseChoiceFilter(django_filters.ChoiceFilter):
    """A choice in any case (``AnyCaseChoiceField``).

    ``shown_as``: how a page's title words the value chosen ("since %(value)s"),
    when the value alone does not say which filter chose it.
    """

    field_class = AnyCaseChoiceField

    def __init__(self, *args, shown_as=None, **kwargs):
        self.shown_as = shown_as
        super().__init__(*args, **kwargs)


class CountryChoiceField(ChoiceField):
    """One of the countries offered, or any other ISO 3166 code ("jp" reads "JP").

    The select offers the countries that have records; a shared link to another
    real country finds nothing rather than an error, while a code that is no
    country at all (ZZ, ß) is an error.
    """

    def to_python(self, value):
        return country_code(super().to_python(value))

    def prepare_value(self, value):
        # What the select shows chosen: "jp" as typed in the address is Japan.
        return country_code(value) if isinstance(value, str) else value

    def valid_value(self, value):
        return value in countries


def described_as(filter_, schema: dict, description):
    """Describe the parameter of ``filter_`` in the data API's OpenAPI
    description as ``schema``, with ``description`` (its label).

    Where drf-spectacular would read it from the model's field or the filtering
    method's type: the storage's bounds (a call year up to 2^63 - 1), a list of
    countries on one list and none on another.
    """
    return extend_schema_field({**schema, "description": description})(filter_)


class CountryFilter(django_filters.ChoiceFilter):
    field_class = CountryChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": _(
                    "“%(value)s” is not a country code: use two letters such as JP."
                )
            },
        )
        super().__init__(*args, **kwargs)
        # Every ISO 3166 code, as the field takes it, on every list.
        described_as(
            self,
            {"type": "string", "enum": sorted(countries.countries)},
            kwargs.get("label"),
        )


class PublicFilterSet(django_filters.FilterSet):
    """The base of the public lists' FilterSets: fast select boxes, text search,
    invalid values repeated shortened (its subclasses' Meta inherits its own).

    A text searched, the best matches come first (``best_matches_first``) unless
    the visitor chooses another order: the sort select's empty option, which
    otherwise names the list's own order, then says so.

    ``near_misses`` tells, once the list is filtered, that no record held every
    word of the text and the closest ones were kept (partners/searchable.py);
    ``most_words``, that none was close either and those holding every word but
    one were kept, where the FilterSet offers them (``offers_most_words``).
    """

    near_misses = False
    most_words = False
    # The text whose words but one the records hold, when ``most_words``: the
    # text searched, or its correction (``most_words_or_corrected``).
    most_words_text = ""
    # Whether a text that nothing holds, not even nearly, finds the records
    # holding all its words but one (``most_words``): set by the pages' lists.
    # Not the data API's, whose clients get an empty list, as they did: they
    # tell matches from near misses by a flag, and know no third kind.
    offers_most_words = False
    # Whether the records are filtered to be counted per country
    # (``without_country``): the text filter then leaves its matches unsorted.
    # Every order it gives keeps the same matches (``best_matches_first`` and
    # ``most_words_first`` add aliases and an ORDER BY, nothing that narrows),
    # and the counts drop the order (``order_by()``): sorting them was building
    # a ranking's CASE for nothing (2-3 ms of a partner search's Python).
    counting = False
    # Pairs of filters (first, last) that are the ends of a span, such as the
    # first and last call years: both chosen, the title shows one span
    # ("2015–2018").
    spans: tuple[tuple[str, str], ...] = ()
    # The ordering choice that is the list's own order, offered as the empty
    # option when no text is searched; None when the ordering filter's empty
    # label names that order.
    own_order: str | None = None

    class Meta:
        form = PublicFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        for filter_ in self.filters.values():
            widget = filter_.field_class.widget
            if widget is forms.Select and "widget" not in filter_.extra:
                filter_.extra["widget"] = FastSelect
        self.searched = bool(visible(str(self.data.get("q") or "")).strip())

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            if "ordering" in form.fields:
                self.offer_orders(form.fields["ordering"])
        return self._form

    def offer_orders(self, field) -> None:
        """Name the sort select's empty option: the best matches when a text is
        searched, else the list's own order (offered once: hidden as a choice,
        still taken from a link that names it), and never an order that is the
        own one but for ties (``same_as_own``).

        On the form's own field: django-filter builds a filter's field once and
        copies it to each FilterSet, so the filters' arguments are not per request.
        """
        ordering = self.filters.get("ordering")
        same = getattr(ordering, "same_as_own", frozenset())
        options = [
            choice
            for choice in field.choices
            if choice[0] != "" and choice[0] not in same
        ]
        if self.searched:
            shown, empty_label = options, _("Best match")
        elif self.own_order:
            shown = [choice for choice in options if choice[0] != self.own_order]
            empty_label = dict(options)[self.own_order]
        else:
            return
        field.widget.choices = [("", empty_label), *shown]

    def filter_text(self, queryset, name, value):
        records, self.near_misses = queryset.search_or_near_misses(value)
        self.most_words, self.most_words_text = False, ""
        if (
            self.near_misses
            and self.offers_most_words
            and not cached_count(records)
            and (most := self.most_words_found(queryset, value)) is not None
        ):
            records, self.most_words_text = most
            self.near_misses, self.most_words = False, True
        if self.counting:
            return records
        if self.order_chosen():
            # Sorted by the ordering filter, which comes after.
            return sorted_once_found(records)
        if self.most_words:
            return records.most_words_first(self.most_words_text)
        return records.best_matches_first(value, self.near_misses)

    def most_words_found(self, queryset, text: str):
        """Return the records of ``queryset`` holding every word of ``text`` but
        one, or of its correction, with the text whose words they hold
        (``most_words_or_corrected``); None when none do, or when a word looks
        misspelt, its correction finding records: "Did you mean" leads there."""
        if not queryset.searches_most_words(text):
            return None
        meant = self.suggested_texts(text)
        if any(queryset.finds(suggestion) for suggestion in meant):
            return None
        return queryset.most_words_or_corrected(text, meant)

    def suggested_texts(self, text: str) -> list[str]:
        """Return the words ``text`` likely meant (``suggested_texts``), read once
        for the list: its text filter asks, then its page's "Did you mean"."""
        if not hasattr(self, "_suggested"):
            self._suggested = {}
        if text not in self._suggested:
            self._suggested[text] = self.queryset.suggested_texts(text)
        return self._suggested[text]

    def indexed(self) -> bool:
        """Tell whether search engines should index the list as chosen: by its
        filters alone, all valid. Not a text searched (a page per text anyone may
        type), nor another order (the records of a page indexed already)."""
        if not self.is_bound:
            return True
        if self.errors:
            return False
        return not (self.form.cleaned_data.get("q") or self.order_chosen())

    def order_chosen(self) -> bool:
        """Tell whether the visitor chose an order ("?ordering=,," chooses none)."""
        chosen = self.form.cleaned_data.get("ordering")
        if isinstance(chosen, list):  # an OrderingFilter's values
            return any(chosen)
        return bool(chosen)

    def chosen(self, leave_out=frozenset({"ordering"}), despite_errors=False) -> dict:
        """Return the valid values chosen, besides the filters ``leave_out`` (by
        default the order, which narrows nothing); none when one is invalid,
        unless ``despite_errors``."""
        if not self.is_bound or not (self.is_valid() or despite_errors):
            return {}
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name not in leave_out and value not in EMPTY_VALUES
        }

    def is_narrowed(self) -> bool:
        """Tell whether a valid filter besides the order narrows the list."""
        return bool(self.chosen())

    def others_chosen(self) -> dict:
        """Return the valid values chosen besides the country and the order: the
        filters that narrow the records each country choice counts."""
        return self.chosen(NOT_NARROWING)

    def without_country(self):
        """Return the records the other filters chosen keep, in any country."""
        # The text filter says whether the list shows near misses: of the list's
        # records, not of these.
        near_misses, most_words = self.near_misses, self.most_words
        most_words_text = self.most_words_text
        queryset = self.queryset.all()
        self.counting = True
        try:
            for name, value in self.others_chosen().items():
                queryset = self.filters[name].filter(queryset, value)
        finally:
            self.counting = False
        self.near_misses, self.most_words = near_misses, most_words
        self.most_words_text = most_words_text
        return queryset

    def others_country_counts(self) -> dict[str, int]:
        """Return the records per country that the other filters chosen keep,
        counted once per content version."""
        return self.without_country().cached_country_counts()

    def count_country_choices(self, counts: dict[str, int]) -> None:
        """Offer the countries that have records among ``counts`` (the records of
        each country that the other filters keep), with their number, and the
        country chosen: counted over the whole list, "Japan (2)" led to none."""
        chosen = self.form.cleaned_data.get("country")
        codes = [
            code for code in self.country_codes if counts.get(code) or code == chosen
        ]
        self.form.fields["country"].choices = counted_country_choices(codes, counts)

    def chosen_summary(self, leave_out=()) -> str:
        """Return the values chosen as shown, for the page's title ("Japan, “ocean”"):
        each filtered list has a title of its own in tabs and history (WCAG 2.4.2).

        ``leave_out``: filters the title names otherwise. The valid values only,
        when another is invalid: the error page's title still says what was
        searched, as a wrong page number's does.

        A value is worded as its filter says (``shown_as``): "since 2015", "until
        2015" and the year 2015 had the same title. The two ends of a span
        (``spans``) are one: "2015–2018", or "2015" for that year alone.
        """
        chosen = self.chosen({"ordering", *leave_out}, despite_errors=True)
        shown = {name: self.shown_choice(name, value) for name, value in chosen.items()}
        spanned = set()
        for first, last in self.spans:
            # A span running backwards (an error) keeps each end worded.
            if first in chosen and last in chosen:
                if runs_forwards(chosen[first], chosen[last]):
                    ends = shown[first], shown.pop(last)
                    # The same year at both ends: that year.
                    shown[first] = ends[0] if ends[0] == ends[1] else "–".join(ends)
                    spanned.add(first)
        return ", ".join(
            text if name in spanned else self.worded(name, text)
            for name, text in shown.items()
        )

    def worded(self, name: str, shown: str) -> str:
        """Return the value ``shown`` for filter ``name`` as the title words it
        (its ``shown_as``: "since 2015"), else as it is."""
        wording = getattr(self.filters.get(name), "shown_as", None)
        return wording % {"value": shown} if wording else shown

    def shown_choice(self, name: str, value) -> str:
        """Return the value chosen for filter ``name`` as the form shows it."""
        if name == "q":
            return gettext("“%(text)s”") % {"text": shown_value(value)}
        if name == "country":  # its choices are counted: "Japan (3)"
            return country_name(value)
        if isinstance(value, models.Model):
            return str(value)
        field = self.form.fields[name]
        if not isinstance(field, forms.ChoiceField):
            return str(value)
        # iter(): flatten_choices asks the choices whether they are empty, which
        # django-filter's lazy ones (a function) cannot say.
        for option, shown in flatten_choices(iter(field.choices)):
            if str(option) == str(value):
                return str(shown)
        return str(value)

    def count_country_choices_within_others(self, records, counts=None) -> None:
        """With other filters chosen, count the country choices within them.

        ``records`` is the filtered list, ``counts`` its records per country when
        already read. A country chosen, the others' records are counted in every
        country; none chosen, the list's own are those the choices count.
        """
        if not self.others_chosen():
            return
        if self.form.cleaned_data.get("country"):
            counts = self.without_country().country_counts()
        elif counts is None:
            counts = records.country_counts()
        self.count_country_choices(counts)


def runs_forwards(first, last) -> bool:
    """Tell whether the ends of a span are in order: years, chosen as text
    ("2015"), compared as numbers."""
    if isinstance(first, str) and isinstance(last, str):
        if first.isdigit() and last.isdigit():
            return int(first) <= int(last)
    return first <= last


# The filters that leave the records of a country choice as they are.
NOT_NARROWING = frozenset({"country", "ordering"})


def countries_to_choose(counts: dict[str, int], data) -> list[str]:
    """Return the codes of the countries of ``counts`` (the records in each), and
    of a real country the link's ``data`` asks for even without any, sorted by
    name in the active language: a shared link to a country with no record (any
    more) finds nothing rather than an error; only codes that are no country are
    refused."""
    codes = set(counts)
    asked = country_code((data or {}).get("country"))
    if asked and asked in countries:
        codes.add(asked)
    return in_name_order(codes)


def counted_country_choices(codes, counts) -> list[tuple[str, str]]:
    """Return the choices of a country filter: each country named in the active
    language, with its number of records."""
    names = country_names()
    return [
        (code, f"{names.get(code) or country_name(code)} ({counts.get(code, 0)})")
        for code in codes
    ]


class PartnerFilterSet(PublicFilterSet):
    """Partner institutions by country, kind and name, sorted as the visitor asks.

    The country choices are the countries that have published partners, each with
    its number of partners, named and sorted in the active language: they are built
    for each request (one aggregated query), never at import time.
    """

    country = CountryFilter(label=_("Country"), empty_label=_("All countries"))
    kind = AnyCaseChoiceFilter(
        label=_("Kind of institution"),
        choices=PartnerKind.choices,
        empty_label=_("All kinds"),
    )
    q = SearchTextFilter(label=_("Name, acronym or city"))
    ordering = AnyCaseChoiceFilter(
        label=_("Sort by"),
        choices=[("name", _("Name")), ("country", _("Country")), ("city", _("City"))],
        empty_label=None,
        method="sort",
    )
    own_order = "name"

    class Meta(PublicFilterSet.Meta):
        model = Partner
        fields = ["country", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_codes = self.countries_in_order()
        self.filters["country"].extra["choices"] = counted_country_choices(
            self.country_codes, self.country_counts
        )

    def countries_in_order(self) -> list[str]:
        """Return the codes of the countries to choose from, sorted by name."""
        self.country_counts = Partner.objects.public_country_counts()
        return countries_to_choose(self.country_counts, self.data)

    def others_country_counts(self) -> dict[str, int]:
        """Return the partners per country that the other filters chosen keep.

        A kind alone: from the counts of every kind, one query a content version.
        """
        others = self.others_chosen()
        if others.keys() == {"kind"}:
            counts = self.queryset.all().cached_kind_country_counts()
            return counts.get(others["kind"], {})
        return super().others_country_counts()

    def sort(self, queryset, name, value):
        searched = bool(self.form.cleaned_data.get("q"))
        if value == "country":
            return queryset.order_by_countries(self.country_codes)
        if value == "city":
            return queryset.order_by_city(searched=searched)
        return queryset.order_by_name(searched=searched)
