"""Static checks of the templates."""

from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[1] / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_short_comments_stay_on_one_line(template):
    # Django ends {# … #} at the line's end: the rest of a longer one reaches the
    # page as text (a list with text between its items fails the axe checks).
    for number, line in enumerate(template.read_text().splitlines(), start=1):
        if "{#" in line:
            assert "#}" in line.split("{#", 1)[1], f"{template}:{number}"
