"""WSGI entry point: ``gunicorn cnrs_intl.wsgi``."""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnrs_intl.settings")
# Requests, unlike imports and migrations run by manage.py, have a time limit on
# each SQL statement (DJANGO_STATEMENT_TIMEOUT_MS in settings.py).
os.environ["CNRS_INTL_WEB_PROCESS"] = "1"

application = get_wsgi_application()

# What every request uses, loaded once (the URL table imports every view, the admin
# and the API; no query) and then kept out of the garbage collector's full
# collections, which walked its 135,000 objects each time: 135 ms of a worker's CPU
# every 40 to 55 requests, 38 ms once frozen (docs/benchmarks.md, session 45).
# gunicorn loads the application in each worker (no --preload): each freezes its own.
import_module(settings.ROOT_URLCONF)
gc.freeze()
