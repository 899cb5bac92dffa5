"""The demo data: ``manage.py load_demo`` and ``manage.py ensure_demo_staff``."""

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest

from cnrs_intl.demo import load_demo
from cnrs_intl.models import KeyFigure
from partners.models import Office, Partner
from partners.publication import PublicationStatus
from units.models import Unit

pytestmark = pytest.mark.django_db


def run(command: str, *args, **options) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict:
    """Row count of every model, and the ``updated`` stamp of every timestamped row."""
    state = {}
    for model in apps.get_models():
        rows = model._default_manager.all()
        state[model._meta.label] = rows.count()
        if any(f.name == "updated" for f in model._meta.concrete_fields):
            state[f"{model._meta.label}.updated"] = sorted(
                rows.values_list("pk", "updated")
            )
    return state


@pytest.fixture
def demo():
    run("load_demo")


# --- Idempotence ----------------------------------------------------------------------


def test_loading_twice_changes_nothing():
    first = run("load_demo")
    before = snapshot()
    second = run("load_demo")
    third = run("load_demo", reset=True)

    assert snapshot() == before
    assert "Demo data: 0 created" not in first
    assert "Demo data already loaded: left as it is" in second
    assert "Demo data: 0 created, 0 updated, " in third


def test_loading_again_keeps_what_staff_edited_deleted_and_added(demo):
    """make demo runs load_demo whenever it starts the site: staff lose nothing."""
    jrl = Unit.objects.get(slug="jrl")
    jrl.city_en = "Somewhere else"
    jrl.save()
    Office.objects.get(slug="tokyo").delete()
    added = Partner.objects.create(name_fr="Université de Tartu", slug="tartu")
    before = snapshot()

    output = run("load_demo")

    assert "already loaded" in output
    assert snapshot() == before
    jrl.refresh_from_db()
    assert jrl.city_en == "Somewhere else"
    assert not Office.objects.filter(slug="tokyo").exists()
    assert Partner.objects.filter(pk=added.pk).exists()

    assert "1 created, 1 updated" in run("load_demo", reset=True)
    jrl.refresh_from_db()
    assert jrl.city_en == "Tsukuba"
    assert Office.objects.filter(slug="tokyo").exists()
    assert Partner.objects.filter(pk=added.pk).exists()  # not the demo's: kept


def test_loading_again_restores_an_edited_value_and_touches_nothing_else(demo):
    jrl = Unit.objects.get(slug="jrl")
    jrl.city_en = "Somewhere else"
    jrl.save()
    before = snapshot()

    report = load_demo()

    assert report.total("updated") == 1
    assert report.total("created") == 0
    jrl.refresh_from_db()
    assert jrl.city_en == "Tsukuba"
    after = snapshot()
    changed = [key for key in before if before[key] != after[key]]
    # The unit's timestamp, and one more version of it, which keeps its partners.
    assert sorted(changed) == [
        "units.HistoricalUnit",
        "units.HistoricalUnit.updated",
        "units.HistoricalUnit_partners",
        "units.Unit.updated",
    ]


def test_a_reworded_key_figure_replaces_the_one_loaded_under_its_former_label(demo):
    # A database loaded before "environ" left the label ("4 000 chercheurs…
    # étrangers environ"): --reset rewords it, and makes no second figure.
    former = (
        "chercheurs, doctorants et post-doctorants étrangers environ dans les "
        "laboratoires français du CNRS"
    )
    KeyFigure.objects.filter(value=4000).update(label_fr=former, approximation="")
    count = KeyFigure.objects.count()

    run("load_demo", reset=True)

    assert KeyFigure.objects.count() == count
    figure = KeyFigure.objects.get(value=4000)
    assert figure.label_fr.startswith("chercheurs, doctorants et post-doctorants")
    assert "environ" not in figure.label_fr
    assert figure.approximation == "nearly"
    assert "Demo data: 0 created, 0 updated, " in run("load_demo", reset=True)


def test_reset_gives_units_loaded_under_their_umi_code_their_irl_code(demo):
    # A database loaded when the demo gave "UMI 3218" (renamed IRL in 2020): --reset
    # updates the unit in place, by its slug, and its address stays /units/jrl/.
    Unit.objects.filter(slug="jrl").update(code="UMI 3218", predecessor_code="")
    count = Unit.objects.count()

    run("load_demo", reset=True)

    jrl = Unit.objects.get(slug="jrl")
    assert (jrl.code, jrl.predecessor_code) == ("IRL 3218", "UMI 3218")
    assert Unit.objects.count() == count
    assert jrl.get_absolute_url().endswith("/units/jrl/")


# --- ensure_demo_staff ----------------------------------------------------------------


def test_ensure_demo_staff_twice_keeps_one_working_account(client, monkeypatch):
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.delenv("DEMO_ADMIN_URL", raising=False)
    first = run("ensure_demo_staff")
    second = run("ensure_demo_staff")

    User = get_user_model()
    assert User.objects.count() == 1
    user = User.objects.get()
    assert (user.username, user.is_staff, user.is_superuser) == ("derci", True, True)
    expected = (
        "Staff login: http://127.0.0.1:8000/admin/  user: derci  password: derci-demo"
    )
    assert expected in first and expected in second
    # With a request, which django-axes counts logins by.
    assert client.login(request=HttpRequest(), username="derci", password="derci-demo")


def test_ensure_demo_staff_prints_the_port_the_demo_serves_on(monkeypatch):
    # make demo PORT=8765 serves on 8765: the login printed said 8000.
    monkeypatch.delenv("DEMO_ADMIN_URL", raising=False)
    monkeypatch.setenv("PORT", "8765")

    assert "Staff login: http://127.0.0.1:8765/admin/  user:" in run(
        "ensure_demo_staff"
    )


def test_ensure_demo_staff_prints_the_admin_url_given_before_the_port(monkeypatch):
    monkeypatch.setenv("PORT", "8765")
    monkeypatch.setenv("DEMO_ADMIN_URL", "https://demo.example.org/admin/")

    assert "Staff login: https://demo.example.org/admin/  user:" in run(
        "ensure_demo_staff"
    )
    assert "Staff login: http://127.0.0.1:9000/admin/  user:" in run(
        "ensure_demo_staff", "--admin-url", "http://127.0.0.1:9000/admin/"
    )


def test_make_demo_gives_its_port_to_the_login_it_prints():
    recipe = (Path(__file__).parents[2] / "Makefile").read_text().split("\ndemo:")[1]
    recipe = recipe.split("\n\n")[0]

    assert "PORT=$(PORT) $(PY) manage.py ensure_demo_staff" in recipe
    assert "runserver 127.0.0.1:$(PORT)" in recipe


def test_ensure_demo_staff_resets_the_password_it_prints(client, monkeypatch):
    monkeypatch.setenv("DEMO_STAFF_USERNAME", "office")
    run("ensure_demo_staff", "--password", "first-pass")
    output = run("ensure_demo_staff", "--password", "second-pass")

    assert "user: office  password: second-pass" in output
    assert get_user_model().objects.filter(username="office").count() == 1
    assert not client.login(
        request=HttpRequest(), username="office", password="first-pass"
    )
    assert client.login(
        request=HttpRequest(), username="office", password="second-pass"
    )


def test_ensure_demo_staff_refuses_the_public_password_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        run("ensure_demo_staff")
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_production_loads_the_demo_only_when_asked(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="--in-production"):
        call_command("load_demo", stdout=StringIO())
    assert not Unit.objects.exists()
    call_command("load_demo", in_production=True, stdout=StringIO())
    assert Unit.objects.filter(publication_status=PublicationStatus.PUBLISHED).exists()
