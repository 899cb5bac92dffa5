"""``manage.py load_demo``: load the demo data from the CNRS "International" page."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cnrs_intl.demo import load_demo
from cnrs_intl.demo.loader import demo_already_loaded, load_site_information
from cnrs_intl.models import SiteInformation


class Command(BaseCommand):
    help = (
        "Load the demo data (institutes, joint units, partners, offices, programmes, "
        "Tascmar, key figures, testimonies, the site information), published and in "
        "French and English, into a database that holds none of it. Once loaded, "
        "running it again leaves the data as staff left it (but for the site "
        "information, loaded if the database has none); --reset puts the demo's own "
        "records back as shipped (and recreates those deleted), keeping whatever "
        "else was added."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put every demo record back as shipped, edits and deletions undone.",
        )
        parser.add_argument(
            "--in-production",
            action="store_true",
            help="Load them even with DJANGO_ENV=production (a staging site).",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["in_production"]:
            # Its records are published: they would show on the public site at once.
            raise CommandError(
                "DJANGO_ENV is production: the demo's records, published, would "
                "show on the public site. Pass --in-production to load them anyway "
                "(a staging site)."
            )
        # make demo runs this each time it starts the site: what staff edited or
        # deleted since must survive it.
        if not options["reset"] and demo_already_loaded():
            if not SiteInformation.objects.exists():
                # A demo loaded before the site information existed: the legal
                # notice's facts, which staff cannot have deleted (the admin refuses).
                report = load_demo(loaders=(load_site_information,))
                self.stdout.write(
                    self.style.SUCCESS(f"Site information: {report.summary()}.")
                )
                return
            self.stdout.write(
                self.style.NOTICE(
                    "Demo data already loaded: left as it is "
                    "(load_demo --reset puts the demo's records back as shipped)."
                )
            )
            return
        report = load_demo()
        if options["verbosity"] >= 2:
            for line in report.lines():
                self.stdout.write(f"  {line}")
        style = self.style.SUCCESS if report.changed else self.style.NOTICE
        self.stdout.write(style(f"Demo data: {report.summary()}."))
