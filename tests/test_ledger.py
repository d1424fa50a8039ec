"""The dated ledger: validity periods, coverage as of a date, the timeline, compare and validation over time.

Expectations come from an independent, deliberately plain computation (Python dates, a sorted list merged by
hand), never from the library's own sweep.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import bien_gioi_geo as bg
from _sweep import union_length
from bien_gioi_geo.analysis import ledger, validity

D = dt.date


@pytest.fixture(scope="module")
def pt() -> bg.Dataset:
    return bg.datasets.load("phong_tho")


def _rows(n: int, length_km: float, seed: int) -> list[dict]:
    """n random stretches by chainage with random periods between 2018 and 2026 (some open-ended)."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        s = float(rng.uniform(0, length_km - 0.5))
        e = s + float(rng.uniform(0.05, 6.0))
        f = D(2018, 1, 1) + dt.timedelta(days=int(rng.integers(0, 8 * 365)))
        t = f + dt.timedelta(days=int(rng.integers(1, 4 * 365)))
        out.append({"assignment_id": f"A{k // 2}",  # pairs share an id: versions (or period_overlap)
                    "start_km": s, "end_km": min(e, length_km),
                    "valid_from": None if k % 11 == 0 else f.isoformat(),
                    "valid_to": None if k % 7 == 0 else t.strftime("%d/%m/%Y"),
                    "households": int(rng.integers(1, 30)), "people": 100, "commune": f"X{k % 5}",
                    "village": f"V{k % 17}", "markers": [str(33 + int(rng.integers(0, 47)))] if k % 3 == 0 else []})
    return out


def _independent_km(rows: list[dict], day: D, total: float) -> float:
    """Covered km on ``day``: the rows with from <= day < to, sorted by start and merged by hand."""
    def date(v: str | None) -> D | None:
        if v is None:
            return None
        return D.fromisoformat(v) if "-" in v else dt.datetime.strptime(v, "%d/%m/%Y").date()

    live = sorted((min(max(r["start_km"], 0), total), min(r["end_km"], total)) for r in rows
                  if (date(r["valid_from"]) is None or date(r["valid_from"]) <= day)
                  and (date(r["valid_to"]) is None or day < date(r["valid_to"])))
    return union_length(live)


@pytest.fixture(scope="module")
def random_ds(pt: bg.Dataset) -> tuple[bg.Dataset, list[dict]]:
    rows = _rows(160, pt.border.length_km, 7)
    return bg.Dataset(pt.border, pt.markers, pd.DataFrame(rows)), rows


SIX_DATES = ["2018-06-30", "2019-12-31", "31/12/2020", "2022-01-01", "2023-07-15", "2025-12-31"]


@pytest.mark.parametrize("day", SIX_DATES)
def test_covered_km_matches_an_independent_sweep(random_ds, day):
    ds, rows = random_ds
    d = ledger.parse_date(day)
    cov = bg.coverage(ds, as_of=day)
    assert cov.as_of == d and cov.summary()["as_of"] == d.isoformat()
    assert cov.covered_km == pytest.approx(_independent_km(rows, d, ds.border.length_km), abs=1e-3)  # 1 m


def test_timeline_equals_coverage_at_each_date(random_ds):
    ds, _ = random_ds
    tl = bg.timeline(ds, SIX_DATES)
    assert list(tl.index.date) == [ledger.parse_date(x) for x in SIX_DATES]
    for day, row in zip(SIX_DATES, tl.itertuples(index=False), strict=True):
        s = bg.coverage(ds, as_of=day).summary()
        assert row._asdict() == {c: s[c] for c in ledger.TIMELINE_COLUMNS}, day


def test_default_timeline_is_every_year_end_of_the_history(pt):
    tl = bg.timeline(pt)
    assert [d.isoformat() for d in tl.index.date] == [f"{y}-12-31" for y in range(2019, 2025)]
    assert tl["covered_km"].is_monotonic_increasing


