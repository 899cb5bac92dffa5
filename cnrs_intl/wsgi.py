"""WSGI entry point: ``gunicorn cnrs_intl.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnrs_intl.settings")

application = get_wsgi_application()
