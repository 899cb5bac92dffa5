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
# The young generation collected once 7,000 more objects are tracked, not 700. Under
# load the young collections cost the same either way (about 1 ms of CPU a request:
# what they walk is alive until its request ends), but the full collections, which
# came every 72 requests (0.67 ms a request on average), were no longer seen in
# 8,770 requests; a worker's memory grew by 2-3 MB (docs/benchmarks.md, session 46).
gc.set_threshold(7000, 10, 10)
