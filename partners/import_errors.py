"""The errors of a registry's file (ROR, CORDIS), gathered to be listed at once.

An import reads on after a bad record or line, to name every one: staff fix the file
once, not once per error. What it keeps is bounded: the first ``ERRORS_LISTED``
errors, and how many others, so that a wholly wrong file of a hundred thousand
records neither fills the memory nor makes a page no one reads. A file that cannot
be read on (not JSON, cut short, the wrong columns) stops the reading at once.
"""

from django.utils.translation import ngettext

ERRORS_LISTED = 100


class SeveralErrors:
    """An import's refusal of a file holding several errors (its exception class's
    mixin: ``RorImportErrors``, ``CordisImportErrors``).

    ``errors`` are the errors listed, in the order found; ``more`` how many others.
    """

    def __init__(self, errors: list[Exception], more: int = 0):
        self.errors = list(errors)
        self.more = more
        # The import's exception class reads as its errors, one a line.
        Exception.__init__(self, "\n".join(listed_errors(self)))

    @property
    def count(self) -> int:
        return len(self.errors) + self.more


class ErrorList:
    """The errors found in a file so far: the first ``limit`` kept, the others
    counted."""

    def __init__(self, limit: int = ERRORS_LISTED):
        self.limit = limit
        self.listed: list[Exception] = []
        self.count = 0

    def __bool__(self) -> bool:
        return self.count > 0

    def add(self, error: Exception) -> None:
        self.count += 1
        if len(self.listed) < self.limit:
            # Its traceback would keep the frames of the reading alive (a record,
            # a batch) until the end of the import.
            self.listed.append(error.with_traceback(None))

    def refusal(self, several: type[SeveralErrors]) -> Exception:
        """Return the exception that refuses the file: its error, if it has one, or
        ``several`` listing them."""
        if self.count == 1:
            return self.listed[0]
        return several(self.listed, self.count - len(self.listed))


def refusal_summary(refusal: Exception) -> str:
    """Return the sentence that opens the list of a refusal's several errors."""
    count = error_count(refusal)
    return ngettext(
        "Nothing was imported. %(count)d error was found:",
        "Nothing was imported. %(count)d errors were found:",
        count,
    ) % {"count": count}


def error_messages(refusal: Exception) -> list[str]:
    """Return the messages of the errors an import's ``refusal`` lists."""
    errors = getattr(refusal, "errors", None)
    if errors is None:  # one error
        return [str(refusal)]
    return [str(error) for error in errors]


def more_errors(refusal: Exception) -> str:
    """Return the line saying how many errors a refusal counts but does not list,
    or "" if it lists them all."""
    more = getattr(refusal, "more", 0)
    if not more:
        return ""
    return ngettext(
        "… and %(count)d more error.", "… and %(count)d more errors.", more
    ) % {"count": more}


def listed_errors(refusal: Exception) -> list[str]:
    """Return the messages of an import's ``refusal``, one per error, the last
    saying how many more there are, if any."""
    more = more_errors(refusal)
    return error_messages(refusal) + ([more] if more else [])


def error_count(refusal: Exception) -> int:
    """Return how many errors an import's ``refusal`` counts."""
    return getattr(refusal, "count", 1)
