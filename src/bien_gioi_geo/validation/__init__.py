"""Validation: every problem in the data as one row of one issues table.

:func:`validate` runs every registered rule and collects every problem; it never stops at the first and never
changes the data. Each row has ``rule`` (an English id), ``severity`` (``error``/``warning``), ``message`` in the
reader's language (Vietnamese by default, ``lang="en"`` for English), ``hint`` (technical advice for the analyst,
when the rule has some), ``assignment_ids``, ``marker_ids``, ``border_id``, ``start_km``/``end_km``, the period
``valid_from``/``valid_to`` (dated data) and a ``geometry`` to show on a map.

Each rule is one function registered with ``@rule(id, severity, messages={"vi": …, "en": …})``
(:mod:`~bien_gioi_geo.validation.registry`), grouped by what it looks at: :mod:`.stretches` (coverage and each row's
stretch), :mod:`.markers`, :mod:`.names` (ids, names, counts), :mod:`.periods` (dated rows), :mod:`.read` (rows a
lenient reader could not read). :func:`rule_table` lists them (the table in ``docs/rules.md`` is generated from it).

Over time (rows with ``valid_from``/``valid_to``, see :mod:`bien_gioi_geo.analysis.ledger`), ``overlap`` and
``marker_assigned_twice`` are found only among rows valid at the same moment, at every moment the set of valid rows
changes, and give the period in which they hold; ``gap`` and ``marker_unassigned`` describe the state on ``as_of``
(default today).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..analysis.coverage import Coverage, coverage
from ..crs import WGS84
from ..dataset import Dataset
from ..formatting import check_lang
from . import markers, names, periods, read, stretches  # noqa: F401  (registers the rules)
from .context import Context, Options
from .registry import COMMON_PHRASES, RULES, SEVERITIES, Rule, render, rule
from .where import where_of

__all__ = ["validate", "RULES", "ISSUE_COLUMNS", "Rule", "rule", "rule_table", "rules_markdown"]

ISSUE_COLUMNS = ["rule", "severity", "message", "hint", "assignment_ids", "marker_ids", "border_id", "start_km",
                 "end_km", "valid_from", "valid_to", "where", "geometry"]

_COLUMNS = ("assignment_ids", "marker_ids", "border_id", "start_km", "end_km", "valid_from", "valid_to", "geometry")


def validate(dataset: Dataset, *, cov: Coverage | None = None, marker_tolerance_m: float = 300.0,
             assignment_tolerance_m: float = 200.0, post_spread_m: float = 1000.0,
             length_tolerance_m: float = 100.0, datum_shift_min_m: float = 100.0, min_gap_m: float | None = None,
             min_overlap_m: float | None = None, read_problems: pd.DataFrame | None = None,
             as_of: Any = None, lang: str = "vi", rules: Any = None) -> gpd.GeoDataFrame:
    """Check a dataset and return every problem as one issues table.

    Parameters
    ----------
    dataset
        The dataset.
    cov
        A coverage already computed for ``dataset`` (computed here when not given).
    marker_tolerance_m
        ``marker_off_line``: a post farther than this from the line (default 300 m: the bundled lines are
        OpenStreetMap-derived and generalised; use a smaller value on surveyed lines).
    assignment_tolerance_m
        ``assignment_off_line``: a drawn stretch with a vertex farther than this from the line (default 200 m).
    post_spread_m
        ``marker_post_mismatch``: posts of one number farther apart along the line than this (default 1,000 m).
    length_tolerance_m
        ``length_mismatch``: declared and measured (or, on a calibrated border, official) length differing by
        more than this (default 100 m).
    datum_shift_min_m
        ``suspect_datum``: only posts at least this far from the line are tested (default 100 m).
    min_gap_m, min_overlap_m
        Gaps and overlaps shorter than this are not reported. Default: the coverage's ``min_length_m`` (1 m), the
        same minimum as its summary, tables and map.
    read_problems
        The problems table of a lenient reader; its rows become ``read_error`` (or ``swapped_coordinates``) rows.
    as_of
        Check the dataset as it stood on this date (rows valid then). Default for a dataset with dates: every
        moment for overlaps and double carers, today for gaps and markers without a carer.
    lang
        Language of ``message`` and ``hint``: ``"vi"`` (default) or ``"en"``.
    rules
        Run only these rule ids (default: every registered rule).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``rule``, ``severity``, ``message``, ``hint``, ``assignment_ids``, ``marker_ids``, ``border_id``,
        ``start_km``, ``end_km``, ``valid_from``/``valid_to`` (the period a problem holds in, dated data only),
        ``where`` (the file, sheet and rows as the user's program numbers them — Excel rows of a workbook — of
        the rows the problem names, e.g. ``so_theo_doi.xlsx, sheet 'Tổ tự quản', hàng 12``; None for a problem
        of no row, such as a gap), ``geometry`` (EPSG:4326); sorted by severity then rule.
    """
    from ..analysis.ledger import resolve_as_of
    from ..errors import check_option

    check_lang(lang)
    chosen = list(RULES) if rules is None else list(rules)
    for rid in chosen:
        check_option("rules", rid, tuple(RULES))
    when = resolve_as_of(dataset, as_of)
    cov = cov if cov is not None else coverage(dataset, as_of=when)
    min_m = getattr(cov, "min_length_m", 1.0)
    opt = Options(marker_tolerance_m, assignment_tolerance_m, post_spread_m, length_tolerance_m, datum_shift_min_m,
                  min_m if min_gap_m is None else min_gap_m, min_m if min_overlap_m is None else min_overlap_m)
    ctx = Context(dataset, cov, when, as_of is not None, opt, read_problems)
    rows = []
    for rid in chosen:
        r = RULES[rid]
        for hit in r.check(ctx):
            message, hint = render(r, hit.get("params", {}), lang)
            row: dict[str, Any] = {"rule": rid, "severity": r.severity, "message": message, "hint": hint,
                                   "assignment_ids": [], "marker_ids": [], "border_id": None, "start_km": np.nan,
                                   "end_km": np.nan, "valid_from": None, "valid_to": None, "geometry": None}
            row.update({k: v for k, v in hit.items() if k in _COLUMNS})
            row["assignment_ids"], row["marker_ids"] = list(row["assignment_ids"]), list(row["marker_ids"])
            row["where"] = where_of(ctx, rid, hit, row, lang)
            row["start_km"], row["end_km"] = float(row["start_km"]), float(row["end_km"])
            rows.append(row)
    issues = gpd.GeoDataFrame(rows, columns=ISSUE_COLUMNS, geometry="geometry", crs=WGS84)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    issues = issues.assign(_s=issues["severity"].map(order)).sort_values(["_s", "rule", "start_km"], kind="stable")
    return issues.drop(columns="_s").reset_index(drop=True)


def rule_table(lang: str = "vi") -> pd.DataFrame:
    """Every registered rule: ``rule``, ``severity`` (in ``lang``), ``group`` (what it looks at) and ``triggered_by``
    (from the rule's docstring, in English).

    >>> t = rule_table("en")
    >>> t.loc[t["rule"] == "gap", "severity"].item()
    'warning'
    """
    from ..labels import label

    check_lang(lang)
    return pd.DataFrame([{"rule": r.id, "severity": label(r.severity, lang), "group": r.group,
                          "triggered_by": r.doc} for r in RULES.values()])


def rules_markdown() -> str:
    """The rule table of ``docs/rules.md`` (generated: ``python -m bien_gioi_geo.validation``)."""
    lines = ["# Validation rules", "",
             "Generated from the rule registry (`bien_gioi_geo.validation.RULES`) by "
             "`python -m bien_gioi_geo.validation > docs/rules.md`; do not edit by hand.", "",
             "| rule | severity | looks at | triggered by | message (vi) |", "|---|---|---|---|---|"]
    for r in RULES.values():
        vi = r.messages["vi"]
        if vi == "{what}":  # the message is one of the rule's phrases
            vi = " / ".join(p["vi"] for k, p in r.phrases.items() if k not in COMMON_PHRASES)
        lines.append(f"| `{r.id}` | {r.severity} | {r.group} | {r.doc.replace('|', '/')} | {vi.replace('|', '/')} |")
    return "\n".join(lines) + "\n"
