"""``manage.py load_institutes``: the ten CNRS institutes, for a new database."""

from django.core.management.base import BaseCommand
from django.db import transaction

from units.institutes import CNRS_INSTITUTES
from units.models import Institute


class Command(BaseCommand):
    help = (
        "Create the CNRS institutes missing from the database (the ten, by code, "
        "named in French and English): every joint unit is led by one, so staff "
        "cannot add a unit before. Those already there are left as staff keep them. "
        "Safe in production: they are the CNRS's own, not demo data."
    )

    def handle(self, *args, **options):
        rows = list(Institute.objects.values_list("code", "slug"))
        codes, slugs = {code for code, _ in rows}, {slug for _, slug in rows}
        created, taken = [], []
        with transaction.atomic():
            for row in CNRS_INSTITUTES:
                if row["code"] in codes:
                    continue
                if row["slug"] in slugs:  # another record's address: staff choose
                    taken.append(row["code"])
                    continue
                created.append(Institute.objects.create(**row).code)
        if taken:
            self.stderr.write(
                f"Not created, their address taken by another institute: "
                f"{', '.join(taken)}."
            )
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {len(created)} institutes: {', '.join(created)}."
                )
            )
        elif not taken:
            self.stdout.write(
                self.style.NOTICE(
                    f"The {len(CNRS_INSTITUTES)} institutes are already there."
                )
            )
