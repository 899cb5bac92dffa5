"""Staff roles: the groups DERCI staff belong to, and what each may see and change.

The groups are created by a migration (cnrs_intl/migrations) from
``ROLE_PERMISSIONS``; this module is the one place that says what a role means, so
every app's admin asks it rather than testing group names itself. It lives in
``partners``, the first layer, so that every app's admin may import it.
"""

from django.apps import apps as global_apps
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

PUBLISH_PERMISSION = "cnrs_intl.publish_content"

CONTENT_MODELS = (
    "partners.partner",
    "partners.office",
    "partners.agreement",
    "units.institute",
    "units.person",
    "units.unit",
    "units.unitpartnership",
    "units.testimony",
    "programmes.programme",
    "programmes.grant",
    "programmes.project",
    "programmes.projectparticipant",
    "cnrs_intl.keyfigure",
)
ACCOUNT_MODELS = ("auth.user", "auth.group", "cnrs_intl.staffprofile")
# What the site says of itself (its legal notice, its accessibility statement's
# contact and dates): one record, always public, so no draft contributors may change;
# editors and administrators keep it, and no one deletes it (the admin refuses).
SITE_MODELS = ("cnrs_intl.siteinformation",)
# django-axes' records of wrong passwords: administrators read them and unlock a
# username (deleting its attempts under way); the failures kept are not deleted.
LOGIN_PROTECTION = [
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accessfailurelog",
]
# The models edited only as rows of another's form (inlines): a unit's partners, a
# project's participants.
INLINE_ROWS = ("units.unitpartnership", "programmes.projectparticipant")


class Role(TextChoices):
    ADMINISTRATOR = "Administrators", _("Administrators")
    EDITOR = "Editors", _("Editors")
    CONTRIBUTOR = "Contributors", _("Contributors")
    INSTITUTE_ADVISER = "Institute advisers", _("Institute advisers")
    OFFICE_STAFF = "Office staff", _("Office staff")
    READER = "Readers", _("Readers")


def role_label(group_name: str) -> str:
    """Return the role's label in the active language, or the name of another group."""
    return str(Role(group_name).label) if group_name in Role.values else group_name


def permissions(models, actions) -> list[str]:
    """Return ``app_label.action_model`` names, as ``user.has_perm()`` takes them."""
    names = []
    for model in models:
        app_label, model_name = model.split(".")
        names += [f"{app_label}.{action}_{model_name}" for action in actions]
    return names


# The models a scoped role changes, published or not, within its scope (the admin's
# ScopedAdmin): an adviser's institutes, an office's countries.
SCOPED_CHANGES = {
    Role.INSTITUTE_ADVISER.value: ("units.unit", "programmes.grant"),
    Role.OFFICE_STAFF.value: ("partners.partner", "partners.agreement"),
}


ROLE_PERMISSIONS = {
    Role.ADMINISTRATOR: permissions(
        CONTENT_MODELS + ACCOUNT_MODELS, ("add", "change", "delete", "view")
    )
    + permissions(SITE_MODELS, ("add", "change", "view"))
    + [PUBLISH_PERMISSION]
    + LOGIN_PROTECTION,
    Role.EDITOR: permissions(CONTENT_MODELS, ("add", "change", "delete", "view"))
    + permissions(SITE_MODELS, ("add", "change", "view"))
    + [PUBLISH_PERMISSION],
    # Contributors change drafts only (enforced by the admin): no delete, no publish.
    # The rows of a draft's inlines are part of the draft: they may remove them.
    Role.CONTRIBUTOR: permissions(CONTENT_MODELS, ("add", "change", "view"))
    + permissions(INLINE_ROWS, ("delete",))
    + permissions(SITE_MODELS, ("view",)),
    # Limited to the units and grants of their institutes by the admin.
    Role.INSTITUTE_ADVISER: permissions(CONTENT_MODELS + SITE_MODELS, ("view",))
    + permissions(SCOPED_CHANGES[Role.INSTITUTE_ADVISER.value], ("change",))
    + permissions(("units.unitpartnership",), ("add", "change", "delete")),
    # Limited to the partners and agreements of their office's countries by the admin.
    Role.OFFICE_STAFF: permissions(CONTENT_MODELS + SITE_MODELS, ("view",))
    + permissions(SCOPED_CHANGES[Role.OFFICE_STAFF.value], ("change",)),
    Role.READER: permissions(CONTENT_MODELS + SITE_MODELS, ("view",)),
}


