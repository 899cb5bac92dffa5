"""Demo data drawn from the CNRS "International" page, and the code that loads it.

``load_demo()`` is what ``manage.py load_demo`` runs; tests call it too.
"""

from cnrs_intl.demo.loader import LoadReport, load_demo

__all__ = ["LoadReport", "load_demo"]
