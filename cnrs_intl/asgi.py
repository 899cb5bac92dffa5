"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnrs_intl.settings")
# As in wsgi.py: requests have a time limit on each SQL statement.
os.environ["CNRS_INTL_WEB_PROCESS"] = "1"

application = get_asgi_application()
