import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_and_french(settings):
    """Hash passwords cheaply and start every test in French, the default language."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("fr"):
        yield
