import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners.models import latest_plausible_year
from tests.admin_forms import form_data
from tests.factories import KeyFigureFactory

pytestmark = pytest.mark.django_db


def test_a_key_figure_year_may_be_a_few_years_ahead():
    figure = KeyFigureFactory(year=latest_plausible_year())

    figure.full_clean()


@pytest.mark.parametrize("year", [99_999_999, 2100])
def test_a_key_figure_year_far_ahead_is_refused(year):
    figure = KeyFigureFactory(year=2017)
    figure.year = year

    with pytest.raises(ValidationError) as error:
        figure.full_clean()

    assert list(error.value.message_dict) == ["year"]


def test_the_admin_refuses_a_key_figure_year_far_ahead(admin_client):
    figure = KeyFigureFactory(year=2017)
    url = reverse("admin:cnrs_intl_keyfigure_change", args=(figure.pk,))
    data = form_data(admin_client.get(url))

    response = admin_client.post(url, {**data, "year": "99999999"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["year"]
    figure.refresh_from_db()
    assert figure.year == 2017
