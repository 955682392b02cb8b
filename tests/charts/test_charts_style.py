"""House-style helpers and the shared argument-docs table."""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

from smsp_analytics import charts
from smsp_analytics.charts import _docs, _style


def test_axis_format_has_units():
    assert _style.axis_format("cost_eur", 5000) == {"tickprefix": "€", "tickformat": ",.0f"}
    assert _style.axis_format("unit_cost_eur", 0.5) == {"tickprefix": "€", "tickformat": ",.2f"}
    assert _style.axis_format("volume")["tickformat"].startswith(",")


PUBLIC = [
    charts.bar_departments,
    charts.update_bars,
    charts.map_departments,
    charts.update_map_colors,
    charts.age_profile,
    charts.gender_split,
    charts.interest_comparison,
    charts.cost_comparison,
    charts.campaign_cost,
    charts.send_windows,
    charts.drift,
]


@pytest.mark.parametrize("func", PUBLIC, ids=lambda f: f.__name__)
def test_docstrings_built_from_shared_table(func):
    doc = func.__doc__
    assert "{parameters}" not in doc
    assert "Parameters\n----------" in doc and ">>> " in doc
    for name in inspect.signature(func).parameters:
        key = f"{func.__name__}.{name}" if f"{func.__name__}.{name}" in _docs.ARG_DOCS else name
        first_words = " ".join(_docs.ARG_DOCS[key].split()[:4])
        assert f"\n{name}" in doc
        assert first_words in " ".join(doc.split()), (func.__name__, name)


def test_undocumented_argument_is_refused():
    def chart(df, not_in_table=1):
        """Summary.

        {parameters}
        """

    with pytest.raises(KeyError, match="not_in_table"):
        _docs.make_docstring(chart)


def test_first_args_follow_plotly_express():
    assert list(inspect.signature(charts.bar_departments).parameters)[:2] == ["df", "y"]
    assert list(inspect.signature(charts.age_profile).parameters)[:3] == ["df", "x", "y"]
    assert list(inspect.signature(charts.gender_split).parameters)[:3] == ["df", "names", "values"]
    sig = inspect.signature(charts.cost_comparison).parameters
    assert sig["color"].kind is inspect.Parameter.KEYWORD_ONLY
    assert sig["facet_col"].kind is inspect.Parameter.KEYWORD_ONLY


@pytest.mark.parametrize(
    "module",
    ["_style", "_mapdraw", "bars", "francemap", "profiles", "scenarios", "campaign", "changes"],
)
def test_docstring_examples_run(module):
    mod = importlib.import_module(f"smsp_analytics.charts.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
