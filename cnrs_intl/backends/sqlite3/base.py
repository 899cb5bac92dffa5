"""Django's SQLite backend, whose table changes keep the triggers that name the table.

SQLite changes most of a table's columns and constraints by remaking the table (a
new table, the rows copied, the old one dropped, the new one renamed: Django's
``_remake_table``). The table's own triggers go with the old table, and the renaming
fails on other tables' triggers that name it ("error in trigger
participant_partner_country_insert: no such table: main.partners_partner"): a
migration that remade ``partners_partner`` after programmes 0012 had added its
triggers could not be applied to a demo database. The triggers are set aside
before, and made again after, as written.
"""

from django.db.backends.sqlite3 import base, schema


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def _remake_table(
        self, model, create_field=None, delete_field=None, alter_fields=None
    ):
        triggers = self._triggers_naming(model._meta.db_table)
        for name, _sql in triggers:
            self.execute(f"DROP TRIGGER {self.quote_name(name)}", None)
        super()._remake_table(
            model,
            create_field=create_field,
            delete_field=delete_field,
            alter_fields=alter_fields,
        )
        for _name, sql in triggers:
            self.execute(sql, None)

    def _triggers_naming(self, table: str) -> list[tuple[str, str]]:
        """Return the (name, SQL) of the triggers on ``table`` or naming it."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND (tbl_name = %s OR instr(sql, %s) > 0) ORDER BY name",
                [table, table],
            )
            return cursor.fetchall()


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
