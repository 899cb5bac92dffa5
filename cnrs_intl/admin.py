import re
from decimal import Decimal, InvalidOperation

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.db import router, transaction
from django.db.models import OuterRef, Q, Subquery, Sum
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _, ngettext

from cnrs_intl.models import KeyFigure, SiteInformation, StaffProfile
from partners.admin_deletion import DeletionNamesAdmin
from partners.admin_forms import (
    DATE_AND_TIME_WIDGETS,
    CheckedAutocompleteAdmin,
    CheckedSelectionAdmin,
    is_value_of,
)
from partners.admin_lists import TextSearchAdmin
from partners.admin_records import (
    PUBLICATION_FIELDSET,
    RECORD_FIELDSET,
    HistoryAdmin,
    PublishableAdmin,
    TranslatedHistoryAdmin,
)
from partners.caching import cached_by_content
from partners.history import one_version_per_edit
from partners.roles import Role, role_label
from partners.search import fold, rank_by


@admin.register(KeyFigure)
class KeyFigureAdmin(PublishableAdmin):
    add_label = _("Add a key figure")
    list_display = (
        "label",
        "display_value",
        "year",
        "source",
        "order",
        "publication_status",
        "updated",
    )
    list_filter = ("year", "publication_status")
    search_fields = ("label_fr", "label_en", "source_fr", "source_en")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("approximation", "value", "suffix"),
                    "label",
                    "year",
                    "source",
                    "order",
                )
            },
        ),
        PUBLICATION_FIELDSET,
    )

    @admin.display(description=_("value"), ordering="value")
    def display_value(self, obj):
        return obj.localized_value

    def exact_condition(self, request, text):
        """A figure is found by its value too, written as the list shows it
        ("1 200", "4,5 %" in French; "1,200", "4.5%" in English) or plainly."""
        typed = typed_value(text)
        if typed is None:
            return super().exact_condition(request, text)
        value, suffix = typed
        condition = Q(value=value)
        return condition & Q(suffix__iexact=suffix) if suffix else condition


# A number, then what may follow it: a key figure's suffix ("%", "M€").
TYPED_VALUE = re.compile(r"(?P<number>\d[\d\s.,]*?)\s*(?P<suffix>[^\d\s.,][^\d]*)?")


def typed_value(text: str) -> tuple[Decimal, str] | None:
    """Return the key figure value and suffix ``text`` writes, or None.

    Digits may be grouped by spaces, or as the active language groups them ("1,200"
    in English); the decimals follow a comma or a dot, as the change form takes
    them. None for a number no figure can hold (more digits or decimals than its
    column's).
    """
    found = TYPED_VALUE.fullmatch(text.strip())
    if found is None:
        return None
    number = "".join(found["number"].split())
    grouping = formats.get_format("THOUSAND_SEPARATOR")
    decimals = formats.get_format("DECIMAL_SEPARATOR")
    grouped = (
        rf"\d{{1,3}}(?:{re.escape(grouping)}\d{{3}})+(?:{re.escape(decimals)}\d+)?"
    )
    if grouping.strip() and re.fullmatch(grouped, number):
        number = number.replace(grouping, "")
    if not re.fullmatch(r"\d+(?:[.,]\d+)?", number):
        return None
    written = Decimal(number.replace(",", "."))
    field = KeyFigure._meta.get_field("value")
    try:
        # "4.50" and "4.5" alike, to the column's decimal places.
        value = written.quantize(Decimal(1).scaleb(-field.decimal_places))
    except InvalidOperation:  # more digits than a decimal holds
        return None
    if value != written or not is_value_of(field, str(value)):
        return None
    return value, (found["suffix"] or "").strip()


@admin.register(SiteInformation)
class SiteInformationAdmin(TranslatedHistoryAdmin):
    """The one record of the site information: added once, changed, never deleted.

    Its list is that record: the admin's link to it opens its form, or the form to
    add it while there is none.
    """

    add_label = _("Add the site information")
    fieldsets = (
        (
            _("Legal notice"),
            {
                "fields": (
                    "publisher_name",
                    "publisher_address",
                    "publication_director",
                    "contact_email",
                    "host_name",
                    "host_address",
                )
            },
        ),
        (_("Open data"), {"fields": ("data_licence", "data_licence_url")}),
        (
            _("Accessibility statement"),
            {
                "fields": (
                    "accessibility_statement_date",
                    ("accessibility_audit_date", "accessibility_auditor"),
                )
            },
        ),
        RECORD_FIELDSET,
    )

    def is_public(self, obj) -> bool:
        return True  # every page's footer leads to it

    def has_add_permission(self, request):
        # Asked by the sidebar of every admin page: read once per content version.
        return super().has_add_permission(request) and not cached_by_content(
            "site-information-exists", SiteInformation.objects.exists
        )

    def has_delete_permission(self, request, obj=None):
        # The legal notice and the statement would be left without their facts.
        return False

    def changelist_view(self, request, extra_context=None):
        site_information = SiteInformation.objects.current()
        if site_information is not None and self.has_view_or_change_permission(
            request, site_information
        ):
            return HttpResponseRedirect(
                reverse(
                    "admin:cnrs_intl_siteinformation_change",
                    args=[site_information.pk],
                    current_app=self.admin_site.name,
                )
            )
        if site_information is None and self.has_add_permission(request):
            return HttpResponseRedirect(
                reverse(
                    "admin:cnrs_intl_siteinformation_add",
                    current_app=self.admin_site.name,
                )
            )
        return super().changelist_view(request, extra_context)


