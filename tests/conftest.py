import pytest
from django.core.cache import cache
from django.utils import translation

from cnrs_intl.page_cache import forget_recent_pages
from partners.caching import forget_recent_version


@pytest.fixture(autouse=True)
def _fast_and_french(settings):
    """Hash passwords cheaply and start every test in French, the default language."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test starts with an empty cache: no page cached by an earlier test, not
    # even in a live server's own store of recent pages.
    cache.clear()
    forget_recent_version()
    forget_recent_pages()
    with translation.override("fr"):
        yield


@pytest.fixture
def uncached(settings):
    """Pages and API answers built each time, as the query counts measure views."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def unit_with_relations(db):
    """A unit with a host, a partner institution and a secondary institute, written
    in one edit (one version holding its relations)."""
    from partners.history import one_version_per_edit
    from tests.factories import InstituteFactory, UnitFactory, UnitPartnershipFactory
    from units.models import PartnerRole

    with one_version_per_edit():
        unit = UnitFactory()
        UnitPartnershipFactory(unit=unit, role=PartnerRole.HOST, order=0)
        UnitPartnershipFactory(unit=unit, role=PartnerRole.PARTNER, order=1)
        unit.secondary_institutes.add(InstituteFactory(code="INSU"))
    return unit