def roles_of(user) -> set[str]:
    """Return the names of the user's groups, read once per user object."""
    if not hasattr(user, "_cnrs_roles"):
        user._cnrs_roles = set(user.groups.values_list("name", flat=True))
    return user._cnrs_roles


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def changes_drafts_only(user, model=None) -> bool:
    """Return True when the user may change drafts, not published records, of ``model``.

    A contributor who is also an institute adviser or one of an office's staff
    changes that role's models within its scope, published or not, and drafts only
    of every other model. Without a model (an import of several), drafts only.
    """
    if can_publish(user) or Role.CONTRIBUTOR.value not in roles_of(user):
        return False
    if model is None:
        return True
    label = model._meta.label_lower
    return not any(label in SCOPED_CHANGES.get(role, ()) for role in roles_of(user))


def institute_scope(user) -> set[int] | None:
    """Return the institute ids an institute adviser is limited to, or None for all."""
    if can_publish(user) or Role.INSTITUTE_ADVISER.value not in roles_of(user):
        return None
    profile = getattr(user, "staff_profile", None)
    return set(profile.institutes.values_list("pk", flat=True)) if profile else set()


class CountryScope(frozenset):
    """Country codes, iterated in order.

    A set's order changes between processes (string hashes are salted): the SQL
    made from it, and the dashboard's caches keyed by that SQL, would too.
    """

    def __iter__(self):
        return iter(sorted(frozenset.__iter__(self)))


def country_scope(user) -> CountryScope | None:
    """Return the country codes an office's staff are limited to, or None for all."""
    if can_publish(user) or Role.OFFICE_STAFF.value not in roles_of(user):
        return None
    profile = getattr(user, "staff_profile", None)
    office = profile.office if profile else None
    if office is None:
        return CountryScope()
    return CountryScope(
        {office.country.code, *(country.code for country in office.countries)}
    )


def sync_roles(apps=None, **kwargs) -> None:
    """Create the role groups and give each exactly the permissions listed above.

    Called by a migration and after every ``migrate`` or ``flush`` (post_migrate),
    so the groups always match this module.
    """
    if apps is None:
        apps = global_apps
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    permissions, missing = _role_permissions(permission_model)
    if missing:
        # Inside the migration: permissions are normally created after all
        # migrations; make sure they exist. After a flush or a migrate they do, and
        # one query suffices (the browser tests flush after each test).
        _create_all_permissions(apps)
        permissions, missing = _role_permissions(permission_model)
    # In a migration, an installed app whose tables come later (axes), or a model
    # a later migration adds (cnrs_intl's site information, for 0003_roles), has no
    # permissions yet: they are given after the last migration (post_migrate).
    # An app or a model found nowhere is a typo, still refused below.
    missing -= {
        name
        for name in missing
        if (_has_app(global_apps, name) and not _has_app(apps, name))
        or (_has_model(global_apps, name) and not _has_model(apps, name))
    }
    if missing:
        raise LookupError(f"The roles name unknown permissions: {sorted(missing)}")
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=role.value)
        group.permissions.set(
            [permissions[name] for name in names if name in permissions]
        )


def _has_app(apps, name: str) -> bool:
    """Whether the app of the permission ``name`` ("app_label.codename") has models
    in ``apps``."""
    try:
        apps.get_app_config(name.split(".")[0])
    except LookupError:
        return False
    return True


def _has_model(apps, name: str) -> bool:
    """Whether the model of the permission ``name`` ("app_label.action_model") is
    in ``apps``."""
    app_label, codename = name.split(".")
    _action, _sep, model_name = codename.partition("_")
    try:
        apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return True


def _role_permissions(permission_model) -> tuple[dict[str, int], set[str]]:
    """Return the ids of the permissions the roles list, by "app_label.codename"
    (read in one query), and the names of those that do not exist."""
    wanted = {name for names in ROLE_PERMISSIONS.values() for name in names}
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in permission_model.objects.filter(
            content_type__app_label__in={name.split(".")[0] for name in wanted},
            codename__in={name.split(".")[1] for name in wanted},
        ).values_list("pk", "content_type__app_label", "codename")
    }
    return found, wanted - found.keys()


def _create_all_permissions(apps) -> None:
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # create_permissions skips app configs without a models module.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