@admin.register(StaffProfile)
class StaffProfileAdmin(HistoryAdmin):
    """Who limits whom: each profile's versions, revertible like a record's.

    Profiles are made with their user (StaffUserAdmin); here they are listed by
    office and institute, changed, and their history read.
    """

    add_label = _("Add a staff profile")

    list_display = ("user", "office", "institute_codes")
    list_filter = ("office", "institutes")
    list_select_related = ("user", "office")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("institutes", "office")
    readonly_fields = ("user",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("institutes")

    @admin.display(description=_("institutes"))
    def institute_codes(self, profile):
        return ", ".join(institute.code for institute in profile.institutes.all())

    def has_add_permission(self, request):
        return False  # with its user, on the user's page


class StaffProfileInline(CheckedAutocompleteAdmin, admin.StackedInline):
    model = StaffProfile
    can_delete = False
    verbose_name_plural = _("staff profile")
    autocomplete_fields = ("institutes", "office")
    readonly_fields = ("history",)

    @admin.display(description=_("history"))
    def history(self, profile):
        if profile.pk is None:
            return "–"
        url = reverse(
            "admin:cnrs_intl_staffprofile_history",
            args=[profile.pk],
            current_app=self.admin_site.name,
        )
        return format_html('<a href="{}">{}</a>', url, _("Versions of this profile"))


# Django stores a permission's name in English when it migrates ("Can add partner
# institution"); the pickers name it in the staff's language instead.
PERMISSION_ACTIONS = {
    "add": _("Can add"),
    "change": _("Can change"),
    "delete": _("Can delete"),
    "view": _("Can view"),
}
CUSTOM_PERMISSIONS = {"publish_content": _("Can publish and unpublish content")}
# Django files a custom permission under the model declaring it (the staff profile's);
# publishing concerns every kind of record, which the pickers say instead.
CUSTOM_PERMISSION_SUBJECTS = {"publish_content": _("every kind of record")}


def permission_label(permission: Permission) -> str:
    """Name ``permission`` in the active language: "Units | joint unit | Can add"."""
    model = permission.content_type.model_class()
    if model is None:  # a model since removed
        return str(permission)
    action, _sep, model_name = permission.codename.partition("_")
    subject = model._meta.verbose_name
    if permission.codename in CUSTOM_PERMISSIONS:
        name = CUSTOM_PERMISSIONS[permission.codename]
        subject = CUSTOM_PERMISSION_SUBJECTS.get(permission.codename, subject)
    elif action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        name = PERMISSION_ACTIONS[action]
    else:
        name = permission.name
    app = apps.get_app_config(model._meta.app_label).verbose_name
    return f"{app} | {subject} | {name}"


def assignable_permissions(held=()):
    """The permissions the pickers offer: none on history tables (80 of 165), which
    are read through their record's admin, but any one already ``held``."""
    history = Q(content_type__model__startswith="historical")
    return Permission.objects.filter(~history | Q(pk__in=held)).select_related(
        "content_type"
    )


class PermissionPickerMixin:
    """Offer ``permissions_field``'s assignable permissions, named in French too."""

    permissions_field = "permissions"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        field = form.base_fields.get(self.permissions_field)
        if field is not None:
            held = (
                getattr(obj, self.permissions_field).values_list("pk", flat=True)
                if obj is not None and obj.pk
                else []
            )
            field.queryset = assignable_permissions(list(held))
            field.label_from_instance = permission_label
        return form


class RoleFilter(admin.RelatedFieldListFilter):
    """Django's filter by group, the roles named in the staff's language."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        return [(pk, role_label(name)) for pk, name in choices]


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(
    DeletionNamesAdmin,
    PermissionPickerMixin,
    CheckedAutocompleteAdmin,
    CheckedSelectionAdmin,
    TextSearchAdmin,
    UserAdmin,
):
    """Django's user admin, with the institutes or office that limit a staff member."""

    add_label = _("Add a user")

    permissions_field = "user_permissions"

    inlines = (StaffProfileInline,)
    list_display = (*UserAdmin.list_display, "is_active")
    formfield_overrides = DATE_AND_TIME_WIDGETS  # last login, date joined
    list_filter = ("is_staff", "is_superuser", "is_active", ("groups", RoleFilter))

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            # Superuser status is every permission at once, past any role: only a
            # superuser grants it, or an administrator could give it to themselves.
            readonly = (*readonly, "is_superuser")
        return readonly

    def has_change_permission(self, request, obj=None):
        # Nor may an administrator change a superuser's account (their password).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The staff profile and its institutes: one version (partners.history).
        with (
            transaction.atomic(using=router.db_for_write(self.model)),
            one_version_per_edit(),
        ):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            formfield.label_from_instance = lambda group: role_label(group.name)
        return formfield


admin.site.unregister(Group)


def is_role_group(group) -> bool:
    """Whether ``group`` is one of the roles partners.roles defines."""
    return group is not None and group.name in Role.values


@admin.register(Group)
class RoleGroupAdmin(
    DeletionNamesAdmin,
    PermissionPickerMixin,
    CheckedAutocompleteAdmin,
    CheckedSelectionAdmin,
    TextSearchAdmin,
    GroupAdmin,
):
    """Django's group admin, the roles named in the staff's language.

    Only what is shown is translated: the names stay as stored, the English the
    code knows the roles by (partners.roles).
    """

    add_label = _("Add a group")

    list_display = ("role",)

    @admin.display(description=Group._meta.get_field("name").verbose_name)
    def role(self, group):
        return role_label(group.name)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if is_role_group(obj):
            # The code knows a role by its group's name (partners.roles.roles_of):
            # an institute advisers' group renamed would no longer limit them to
            # their institutes.
            readonly = (*readonly, "role")
        return readonly

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if is_role_group(obj):
            return ["role", *(name for name in fields if name not in ("name", "role"))]
        return fields

    def has_delete_permission(self, request, obj=None):
        # Its users would lose their role, and the next migration bring it back
        # empty (partners.roles.sync_roles).
        if is_role_group(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_ordering(self, request):
        # By the label shown, which the database does not hold; other groups last.
        roles = sorted(Role, key=lambda role: fold(str(role.label)))
        return (rank_by("name", [role.value for role in roles]), "name")

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        words = fold(search_term).split()
        labelled = [
            role.value
            for role in Role
            if words and all(word in fold(str(role.label)) for word in words)
        ]
        if labelled:
            found = found | queryset.filter(name__in=labelled)
        return found, may_have_duplicates

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None:
            context["subtitle"] = role_label(obj.name)
        return super().render_change_form(request, context, add, change, form_url, obj)


class LoginProtectionAdmin(CheckedSelectionAdmin, TextSearchAdmin):
    """django-axes' records, read in the back-office: found by username, never
    added nor changed there (axes writes them at each login)."""

    search_fields = ("username",)
    # A record's own page would add nothing to its row (and axes names it in
    # English): none is linked.
    list_display_links = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("username"), ordering="username")
    def login_username(self, record):
        return record.username


@admin.register(AccessAttempt)
class AccessAttemptAdmin(LoginProtectionAdmin):
    """The wrong passwords counted now, per username; a username locked out is
    unlocked here (``unlock``), as by ``manage.py axes_reset_username``."""

    add_label = _("Add an access attempt")

    list_display = ("login_username", "wrong_passwords", "state", "last_attempt")
    actions = ("unlock",)

    def get_queryset(self, request):
        # A username's failures are counted together, whatever the browser (one
        # row each): as axes counts them, from the attempts of the last quarter
        # of an hour.
        counted = (
            AccessAttempt.objects.filter(
                username=OuterRef("username"),
                attempt_time__gte=timezone.now() - get_cool_off(request),
            )
            .values("username")
            .annotate(total=Sum("failures_since_start"))
            .values("total")
        )
        return super().get_queryset(request).annotate(counted=Subquery(counted))

    def get_actions(self, request):
        # Unlocking deletes the username's attempts: not Django's deletion, whose
        # confirmation page names them as axes does, in English.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("wrong passwords"), ordering="failures_since_start")
    def wrong_passwords(self, attempt):
        return attempt.failures_since_start

    @admin.display(description=_("last wrong password"), ordering="attempt_time")
    def last_attempt(self, attempt):
        return attempt.attempt_time

    @admin.display(description=_("state"))
    def state(self, attempt):
        counted = attempt.counted or 0
        if not counted:
            return _("no longer counted")
        if counted >= settings.AXES_FAILURE_LIMIT:
            return _("locked out")
        left = settings.AXES_FAILURE_LIMIT - counted
        return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {
            "count": left
        }

    @admin.action(
        permissions=["delete"], description=_("Unlock the selected usernames")
    )
    def unlock(self, request, queryset):
        usernames = sorted(set(queryset.values_list("username", flat=True)))
        for username in usernames:
            AxesProxyHandler.reset_attempts(username=username)
        self.message_user(
            request,
            ngettext(
                "%(count)d username unlocked: %(usernames)s.",
                "%(count)d usernames unlocked: %(usernames)s.",
                len(usernames),
            )
            % {"count": len(usernames), "usernames": ", ".join(usernames)},
            messages.SUCCESS,
        )


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(LoginProtectionAdmin):
    """Every wrong password, kept after its count is over (settings.AXES_*)."""

    add_label = _("Add an access failure")

    list_display = ("login_username", "attempt_time", "username_locked_out")

    def has_delete_permission(self, request, obj=None):
        return False  # pruned by age: manage.py axes_reset_failure_logs --age

    def get_actions(self, request):
        return {}

    @admin.display(description=_("username locked out"), boolean=True)
    def username_locked_out(self, failure):
        return failure.locked_out
