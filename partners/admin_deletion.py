"""The delete confirmation pages: the records a deletion deletes, named in words.

Django names each record "Kind: name", writing the colon alike in every language,
and a row of a many-to-many table it makes by its class and id: "Project_units
object (12)". Here a row of such a table is named as the link it is between its two
records, which the deletion removes while both records stay: "Joint unit–project
link: JRL (IRL 3218) – Tascmar", its records read with the rows.
"""

from django.contrib.admin.utils import NestedObjects, quote
from django.db import models, router
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext


class LinkCollector(NestedObjects):
    """Django's collector of what a deletion deletes, for its confirmation page,
    reading the two records of each row of a many-to-many table Django makes with
    the rows (``link_relations``): one query per table, not two per row."""

    def related_objects(self, related_model, related_fields, objs):
        rows = super().related_objects(related_model, related_fields, objs)
        if related_model._meta.auto_created:
            rows = rows.select_related(*link_relations(related_model))
        return rows


def link_ends(link, first=None) -> list[models.ForeignKey]:
    """Return the two foreign keys of ``link``, a many-to-many table Django makes:
    the one to the model ``first`` first, if either is, else in the table's order
    (the model of the field first)."""
    ends = [field for field in link._meta.concrete_fields if field.many_to_one]
    return sorted(ends, key=lambda end: end.related_model is not first)


def link_relations(link) -> list[str]:
    """Return what naming a row of ``link`` reads: its two records, and for each the
    records it cannot lack, which its name may show (a staff profile's user, a
    permission's content type)."""
    names = []
    for end in link_ends(link):
        names.append(end.name)
        names += [
            f"{end.name}__{field.name}"
            for field in end.related_model._meta.concrete_fields
            if field.is_relation and not field.null
        ]
    return names


def link_kind(link, first=None, *, plural=False) -> str:
    """Name the rows of ``link`` by the kinds of the records they link:
    "Joint unit–project link", the kind of ``first`` first."""
    one, other = (
        end.related_model._meta.verbose_name for end in link_ends(link, first)
    )
    text = gettext("{one}–{other} links") if plural else gettext("{one}–{other} link")
    return capfirst(text.format(one=one, other=other))


class DeletionNamesAdmin:
    """A model admin whose delete confirmation pages, the record's and the "delete
    selected" action's, name what the deletion deletes in the language's typography
    ("Témoignage : …" in French), the rows of Django's many-to-many tables as the
    links they are, and the records that prevent it by where staff can change them.
    """

    def get_deleted_objects(self, objs, request):
        """Django's (admin.utils.get_deleted_objects, 5.2), but each record named
        by ``record_name`` and each link by ``link_name``."""
        try:
            first = objs[0]
        except IndexError:
            return [], {}, set(), []
        model = first._meta.concrete_model
        collector = LinkCollector(using=router.db_for_write(model), origin=objs)
        collector.collect(objs)
        perms_needed = set()

        def named(obj):
            if obj._meta.auto_created:
                return self.link_name(obj, model, request)
            if self.admin_site.is_registered(type(obj)) and not (
                self.admin_site.get_model_admin(type(obj)).has_delete_permission(
                    request, obj
                )
            ):
                perms_needed.add(obj._meta.verbose_name)
            return self.record_name(obj)

        deleted = collector.nested(named)
        for obj in collector.protected:
            named(obj)  # as Django: a protecting record's permission is asked too
        # Django names a protecting record that has no page of its own by itself
        # alone: "Project participant: Monash University – Participant", not in
        # which project. Named here with the record whose page holds it.
        deleted_keys = {(type(obj), obj.pk) for obj in objs}
        protected = [
            self.protecting_record(obj, deleted_keys) for obj in collector.protected
        ]
        model_count = {
            (
                link_kind(kind, model, plural=True)
                if kind._meta.auto_created
                else kind._meta.verbose_name_plural
            ): len(records)
            for kind, records in collector.model_objs.items()
        }
        return deleted, model_count, perms_needed, protected

    def record_name(self, obj) -> str:
        """Name ``obj`` by its kind, with a link to its page if it has one."""
        return format_html(
            # French puts a no-break space before the colon.
            gettext("{kind}: {record}"),
            kind=capfirst(obj._meta.verbose_name),
            record=self.linked_name(obj),
        )

    def link_name(self, link, first=None, request=None) -> str:
        """Name ``link``, a row of a many-to-many table Django makes, as the link
        between its two records, that of the model ``first`` first, each with a
        link to its page if it has one: "Joint unit–project link: JRL (IRL 3218) –
        Tascmar". A record whose admin ``request``'s user may not view is named by
        its kind alone (an editor deleting an institute, a staff member's profile).
        """
        ends = link_ends(type(link), first)
        return format_html(
            gettext("{kind}: {record}"),
            kind=link_kind(type(link), first),
            record=format_html_join(
                " – ",
                "{}",
                (
                    (self.link_end_name(getattr(link, end.name), request),)
                    for end in ends
                ),
            ),
        )

    def link_end_name(self, obj, request) -> str:
        """``obj``'s name in a link's, or its kind's if the user may not view it."""
        if request is not None and self.admin_site.is_registered(type(obj)):
            model_admin = self.admin_site.get_model_admin(type(obj))
            if not model_admin.has_view_or_change_permission(request, obj):
                return gettext("%(kind)s (not shown)") % {
                    "kind": obj._meta.verbose_name
                }
        return self.linked_name(obj)

    def linked_name(self, obj) -> str:
        """``obj``'s name, as a link to its page if it has one."""
        url = self.change_url(obj)
        return format_html('<a href="{}">{}</a>', url, obj) if url else obj

    def protecting_record(self, obj, deleted_keys) -> str:
        """Name ``obj``, a record that prevents the deletion, with a link to the
        page where staff can change it: its own, or its parent record's."""
        if self.change_url(obj):
            return self.record_name(obj)
        for field in obj._meta.concrete_fields:
            if not field.many_to_one:
                continue
            parent = getattr(obj, field.name)
            if parent is None or (type(parent), parent.pk) in deleted_keys:
                continue
            if url := self.change_url(parent):
                return format_html(
                    gettext("{kind}: {record} ({link})"),
                    kind=capfirst(obj._meta.verbose_name),
                    record=obj,
                    link=format_html(
                        '{} <a href="{}">{}</a>', parent._meta.verbose_name, url, parent
                    ),
                )
        return self.record_name(obj)

    def change_url(self, obj) -> str | None:
        """The admin page of ``obj``, if it has one."""
        if not self.admin_site.is_registered(type(obj)):
            return None
        opts = obj._meta
        try:
            return reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=(quote(obj.pk),),
            )
        except NoReverseMatch:  # an admin without change pages
            return None
