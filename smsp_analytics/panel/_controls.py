"""The panel's input widgets and how they map to a :class:`~smsp_analytics.targeting.Targeting`.

Only widgets and pure helpers here: no API calls, no figures. The panel observes
:attr:`Controls.widgets` and calls :meth:`Controls.targeting` to read them.

>>> import pandas as pd
>>> cats = pd.DataFrame({"id": [14, 35], "name": ["Habitation", "Cuisine"],
...                      "parent_id": [None, 14]})
>>> c = Controls(cats)
>>> c.widgets["zipcodes"].value = "60200, 02200"
>>> c.targeting().zipcodes
('60200', '02200')
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as w
import pandas as pd

from smsp_analytics import refdata
from smsp_analytics.display import department_label
from smsp_analytics.i18n import N_, _, get_lang
from smsp_analytics.targeting import Targeting

__all__ = ["Controls", "category_tree", "parse_zipcodes", "FIELD_LABELS"]

#: Targeting field (as named by TargetingError.field) -> the label of its control (English
#: msgid: show it with ``_(FIELD_LABELS[field])``).
FIELD_LABELS: dict[str, str] = {
    "gender": N_("Gender"),
    "age": N_("Age"),
    "interest": N_("Interest"),
    "sub_interest": N_("Sub-interest"),
    "category": N_("CSP"),
    "departments": N_("Departments"),
    "zipcodes": N_("Zip codes"),
    "volumes": N_("Volume to rent"),
    "parameters": N_("Targeting"),
}
# Option value meaning "no filter": a Dropdown reads value None as "nothing selected", so
# None cannot be an option's value.
ALL = "__all__"
_DEFAULT_INTEREST = 14  # Habitation: one of the ids the vendor documents, so real everywhere


def label_style() -> dict[str, str]:
    """Room for the longest control label in the language in force ("Sub-interest",
    "Codes postaux")."""
    return {"description_width": "110px" if get_lang() == "fr" else "90px"}


def category_tree(
    frame: pd.DataFrame,
) -> tuple[list[tuple[str, int]], dict[int, list[tuple[str, int]]]]:
    """Main interests and the sub-interests of each, as Dropdown options ``(label, id)``.

    ``frame``: the client's ``categories()`` (columns ``id``, ``name``, ``parent_id`` and
    optionally ``synthetic``). Synthetic names get a ``*`` so the analyst sees them. Names
    are the vendor's, in French whatever the language.

    >>> mains, subs = category_tree(pd.DataFrame({"id": [14, 35], "name": ["H", "C"],
    ...                                           "parent_id": [None, 14]}))
    >>> mains, subs[14]
    ([('H (14)', 14)], [('C (35)', 35)])
    """
    mains: list[tuple[str, int]] = []
    subs: dict[int, list[tuple[str, int]]] = {}
    synthetic = frame["synthetic"] if "synthetic" in frame else pd.Series(False, index=frame.index)
    for cid, name, parent, synth in zip(frame["id"], frame["name"], frame["parent_id"], synthetic):
        label = f"{name} ({int(cid)})" + (" *" if bool(synth) else "")
        if parent is None or pd.isna(parent):
            mains.append((label, int(cid)))
        else:
            subs.setdefault(int(parent), []).append((label, int(cid)))
    return mains, subs


def parse_zipcodes(text: str) -> tuple[str, ...]:
    """Zip codes typed by the analyst: separated by commas, semicolons or spaces.

    No validation here (the Targeting does it and names the field).

    >>> parse_zipcodes(" 60200,02200 ;75001  ")
    ('60200', '02200', '75001')
    """
    return tuple(z for z in re.split(r"[\s,;]+", text or "") if z)


def _fold(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


class Controls:
    """All input widgets of the panel, in :attr:`widgets` (name -> widget).

    Departments are picked in a multi-select whose options are filtered by the region
    dropdown and the search box; the departments already selected always stay among the
    options, so filtering never drops a selection.

    Which departments are targeted (:meth:`targeted_departments`):

    - a region chosen targets all its departments at once, nothing else to press;
    - departments selected within that region narrow it to them;
    - departments selected outside it are kept and counted too (a selection is never
      dropped silently, and what is highlighted in the list is always targeted);
    - "All regions" targets just the selected departments, or all of France when none
      is selected (clearing the region undoes it, keeping what was picked by hand);
    - the search box only filters the list: it never changes the targeting.
    """

    def __init__(self, categories: pd.DataFrame) -> None:
        # Labels are words of the language in force when the controls are built.
        desc = label_style()
        # Kept: the interest's observer may run outside the panel's language block.
        self._all_subs = _("All sub-interests")
        self.mains, self.subs = category_tree(categories)
        if not self.mains:
            raise ValueError("the categories frame holds no main interest")
        deps = refdata.departments()
        self._deps = deps
        interest_ids = [i for _, i in self.mains]
        first = _DEFAULT_INTEREST if _DEFAULT_INTEREST in interest_ids else interest_ids[0]
        regions = sorted(set(deps["region_name"]))
        # Each panel's own: a widget made at import would outlive the panels (and the
        # kernel's comms) that share it.
        auto = w.Layout(width="auto")
        self.widgets: dict[str, w.Widget] = {
            "gender": w.ToggleButtons(
                options=[(_("Mixed"), "m"), (_("Men"), "h"), (_("Women"), "f")],
                value="m",
                description=_(FIELD_LABELS["gender"]),
                style={"button_width": "70px", **desc},
            ),
            "age": w.IntRangeSlider(
                value=(18, 98),
                min=18,
                max=98,
                step=1,
                style=desc,
                description=_(FIELD_LABELS["age"]),
                continuous_update=False,
                layout=w.Layout(width="420px"),
            ),
            "interest": w.Dropdown(
                options=self.mains, value=first, style=desc, description=_(FIELD_LABELS["interest"])
            ),
            "sub_interest": w.Dropdown(
                options=self._sub_options(first),
                value=ALL,
                style=desc,
                description=_(FIELD_LABELS["sub_interest"]),
            ),
            "category": w.ToggleButtons(
                options=[(_("All"), ALL), ("CSP+", 102), ("CSP-", 103)],
                value=ALL,
                description=_(FIELD_LABELS["category"]),
                style={"button_width": "60px", **desc},
            ),
            # Region names are INSEE's, in French whatever the language.
            "region": w.Dropdown(
                options=[(_("All regions"), ALL)] + [(r, r) for r in regions],
                value=ALL,
                style=desc,
                description=_("Region"),
            ),
            "search": w.Text(
                value="",
                placeholder=_("name or code, e.g. Oise or 60"),
                style=desc,
                description=_("Search"),
                continuous_update=True,
            ),
            "departments": w.SelectMultiple(
                options=[],
                value=(),
                style=desc,
                description=_(FIELD_LABELS["departments"]),
                rows=8,
                layout=w.Layout(width="420px"),
            ),
            "select_shown": w.Button(description=_("Select all shown"), layout=auto),
            "clear_departments": w.Button(description=_("Clear"), layout=auto),
            "zipcodes": w.Text(
                value="",
                placeholder=_("e.g. 60200, 02200"),
                style=desc,
                description=_(FIELD_LABELS["zipcodes"]),
                continuous_update=False,
            ),
        }
        self._listeners: list[Callable[[dict[str, Any]], None]] = []
        self._quiet = 0
        self._filter_departments()
        self.widgets["interest"].observe(self._on_interest, names="value")
        for name in self.TARGETING_WIDGETS:
            self.widgets[name].observe(self._forward, names="value")
        self.widgets["region"].observe(lambda _: self._filter_departments(), names="value")
        # After the filter: listeners read a region whose list is already up to date.
        self.widgets["region"].observe(self._forward, names="value")
        self.widgets["search"].observe(lambda _: self._filter_departments(), names="value")
        self.widgets["select_shown"].on_click(lambda _: self.select_shown())
        self.widgets["clear_departments"].on_click(lambda _: self.set_departments(()))

    # -- names of the widgets whose change means a new targeting
    TARGETING_WIDGETS = (
        "gender",
        "age",
        "interest",
        "sub_interest",
        "category",
        "departments",
        "zipcodes",
    )

    def on_change(self, callback: Callable[[dict[str, Any]], None]) -> None:
        """Call ``callback(change)`` when the targeting the widgets describe may change."""
        self._listeners.append(callback)

    def _forward(self, change: dict[str, Any]) -> None:
        if not self._quiet:
            for callback in self._listeners:
                callback(change)

    @contextmanager
    def _departments_update(self) -> Iterator[w.SelectMultiple]:
        """Change the multi-select's options and value as one step.

        Why: assigning ``options`` resets a SelectMultiple's value to ``()``; listeners
        must not see that transient empty selection (it would fire a nationwide request).
        They hear once, at the end, if the selection really changed.
        """
        box = self.widgets["departments"]
        before = tuple(box.value)
        self._quiet += 1
        try:
            yield box
        finally:
            self._quiet -= 1
        if tuple(box.value) != before:
            self._forward(
                {
                    "name": "value",
                    "owner": box,
                    "old": before,
                    "new": tuple(box.value),
                    "type": "change",
                }
            )

    def _sub_options(self, interest: int) -> list[tuple[str, int | str]]:
        return [(self._all_subs, ALL), *self.subs.get(interest, [])]

    def _on_interest(self, change: dict[str, Any]) -> None:
        # Why: a sub-interest of another interest would be refused (code 61); reset it.
        # Quiet: the interest's own change already tells the listeners (one request, not two).
        sub = self.widgets["sub_interest"]
        self._quiet += 1
        try:
            sub.options = self._sub_options(change["new"])
            sub.value = ALL
        finally:
            self._quiet -= 1

    def shown_departments(self) -> list[str]:
        """Codes matching the region and the search box (before adding the selection)."""
        deps = self._deps
        region = self.widgets["region"].value
        if region != ALL:
            deps = deps[deps["region_name"] == region]
        needle = _fold(self.widgets["search"].value.strip())
        if needle:
            mask = [needle in _fold(department_label(code)) for code in deps.index]
            deps = deps[mask]
        return list(deps.index)

    def _filter_departments(self) -> None:
        box = self.widgets["departments"]
        selected = tuple(box.value)
        shown = self.shown_departments()
        codes = list(selected) + [c for c in shown if c not in selected]
        with self._departments_update():
            box.options = [(department_label(c), c) for c in codes]
            box.value = selected

    def set_departments(self, codes: Iterable[str]) -> None:
        """Select exactly these department codes (they are added to the options)."""
        box = self.widgets["departments"]
        codes = tuple(dict.fromkeys(codes))
        options = list(codes) + [c for c in self.shown_departments() if c not in codes]
        unknown = [c for c in codes if c not in self._deps.index]
        if unknown:
            raise ValueError(f"unknown department codes: {unknown}")
        with self._departments_update():
            box.options = [(department_label(c), c) for c in options]
            box.value = codes

    def select_shown(self) -> None:
        """Add every department currently shown to the selection."""
        box = self.widgets["departments"]
        self.set_departments(tuple(box.value) + tuple(self.shown_departments()))

    def region_departments(self) -> tuple[str, ...]:
        """The codes of the chosen region (empty for "All regions")."""
        region = self.widgets["region"].value
        if region == ALL:
            return ()
        return tuple(self._deps.index[self._deps["region_name"] == region])

    def targeted_departments(self) -> tuple[str, ...]:
        """The departments the targeting counts: the selection, plus the whole chosen
        region unless some of its departments are selected (the rule in the class doc).

        >>> c = Controls(pd.DataFrame({"id": [14], "name": ["H"], "parent_id": [None]}))
        >>> c.widgets["region"].value = "Corse"
        >>> c.targeted_departments()
        ('2A', '2B')
        >>> c.widgets["departments"].value = ("2B",)
        >>> c.targeted_departments()
        ('2B',)
        """
        selected = tuple(self.widgets["departments"].value)
        region = self.region_departments()
        if any(code in region for code in selected):
            return selected
        return selected + region

    def scope_hint(self) -> str:
        """A line under the headline when a whole region is targeted (else empty)."""
        region = self.region_departments()
        if not region or any(c in region for c in self.widgets["departments"].value):
            return ""
        text = _(
            "All {count} departments of {region}. Pick some in the list to narrow the "
            "targeting to them."
        ).format(count=len(region), region=html.escape(str(self.widgets["region"].value)))
        return f"<i style='color:#666' data-key='region_hint'>{text}</i>"

    def targeting(self) -> Targeting:
        """The Targeting the widgets describe; raises TargetingError naming the field."""
        v = {name: self.widgets[name].value for name in self.TARGETING_WIDGETS}
        category = None if v["category"] == ALL else v["category"]
        sub = None if v["sub_interest"] == ALL else v["sub_interest"]
        return Targeting(
            gender=v["gender"],
            age=tuple(v["age"]),
            interest=v["interest"],
            sub_interest=sub,
            category=category,
            departments=self.targeted_departments(),
            zipcodes=parse_zipcodes(v["zipcodes"]),
        )

    def layout(self) -> w.Widget:
        """The controls arranged in two columns."""
        ws = self.widgets
        left = w.VBox(
            [
                ws["gender"],
                ws["age"],
                ws["interest"],
                ws["sub_interest"],
                ws["category"],
                ws["zipcodes"],
            ],
            layout=w.Layout(margin="0 24px 0 0"),
        )
        right = w.VBox(
            [
                ws["region"],
                ws["search"],
                ws["departments"],
                w.HBox([ws["select_shown"], ws["clear_departments"]]),
            ]
        )
        return w.HBox([left, right], layout=w.Layout(flex_flow="row wrap"))
