"""``manage.py load_demo``: load the demo data from the CNRS "International" page."""

from django.core.management.base import BaseCommand

from cnrs_intl.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo data (institutes, joint units, partners, offices, programmes, "
        "Tascmar, key figures, testimonies), published and in French and English. "
        "Running it again changes nothing."
    )

    def handle(self, *args, **options):
        report = load_demo()
        if options["verbosity"] >= 2:
            for line in report.lines():
                self.stdout.write(f"  {line}")
        style = self.style.SUCCESS if report.changed else self.style.NOTICE
        self.stdout.write(style(f"Demo data: {report.summary()}."))
