"""Numbers from a request: one checked parser, no exception whatever is sent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.urls import reverse

from tremplin.core.params import (
    decimal_parse,
    id_list_param,
    id_param_required,
    int_param,
    int_parse,
)


@pytest.mark.parametrize(
    "text",
    ["²", "٣", "\uff11\uff12", "1²", "9" * 5000, "9" * 19, "1e3", "0x1A", "1_000", "", " ", None],
)
def test_anything_but_ascii_digits_is_no_number(text: object) -> None:
    assert int_parse(text) is None


def test_a_number_is_read_within_its_bounds() -> None:
    assert int_parse(" 42 ") == 42
    assert int_parse("-3") == -3
    assert int_parse("-3", min_value=0) is None
    assert int_parse("61", max_value=60) is None
    assert int_parse("9" * 18) == int("9" * 18)


def test_parameters_keep_their_default_and_lists_keep_only_record_numbers() -> None:
    data = QueryDict("call=²&call=7&call=0&call=7&call=" + "9" * 5000 + "&n=x")
    assert id_list_param(data, "call") == [7]
    assert int_param(data, "n", default=20) == 20
    assert int_param(data, "missing") is None
    with pytest.raises(BadRequest):
        id_param_required(data, "n")


@pytest.mark.parametrize("text", ["1e30", "NaN", "inf", "-Infinity", "1" * 31, "٣", "1.2.3", "--1"])
def test_a_decimal_has_no_exponent_and_is_finite(text: str) -> None:
    assert decimal_parse(text) is None


def test_a_decimal_takes_a_comma_its_bounds_and_its_places() -> None:
    assert decimal_parse("12,5") == Decimal("12.5")
    assert decimal_parse("-0") == 0
    assert str(decimal_parse("-0")) == "0"
    assert decimal_parse("100.01", max_value=100) is None
    assert decimal_parse("1.234", decimal_places=2) is None
    assert decimal_parse("-1", min_value=0) is None


@pytest.mark.django_db
def test_a_nul_character_in_a_link_or_a_form_answers_400(client: Any) -> None:
    """PostgreSQL refuses text with a NUL: every view that filtered or saved one was a 500."""
    login = reverse("account_login")
    assert client.get(login).status_code == 200
    assert client.get(login, {"next": "/\x00"}).status_code == 400
    assert client.get(login, {"a\x00": "1"}).status_code == 400
    assert client.post(login, {"login": "a\x00@example.org", "password": "x"}).status_code == 400
