"""``manage.py import_cordis``: import the CNRS's grants and projects from CORDIS."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext

from partners.import_errors import error_count, listed_errors, refusal_summary
from programmes.services import CNRS_PIC, CordisImportError, import_cordis


class Command(BaseCommand):
    help = (
        "Create or update, from CORDIS's project.csv and organization.csv, the ERC and "
        "MSCA grants and the collaborative projects in which a participant (the CNRS "
        "by default) takes part, with their other participants (one CORDIS no longer "
        "lists is removed; those staff added are kept). New records are "
        "drafts unless --publish. Running it again changes nothing; on any error "
        "nothing is written, and every wrong line is named (the first 100)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--projects", required=True, metavar="FILE", help="CORDIS project.csv"
        )
        parser.add_argument(
            "--organizations",
            required=True,
            metavar="FILE",
            help="CORDIS organization.csv",
        )
        parser.add_argument(
            "--pic",
            default=CNRS_PIC,
            help=f"EU participant code (nine digits); default {CNRS_PIC}, the CNRS",
        )
        parser.add_argument(
            "--pi",
            metavar="FILE",
            help="ERC principal-investigator file, to name the laureates",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help=(
                "publish the grants and projects created (those already there keep "
                "their status; new partners stay drafts)"
            ),
        )

    # In English, as its help and its report, whatever the site's language: the
    # import's messages are translated for the admin's upload page.
    @translation.override("en")
    def handle(self, *args, **options):
        try:
            report = import_cordis(
                options["projects"],
                options["organizations"],
                options["pic"],
                pi_file=options["pi"],
                publish=options["publish"],
            )
        except (CordisImportError, OSError) as error:
            if error_count(error) > 1:
                # Several lines wrong: one a line, under the sentence counting them.
                lines = "".join(f"\n  {line}" for line in listed_errors(error))
                raise CommandError(f"{refusal_summary(error)}{lines}") from error
            raise CommandError(
                gettext("Nothing was imported. %(error)s") % {"error": error}
            ) from error
        for line in report.lines():
            self.stdout.write(f"  {line}")
        style = self.style.SUCCESS if report.changed else self.style.NOTICE
        self.stdout.write(style(f"CORDIS: {report.summary()}."))
