"""Search indexes of units on PostgreSQL (see partners 0005_search_indexes)."""

from django.db import migrations

from partners.pg_indexes import postgresql_indexes, search_text


INDEXES = {
    "unit_search_trgm": "units_unit USING gin ({} gin_trgm_ops)".format(
        search_text("name_fr", "name_en", "acronym", "code", "city_fr", "city_en")
    ),
    "unit_search_french": "units_unit USING gin (to_tsvector('french'::regconfig, {}))".format(
        search_text("description_fr", "themes_fr")
    ),
    "unit_search_english": "units_unit USING gin (to_tsvector('english'::regconfig, {}))".format(
        search_text("description_en", "themes_en")
    ),
    # Grants are searched by their laureate's name (GrantQuerySet.related_text_fields).
    "person_search_trgm": "units_person USING gin ({} gin_trgm_ops)".format(
        search_text("first_name", "last_name")
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0002_synthetic_flag"),
        ("partners", "0005_search_indexes"),  # immutable_unaccent()
    ]

    operations = [postgresql_indexes(INDEXES)]
