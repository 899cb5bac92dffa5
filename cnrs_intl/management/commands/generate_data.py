"""``manage.py generate_data``: a synthetic data set at scale, for load tests.

What is written, and how, is told in ``cnrs_intl.synthetic``. In short: partners,
people, units, grants and projects, published and in both languages, marked
``synthetic``, in one transaction; no history rows. ``--delete`` removes them all.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cnrs_intl.synthetic import (
    Counts,
    Progress,
    SilentProgress,
    SyntheticDataError,
    delete_synthetic,
    generate,
)


class Command(BaseCommand):
    help = (
        "Generate a synthetic data set, marked as synthetic and published in French "
        "and English: by default 1,000,000 partners, 5,000 units, 100,000 grants and "
        "20,000 projects. Running it again adds another set; --delete removes every "
        "synthetic record and nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply every default count (e.g. 0.01 for a hundredth).",
        )
        defaults = Counts()
        for name in ("partners", "units", "grants", "projects"):
            parser.add_argument(
                f"--{name}",
                type=int,
                metavar="N",
                help=f"How many {name} (default {getattr(defaults, name):,} × scale).",
            )
        parser.add_argument(
            "--seed", type=int, default=0, help="The same seed gives the same data."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=10_000,
            help="Rows written per statement (default 10,000).",
        )
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Delete every synthetic record instead of generating.",
        )
        parser.add_argument(
            "--in-production",
            action="store_true",
            help="Generate them even with DJANGO_ENV=production (a load test's site).",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        if settings.PRODUCTION and not (options["in_production"] or options["delete"]):
            # Published at once: they would show on the public site among the real
            # records (--delete takes them away: always allowed).
            raise CommandError(
                "DJANGO_ENV is production: the synthetic records, published, would "
                "show on the public site. Pass --in-production to generate them "
                "anyway (a site for load tests)."
            )
        try:
            if options["delete"]:
                report = delete_synthetic()
                verb = "Deleted"
            else:
                if options["scale"] < 0:
                    raise CommandError("--scale cannot be negative.")
                counts = Counts.scaled(
                    options["scale"],
                    **{
                        name: options[name]
                        for name in ("partners", "units", "grants", "projects")
                    },
                )
                report = generate(
                    counts,
                    seed=options["seed"],
                    batch_size=options["batch_size"],
                    progress=self.progress() if verbosity else SilentProgress(),
                )
                verb = "Generated"
        except SyntheticDataError as error:
            raise CommandError(str(error)) from error
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"{verb} {report.summary()}."))

    def progress(self) -> Progress:
        """Draw the bars on stderr, uncoloured."""

        def write(text: str) -> None:
            self.stderr.write(text, style_func=str, ending="")
            self.stderr.flush()

        return Progress(write, tty=self.stderr.isatty())
