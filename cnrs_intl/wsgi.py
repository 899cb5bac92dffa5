"""WSGI entry point: ``gunicorn cnrs_intl.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnrs_intl.settings")
# Requests, unlike imports and migrations run by manage.py, have a time limit on
# each SQL statement (DJANGO_STATEMENT_TIMEOUT_MS in settings.py).
os.environ["CNRS_INTL_WEB_PROCESS"] = "1"

application = get_wsgi_application()
