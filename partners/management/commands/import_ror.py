"""``manage.py import_ror FILE``: create or update partners from a ROR v2 dump."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from partners.import_errors import error_count, listed_errors, refusal_summary
from partners.ror import open_dump
from partners.services import RorImportError, import_ror


class Command(BaseCommand):
    help = (
        "Create or update partner institutions by ROR id from a ROR v2 data dump "
        "(the JSON file, or the zip ROR publishes). New partners are drafts unless "
        "--publish is given. All or nothing: a malformed file writes nothing, and "
        "every malformed record is named (the first 100). "
        "Running it again on the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A ROR v2 .json file or .zip.")
        parser.add_argument(
            "--country",
            action="append",
            default=[],
            metavar="XX",
            help=(
                "Import only the institutions of this country (ISO 3166 code); "
                "repeat it or separate codes with commas."
            ),
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the partners created (otherwise they are drafts).",
        )

    # In English, as its help and its report, whatever the site's language: the
    # import's messages are translated for the admin's upload page.
    @translation.override("en")
    def handle(self, *args, file, country, publish, **options):
        countries = {code for value in country for code in value.split(",")}
        try:
            with file.open("rb") as handle, open_dump(handle, file.name) as stream:
                report = import_ror(stream, countries or None, publish=publish)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror or exc}") from exc
        except RorImportError as exc:
            if error_count(exc) == 1:
                raise CommandError(f"{file}: {exc} Nothing was imported.") from exc
            # Several records wrong: one a line, under the sentence counting them.
            lines = "".join(f"\n  {line}" for line in listed_errors(exc))
            raise CommandError(f"{file}: {refusal_summary(exc)}{lines}") from exc
        self.stdout.write(self.style.SUCCESS(f"ROR import: {report.summary()}."))
