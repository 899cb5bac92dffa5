"""cnrs_intl.backends.postgresql: Django's backend, timestamps read by psycopg's C
loader, with the values Django's own loader gives."""

import datetime

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from django.utils import timezone

from cnrs_intl.backends.postgresql.base import FASTEST_LOADER, timestamp_loader
from partners.models import Partner
from tests.factories import PartnerFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

TIMESTAMPTZ_OID = psycopg.adapters.types["timestamptz"].oid
TIMESTAMPS = [
    "2026-12-04 23:10:07.378986+00",
    "2026-03-29 01:30:00+00",
    "1999-12-31 23:59:59.999999+00",
    "2026-06-01 10:00:00+02",
    "0001-01-01 00:00:00+00",
    "2026-12-04 23:10:07.5-09:30",
]


def test_the_connection_reads_timestamps_with_psycopgs_c_loader():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(
        TIMESTAMPTZ_OID, psycopg.pq.Format.TEXT
    )
    assert loader is timestamp_loader(connection.timezone)
    assert loader.timezone == connection.timezone
    assert FASTEST_LOADER.__module__ == "psycopg_binary._psycopg"  # pyproject's


@pytest.mark.parametrize("zone", [datetime.UTC, None])
@pytest.mark.parametrize("text", TIMESTAMPS)
def test_a_timestamp_is_read_as_djangos_loader_reads_it(text, zone):
    connection.ensure_connection()
    context = connection.connection

    class DjangosLoader(BaseTzLoader):
        timezone = zone

    ours = timestamp_loader(zone)(TIMESTAMPTZ_OID, context).load(text.encode())
    djangos = DjangosLoader(TIMESTAMPTZ_OID, context).load(text.encode())
    assert ours == djangos
    assert ours.tzinfo is djangos.tzinfo


def test_records_keep_their_times():
    moment = datetime.datetime(2026, 12, 4, 23, 10, 7, 378986, tzinfo=datetime.UTC)
    partner = PartnerFactory()
    Partner.objects.filter(pk=partner.pk).update(created=moment)
    created = Partner.objects.values_list("created", flat=True).get(pk=partner.pk)
    assert created == moment
    assert created.tzinfo is datetime.UTC
    assert timezone.is_aware(Partner.objects.get(pk=partner.pk).updated)