@pytest.mark.parametrize(("valid_from", "valid_to", "day", "valid"), [
    ("2020-01-01", "2021-01-01", "2020-01-01", True),    # the first day is in
    ("2020-01-01", "2021-01-01", "2021-01-01", False),   # the end day is out: [from, to)
    ("2020-01-01", "2021-01-01", "2020-12-31", True),
    (None, "2021-01-01", "1900-01-01", True),             # no start: always
    ("2020-01-01", None, "2999-01-01", True),             # no end: still valid
    ("2020-01-01", None, "2019-12-31", False),
])
def test_half_open_periods(pt, valid_from, valid_to, day, valid):
    a = pd.DataFrame([{"assignment_id": "A", "start_km": 1.0, "end_km": 3.0, "valid_from": valid_from,
                       "valid_to": valid_to}])
    ds = bg.Dataset(pt.border, None, a)
    assert bg.coverage(ds, as_of=day).covered_km == pytest.approx(2.0 if valid else 0.0, abs=1e-12)


def test_without_as_of_dated_data_is_taken_as_of_today(pt, monkeypatch):
    a = pd.DataFrame([{"assignment_id": "A", "start_km": 1.0, "end_km": 3.0, "valid_to": "2030-01-01"}])
    ds = bg.Dataset(pt.border, None, a)
    monkeypatch.setattr(validity, "_clock", lambda: D(2029, 12, 31))
    assert bg.coverage(ds).summary()["as_of"] == "2029-12-31" and bg.coverage(ds).covered_km == pytest.approx(2.0)
    monkeypatch.setattr(validity, "_clock", lambda: D(2030, 1, 1))
    cov = bg.coverage(ds)
    assert cov.covered_km == 0.0 and "as of 2030-01-01" in repr(cov)
    undated = bg.Dataset(pt.border, None, a.drop(columns="valid_to"))
    assert bg.coverage(undated).as_of is None


def test_phong_tho_today_and_end_2024_give_the_review_figures(pt, monkeypatch):
    monkeypatch.setattr(validity, "_clock", lambda: D(2026, 6, 1))
    for s in (bg.coverage(pt).summary(), bg.coverage(pt, as_of="31/12/2024").summary()):
        assert (s["official_covered_km"], s["collectives"], s["individuals"], s["markers_self_managed"],
                s["villages"], s["communes"]) == (97.229, 63, 460, 27, 125, 12)
    early = bg.coverage(pt, as_of="2019-12-31").summary()
    assert early["covered_km"] < 0.5 * bg.coverage(pt).summary()["covered_km"]


def test_bad_as_of_names_the_value(pt):
    with pytest.raises(bg.InputError, match=r"as_of: expected a date .*'31-31-2024'"):
        bg.coverage(pt, as_of="31-31-2024")


def test_excel_date_cells_and_vietnamese_dates_are_read(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["assignment_id", "start_km", "end_km", "valid_from", "valid_to"])
    ws.append(["A", 1.0, 2.0, dt.datetime(2020, 3, 1), "01/07/2022"])
    wb.save(tmp_path / "a.xlsx")
    a = bg.read_assignments(tmp_path / "a.xlsx")
    assert (a.loc[0, "valid_from"], a.loc[0, "valid_to"]) == (D(2020, 3, 1), D(2022, 7, 1))


# ------------------------------------------------------------------------------------------- validation over time
def _none(v: object) -> object:
    return None if pd.isna(v) else v


def _ds(pt: bg.Dataset, rows: list[tuple]) -> bg.Dataset:
    cols = ["assignment_id", "start_km", "end_km", "valid_from", "valid_to"]
    return bg.Dataset(pt.border, None, pd.DataFrame(rows, columns=cols))


