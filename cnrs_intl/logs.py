"""Logging filters of the settings' LOGGING."""

import logging


class WithoutTraceback(logging.Filter):
    """Keep a record's message and drop its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True
