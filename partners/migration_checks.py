"""What a migration checks before it adds a rule that existing rows may break."""

from django.core.management.base import CommandError

# Enough to start correcting; the count says how many more.
ROWS_NAMED = 20


def refuse_rows_breaking(migration: str, rule: str, rows: list[str]) -> None:
    """Stop ``migration`` when ``rows`` (each named as staff find it in the admin)
    break ``rule``: adding the constraint would fail on them with the database's
    bare IntegrityError, which names neither the rule nor the records."""
    if not rows:
        return
    named = "\n".join(f"  - {row}" for row in rows[:ROWS_NAMED])
    if len(rows) > ROWS_NAMED:
        named += f"\n  … and {len(rows) - ROWS_NAMED} more"
    raise CommandError(
        f"Migration {migration} adds the rule “{rule}”, which {len(rows)} existing "
        f"record(s) break:\n{named}\n"
        "Correct them in the admin, then run migrate again: nothing was changed."
    )