def test_versions_are_history_not_duplicates_or_overlaps(pt):
    ds = _ds(pt, [("A", 1, 5, "2019-01-01", "2021-01-01"), ("A", 0, 6, "2021-01-01", None),
                  ("B", 4, 8, None, "2021-01-01"), ("C", 5.5, 9, "2021-01-01", None)])
    issues = bg.validate(ds)
    assert not issues["rule"].isin(["duplicate_id", "period_overlap", "bad_period"]).any()
    ov = issues[issues["rule"] == "overlap"]
    # A(2019–2021) overlaps B on 4–5 until 2021; A(2021–) overlaps C on 5.5–6 from 2021; B and C never meet
    got = sorted((r.start_km, r.end_km, tuple(r.assignment_ids), r.valid_from, _none(r.valid_to))
                 for r in ov.itertuples())
    assert got == [(4.0, 5.0, ("A", "B"), "2019-01-01", "2021-01-01"), (5.5, 6.0, ("A", "C"), "2021-01-01", None)]


def test_overlap_inside_a_common_period_is_reported_with_it(pt):
    ds = _ds(pt, [("A", 0, 10, "2019-01-01", "2023-01-01"), ("B", 5, 15, "2020-06-01", "2025-01-01"),
                  ("C", 8, 9, "2030-01-01", None)])
    ov = bg.validate(ds, as_of="2021-01-01", lang="en").query("rule == 'overlap'")
    assert len(ov) == 1 and (ov.iloc[0]["valid_from"], ov.iloc[0]["valid_to"]) == ("2020-06-01", "2023-01-01")
    assert "from 1 Jun 2020 until 1 Jan 2023" in ov.iloc[0]["message"]
    assert bg.validate(ds, as_of="2024-01-01").query("rule == 'overlap'").empty
    # without as_of: every moment — the 2030 overlap of C with B? No: B ended in 2025; C overlaps nobody
    assert len(bg.validate(ds).query("rule == 'overlap'")) == 1


def test_bad_period_and_period_overlap(pt):
    ds = _ds(pt, [("A", 0, 1, "2022-01-01", "2021-01-01"), ("B", 2, 3, "2019-01-01", "2022-01-01"),
                  ("B", 2, 4, "2021-06-01", None)])
    issues = bg.validate(ds, lang="en")
    bad = issues[issues["rule"] == "bad_period"]
    assert list(bad["assignment_ids"]) == [["A"]] and "1 Jan 2021 is not after valid_from 1 Jan 2022" in \
        bad.iloc[0]["message"]
    po = issues[issues["rule"] == "period_overlap"]
    assert len(po) == 1 and (po.iloc[0]["valid_from"], po.iloc[0]["valid_to"]) == ("2021-06-01", "2022-01-01")
    assert (issues.loc[issues["rule"].isin(["bad_period", "period_overlap"]), "severity"] == "error").all()


def test_marker_assigned_twice_only_at_the_same_moment(pt):
    a = pd.DataFrame([
        {"assignment_id": "A", "markers": ["62"], "valid_from": None, "valid_to": "2021-01-01"},
        {"assignment_id": "B", "markers": ["62(1)"], "valid_from": "2021-01-01", "valid_to": None},
        {"assignment_id": "C", "markers": ["66"], "valid_from": "2019-01-01", "valid_to": "2022-01-01"},
        {"assignment_id": "D", "markers": ["66"], "valid_from": "2021-03-01", "valid_to": None}])
    ds = bg.Dataset(pt.border, pt.markers, a)
    twice = bg.validate(ds).query("rule == 'marker_assigned_twice'")
    assert [(r.marker_ids, r.assignment_ids, r.valid_from, r.valid_to) for r in twice.itertuples()] == [
        (["66"], ["C", "D"], "2021-03-01", "2022-01-01")]


