"""One formatter for every edge, and CSV exports that spreadsheets cannot execute."""

from __future__ import annotations

import csv
import io

import pytest

import advisor.org as org
from advisor.org.present import format_delta, format_number, format_value, safe_cell, to_csv
from advisor.org.types import Metric


@pytest.mark.parametrize(
    "value,unit,text",
    [
        (27.0, "%", "27.0%"),
        (1234567.4, "USD", "$1,234,567"),
        (-500.0, "USD", "-$500"),
        (2.5, "AEs per SDR", "1:2.5"),
        (14.25, "months", "14.2 months"),
        (15.0, "reports per manager", "15 reports"),
        (8.5, "reports per manager", "8.5 reports"),
        (12.0, "people", "12"),
        (5.5, "reps", "5.5"),
        (None, "%", "n/a"),
    ],
)
def test_format_number(value: float | None, unit: str, text: str) -> None:
    assert format_number(value, unit) == text


def test_format_value_in_chinese() -> None:
    metric = Metric(id="avg_tenure_months", value=35.8, unit="months", formula="f")
    assert format_value(metric) == "35.8 months" and format_value(metric, lang="zh") == "35.8 个月"
    assert format_delta(-3.25, "%") == "-3.2pp" and format_delta(2.0, "people") == "+2"


def test_a_change_that_rounds_to_nothing_has_no_sign() -> None:
    assert format_delta(-0.2, "USD") == "$0" and format_delta(-0.01, "%") == "0.0pp"
    assert format_delta(-0.001, "AEs per SDR") == "0.00" and format_delta(-12000, "USD") == "-$12,000"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_quoted(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell
    out = list(csv.reader(io.StringIO(to_csv(["h"], [[cell], [-5]]), newline="")))
    assert out[1] == ["'" + cell] and out[2] == ["-5"]  # numbers stay numbers


def test_public_api_is_importable_from_the_package() -> None:
    for name in org.__all__:
        assert getattr(org, name) is not None
    with pytest.raises(AttributeError):
        org.nothing_here  # noqa: B018