def test_validate_random_history_against_pairwise_check(random_ds):
    """Every overlap row is a real overlap of rows valid together, and every such pair is reported."""
    ds, rows = random_ds
    ov = bg.validate(ds).query("rule == 'overlap'")
    f, t = ledger.periods(ds.assignments)
    s, e = ds.assignments["start_km"].to_numpy(), ds.assignments["end_km"].to_numpy()
    aid = ds.assignments["assignment_id"].to_numpy()
    pairs = set()
    for i in range(len(s)):
        for j in range(i + 1, len(s)):
            if aid[i] != aid[j] and max(s[i], s[j]) + 1e-3 < min(e[i], e[j]) and max(f[i], f[j]) < min(t[i], t[j]):
                pairs.add(frozenset((aid[i], aid[j])))
    reported = {frozenset(p) for ids in ov["assignment_ids"] for p in
                [(x, y) for k, x in enumerate(ids) for y in ids[k + 1:]]}
    assert pairs <= reported
    days = np.unique(np.concatenate([f, t]))
    for r in ov.itertuples():  # each reported overlap holds: on every day of its period (checked at each change
        # point inside it) each claimant has a row (possibly another version) valid then and covering the stretch
        lo = ledger.NO_START if _none(r.valid_from) is None else D.fromisoformat(r.valid_from).toordinal()
        hi = ledger.NO_END if _none(r.valid_to) is None else D.fromisoformat(r.valid_to).toordinal()
        for day in days[(days >= lo) & (days < hi)]:
            for x in r.assignment_ids:
                ok = (aid == x) & (f <= day) & (day < t) & (s <= r.start_km + 1e-9) & (e >= r.end_km - 1e-9)
                assert ok.any(), (x, r.message)


# ------------------------------------------------------------------------------------------- compare
def test_compare_gained_lost_against_hand_computation(pt):
    ds = _ds(pt, [("A", 1, 5, "2019-01-01", "2021-01-01"), ("A", 3, 8, "2021-01-01", None),
                  ("B", 10, 12, None, "2020-06-01"), ("C", 20, 21, "2020-01-01", None)])
    c = bg.compare(ds, "2019-12-31", "2024-12-31")
    # before: 1–5 and 10–12; after: 3–8 and 20–21 → gained 5–8 and 20–21, lost 1–3 and 10–12
    assert [(round(r.start_km, 9), round(r.end_km, 9)) for r in c.gained.itertuples()] == [(5, 8), (20, 21)]
    assert [(round(r.start_km, 9), round(r.end_km, 9)) for r in c.lost.itertuples()] == [(1, 3), (10, 12)]
    assert c.gained["length_km"].sum() == pytest.approx(4.0, abs=1e-6)
    assert list(c.gained["assignment_ids"]) == [["A"], ["C"]] and list(c.lost["assignment_ids"]) == [["A"], ["B"]]
    s = c.summary()
    assert s.loc["covered_km", "before"] == pytest.approx(6.0, abs=1e-3)
    assert s.loc["covered_km", "change"] == pytest.approx(0.0, abs=1e-3)
    assert list(c.joined["assignment_id"]) == ["C"] and list(c.left["assignment_id"]) == ["B"]
    assert list(c.changed["assignment_id"]) == ["A"]


def test_compare_phong_tho_is_consistent(pt):
    c = bg.compare(pt, "2019-12-31", "2024-12-31")
    s = c.summary()
    net = c.gained["length_km"].sum() - c.lost["length_km"].sum()
    assert net == pytest.approx(s.loc["covered_km", "change"], abs=1e-3)
    assert s.loc["markers_self_managed", "change"] == len(c.markers_found) - len(c.markers_lost)
    by = c.by("commune")
    assert by["km_after"].sum() == pytest.approx(bg.coverage(pt, as_of="2024-12-31").by("commune")["covered_km"]
                                                 .sum(), abs=1e-9)


@pytest.mark.parametrize(("last", "want"), [("2024-12-31", ["2023-12-31", "2024-12-31"]),
                                            ("2024-06-01", ["2023-12-31", "2024-12-31"]),
                                            ("2025-01-01", ["2023-12-31", "2024-12-31", "2025-12-31"])])
def test_default_dates_are_the_year_ends_the_history_covers(pt, last, want):
    ds = _ds(pt, [("A", 1, 2, "2023-03-01", last)])
    assert [d.isoformat() for d in ledger.default_dates(ds)] == want
