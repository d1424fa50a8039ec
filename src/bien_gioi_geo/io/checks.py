"""Row checks against the data model: each raw record parsed into the model's columns, every problem kept."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from ..crs import WGS84
from ..errors import InputError
from ..schema import (
    ASSIGNMENT_TEXT_COLUMNS,
    COUNT_COLUMNS,
    MARKER_TEXT_COLUMNS,
    NAME_COLUMNS,
    parse_kind,
    parse_marker_id,
)
from ..text import nfc, normalise_names
from .common import COUNTRY_ALIASES, MAX_COUNT, Errors, plain_value
from .geometry import feature_label, geom_to_wgs84
from .problems import Problems, Raw, check_errors_arg
from .raw import check_text, rename_columns


def _text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s or None  # NFC is applied per column by normalise_names, which keeps the original


def _float(v: object) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ValueError("expected a number, got a boolean")
    if isinstance(v, (dt.date, dt.time, dt.timedelta)):
        raise ValueError(f"expected a number, got a date/time ({v})")
    if isinstance(v, str) and len(v) > 60:
        raise ValueError("expected a number, got a long text")
    try:
        f = float(v.strip().replace(",", ".") if isinstance(v, str) and v.count(",") == 1 and "." not in v
                  else v)  # type: ignore[arg-type]  # anything float() refuses is reported below
    except OverflowError:
        raise ValueError("the number is too large") from None
    except (TypeError, ValueError):
        raise ValueError("expected a number (digits, with '.' or one ',' as the decimal mark; no units)") from None
    if not math.isfinite(f):
        raise ValueError("expected a finite number (not inf or NaN, and not too large)")
    return f


def _count(v: object) -> int | None:
    f = _float(v)
    if f is None:
        return None
    if not f.is_integer():
        raise ValueError("expected a whole number")
    if abs(f) > MAX_COUNT:
        raise ValueError(f"a count larger than {MAX_COUNT:,} is not plausible")
    return int(f)


def _date(v: object) -> dt.date | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        raise ValueError(f"expected a date such as 2024-03-03 or 03/03/2024, got a {type(v).__name__}")
    s = str(v).strip()
    if len(s) > 40:
        raise ValueError("expected a date such as 2024-03-03 or 03/03/2024, got a long text")
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError("expected a date such as 2024-03-03 or 03/03/2024")


def parse_country(v: object) -> str | None:
    """A country as its ISO 3166 alpha-2 code (``VN``, ``Việt Nam``, ``vnm`` → ``VN``); None when empty."""
    text = _text(v)
    if text is None:
        return None
    s = str(nfc(text))
    key = s.casefold()
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    if len(s) == 2 and s.isascii() and s.isalpha():
        return s.upper()
    raise ValueError("expected an ISO 3166 country code such as 'VN', 'CN', 'LA' or 'KH'")


def _marker_text(v: object) -> str | None:
    text = _text(v)
    return None if text is None else str(parse_marker_id(text))


def _marker_list(v: object) -> list[str]:
    if v is None:
        return []
    if isinstance(v, (list, tuple, np.ndarray)):
        items = list(v)
    else:
        s = str(v).strip()
        if not s:
            return []
        if s.startswith("["):
            try:
                items = json.loads(s)
            except (ValueError, RecursionError):
                raise ValueError("expected a list of marker ids such as 62(1);62(2);62/1") from None
            if not isinstance(items, list):
                raise ValueError("expected a list of marker ids")
        else:
            items = [t for t in s.replace(",", ";").split(";")]
    out = []
    for it in items:
        if isinstance(it, str) and not it.strip():
            continue
        out.append(str(parse_marker_id(it)))
    return out


def _parse(row: dict[str, Any], rec: dict[str, Any], fld: str, parser: Callable[[object], object],
           probs: Problems, number: int) -> bool:
    """Set ``row[fld]`` to ``parser`` of the record's value; on failure set it to None, add a problem naming the
    field and the value, and return False.
    """
    value = _get(rec, fld)
    try:
        row[fld] = parser(value)
        return True
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        row[fld] = None
        probs.add(number, fld, value, str(exc))
        return False


def _get(rec: dict[str, Any], name: str) -> object:
    if name in rec:
        return rec[name]
    for k, v in rec.items():
        if k.casefold() == name:
            return v
    return None


def _number_and_post_agree(rec: dict[str, Any], parsed: Any, probs: Problems, number: int) -> bool:
    """Whether the ``number`` and ``post`` columns, when given, agree with the marker id (else problems)."""
    ok = True
    given_number = _text(_get(rec, "number"))
    if given_number is not None:
        try:
            gn = parse_marker_id(given_number)
        except ValueError as exc:
            probs.add(number, "number", None, str(exc))
            ok = False
        else:
            if str(gn) != parsed.number:
                probs.add(number, "number", given_number,
                          f"does not match marker_id {str(parsed)!r} (its number is {parsed.number!r})")
                ok = False
    given_post = _get(rec, "post")
    if given_post is not None and str(given_post).strip() != "":
        try:
            gp = _count(given_post)
        except ValueError as exc:
            probs.add(number, "post", given_post, str(exc))
            ok = False
        else:
            if gp != parsed.post:
                probs.add(number, "post", given_post,
                          f"does not match marker_id {str(parsed)!r} (post {parsed.post!r})")
                ok = False
    return ok


def check_markers(raw: Raw) -> gpd.GeoDataFrame:
    """Marker posts from a raw table: one row per good record, a problem per bad field."""
    probs = raw.problems
    out: list[dict[str, Any]] = []
    posts_of: dict[str, int] = {}
    for rec, geom, number in zip(raw.records, raw.geoms, raw.numbers, strict=True):
        if number in probs.bad:
            continue
        row: dict[str, Any] = {"source_row": rec.get("source_row") or number}
        mid = _get(rec, "marker_id")
        try:
            parsed = parse_marker_id(mid)
        except ValueError as exc:
            probs.add(number, "marker_id", None, str(exc) if mid is not None else "missing marker_id")
            continue
        row.update(marker_id=str(parsed), number=parsed.number, post=parsed.post,
                   main_number=parsed.main_number, aux=parsed.aux)
        posts_of[parsed.number] = posts_of.get(parsed.number, 0) + 1
        ok = _number_and_post_agree(rec, parsed, probs, number)
        kind = _get(rec, "kind")
        if kind is not None and str(kind).strip():
            try:
                row["kind"] = parse_kind(kind)
            except ValueError as exc:
                probs.add(number, "kind", kind, str(exc))
                ok = False
        else:
            row["kind"] = None
        ok &= _parse(row, rec, "emplaced_by", parse_country, probs, number)
        for fld in ("elevation_m", "official_km"):
            ok &= _parse(row, rec, fld, _float, probs, number)
        ok &= _parse(row, rec, "last_inspected", _date, probs, number)
        for fld in ("condition", "border_id", "notes"):
            row[fld] = _text(_get(rec, fld))
        if geom is None or geom.is_empty:
            probs.add(number, "geometry", None, "a marker post needs a location (a Point)")
            ok = False
        elif geom.geom_type == "MultiPoint" and len(geom.geoms) == 1:
            geom = geom.geoms[0]
        elif geom.geom_type != "Point":
            probs.add(number, "geometry", None, f"a marker post is a Point, not a {geom.geom_type}")
            ok = False
        # keep any other columns the user had
        for k, v in rec.items():
            if k not in row and k not in ("post", "number", "kind", "marker_id"):
                row[k] = nfc(v) if isinstance(v, str) else v
        if ok:
            row["geometry"] = geom
            out.append(row)
    gdf = _frame(out, ["marker_id", "number", "post", "kind", "emplaced_by"])
    if len(gdf):
        inferred = gdf["kind"].isna()
        if inferred.any():
            gdf["kind_inferred"] = inferred
            gdf.loc[inferred, "kind"] = [_infer_kind(n, a, posts_of) for n, a in
                                         zip(gdf.loc[inferred, "number"], gdf.loc[inferred, "aux"], strict=True)]
        gdf["post"] = gdf["post"].astype("Int64")
        gdf["main_number"] = gdf["main_number"].astype("int64")
        gdf["aux"] = gdf["aux"].astype("int64")
    normalise_names(gdf, [c for c in MARKER_TEXT_COLUMNS if c != "marker_id"])
    return gdf


def _infer_kind(number: str, aux: int, posts_of: dict[str, int]) -> str:
    """When no ``kind`` column exists: ``62/1`` → auxiliary, else by the number of posts read (1, 2, 3)."""
    if aux:
        return "auxiliary"
    return {1: "single", 2: "double", 3: "triple"}.get(posts_of.get(number, 1), "single")


def _frame(rows: list[dict[str, Any]], first: list[str]) -> gpd.GeoDataFrame:
    if not rows:
        return gpd.GeoDataFrame({c: pd.Series(dtype=object) for c in first},
                                geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)
    df = pd.DataFrame(rows)
    cols = [c for c in first if c in df] + [c for c in df if c not in first and c != "geometry"] + ["geometry"]
    df = df[cols]
    return gpd.GeoDataFrame(df, geometry="geometry", crs=WGS84)


def check_assignments(raw: Raw) -> gpd.GeoDataFrame:
    """Assignments from a raw table: one row per good record, a problem per bad field."""
    probs = raw.problems
    out: list[dict[str, Any]] = []
    for rec, geom, number in zip(raw.records, raw.geoms, raw.numbers, strict=True):
        if number in probs.bad:
            continue
        row: dict[str, Any] = {"source_row": rec.get("source_row") or number}
        ok = True
        aid = _text(_get(rec, "assignment_id"))
        if aid is None:
            probs.add(number, "assignment_id", None, "missing assignment_id (each stretch needs an id)")
            continue
        row["assignment_id"] = aid
        n_before = len(probs.rows)
        for fld in ASSIGNMENT_TEXT_COLUMNS:
            if fld not in row:
                row[fld] = _text(_get(rec, fld))
        for fld in COUNT_COLUMNS:
            ok &= _parse(row, rec, fld, _count, probs, number)
        for fld in ("start_km", "end_km", "declared_km"):
            ok &= _parse(row, rec, fld, _float, probs, number)
        for fld in ("valid_from", "valid_to"):
            ok &= _parse(row, rec, fld, _date, probs, number)
        for fld in ("from_marker", "to_marker"):
            ok &= _parse(row, rec, fld, _marker_text, probs, number)
        ok &= _parse(row, rec, "markers", _marker_list, probs, number)
        if geom is not None and not geom.is_empty and geom.geom_type not in ("LineString", "MultiLineString"):
            probs.add(number, "geometry", None, f"a drawn stretch is a LineString, not a {geom.geom_type}")
            ok = False
        if geom is not None and geom.is_empty:
            geom = None
        has_m = row["from_marker"] is not None or row["to_marker"] is not None
        has_c = row["start_km"] is not None or row["end_km"] is not None
        failed = {r["field"] for r in probs.rows[n_before:]}  # an unreadable term is not also "missing"
        if has_m and (row["from_marker"] is None or row["to_marker"] is None) and not \
                failed & {"from_marker", "to_marker"}:
            probs.add(number, "to_marker" if row["to_marker"] is None else "from_marker", None,
                      "a stretch by markers needs both from_marker and to_marker")
            ok = False
        if has_c and (row["start_km"] is None or row["end_km"] is None) and not failed & {"start_km", "end_km"}:
            probs.add(number, "end_km" if row["end_km"] is None else "start_km", None,
                      "a stretch by chainage needs both start_km and end_km")
            ok = False
        forms = [f for f, given in (("markers", has_m), ("chainage", has_c), ("line", geom is not None)) if given]
        row["stretch_by"] = forms[0] if forms else "none"
        row["stretch_forms"] = ",".join(forms)
        if not forms and not row["markers"] and not failed & {"from_marker", "to_marker", "start_km", "end_km",
                                                               "markers"}:
            probs.add(number, None, None, "gives no stretch (from_marker/to_marker, start_km/end_km or a line) "
                                          "and no markers to look after")
            ok = False
        for k, v in rec.items():
            if k not in row:
                row[k] = nfc(v) if isinstance(v, str) else v
        if ok:
            row["geometry"] = geom
            out.append(row)
    gdf = _frame(out, ["assignment_id", "group_type", "village", "commune", "district", "province",
                       *COUNT_COLUMNS, "from_marker", "to_marker", "start_km", "end_km", "markers",
                       "stretch_by"])
    if len(gdf):
        for c in COUNT_COLUMNS:
            gdf[c] = gdf[c].astype("Int64")
        for c in ("start_km", "end_km", "declared_km"):
            gdf[c] = gdf[c].astype("float64")
    normalise_names(gdf, list(dict.fromkeys([*NAME_COLUMNS, *ASSIGNMENT_TEXT_COLUMNS])))
    return gdf


def check_border(raw: Raw) -> gpd.GeoDataFrame:
    """Border lines from a raw table: one row per good feature, a problem per bad one."""
    probs = raw.problems
    out: list[dict[str, Any]] = []
    for rec, geom, number in zip(raw.records, raw.geoms, raw.numbers, strict=True):
        if number in probs.bad:
            continue
        if geom is None or geom.is_empty:
            probs.add(number, "geometry", None, "a border feature needs a LineString or MultiLineString")
            continue
        if geom.geom_type not in ("LineString", "MultiLineString"):
            probs.add(number, "geometry", None, f"a border is a LineString or MultiLineString, not a "
                                                f"{geom.geom_type}")
            continue
        row: dict[str, Any] = {"source_row": rec.get("source_row") or number}
        ok = True
        for fld in ("border_id", "name"):
            row[fld] = _text(_get(rec, fld))
        for fld in ("left", "right"):
            ok &= _parse(row, rec, fld, parse_country, probs, number)
        ok &= _parse(row, rec, "official_length_km", _float, probs, number)
        for k, v in rec.items():
            if k not in row:
                row[k] = v
        if ok:
            row["geometry"] = geom
            out.append(row)
    return _frame(out, ["border_id", "name", "left", "right", "official_length_km"])


def check_admin(raw: Raw) -> gpd.GeoDataFrame:
    """Administrative polygons from a raw table, names in NFC."""
    probs = raw.problems
    out: list[dict[str, Any]] = []
    for rec, geom, number in zip(raw.records, raw.geoms, raw.numbers, strict=True):
        if number in probs.bad:
            continue
        if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
            probs.add(number, "geometry", None, "an administrative unit is a Polygon or MultiPolygon")
            continue
        row = {k: (nfc(v) if isinstance(v, str) else v) for k, v in rec.items()}
        row["source_row"] = number
        row["geometry"] = geom
        out.append(row)
    gdf = _frame(out, [])
    normalise_names(gdf, list(NAME_COLUMNS) + ["name"])
    return gdf


_ID_COLUMN = {"markers": "marker_id", "assignments": "assignment_id"}


def drop_repeated_rows(gdf: gpd.GeoDataFrame, probs: Problems, kind: str) -> gpd.GeoDataFrame:
    """A row typed twice (same id, same values) is reported as ``duplicate_id`` and counted once.

    Rows sharing an id with different values are kept: which one is right is for validation to report.
    """
    key = _ID_COLUMN.get(kind)
    if key is None or key not in gdf or len(gdf) < 2 or not gdf[key].duplicated().any():
        return gdf
    cols = [c for c in gdf.columns if c != "source_row" and not str(c).endswith("_typed")]  # values, not typing
    text = pd.DataFrame({c: [repr(v) if c != gdf.geometry.name or v is None else v.wkb
                             for v in gdf[c].tolist()] for c in cols}, index=gdf.index)
    repeated = text.duplicated(keep="first")
    if not repeated.any():
        return gdf
    first_of = text.drop_duplicates(keep="first").reset_index().set_index(cols)["index"]
    for i in gdf.index[repeated.to_numpy()]:
        j = first_of.loc[tuple(text.loc[i, cols])]
        probs.add(int(gdf.at[i, "source_row"]), key, gdf.at[i, key],
                  f"duplicate_id: the row repeats row {int(gdf.at[j, 'source_row'])} (same {key} and values); "
                  "it is counted once — delete the copy")
    return gdf.loc[~repeated.to_numpy()]


def _raw_from_frame(df: pd.DataFrame, source: str) -> Raw:
    """Wrap an in-memory (Geo)DataFrame as a raw table, so it passes the same checks as a file."""
    probs = Problems(source, "row")
    if isinstance(df, gpd.GeoDataFrame) and df.geometry.name in df.columns:
        geom_col = df.geometry.name
        src = df.crs
        geoms_in: list[BaseGeometry | None] = list(df.geometry)
    else:
        geom_col, src, geoms_in = None, None, [None] * len(df)
    cols = [c for c in df.columns if c != geom_col]
    records = [{str(k): plain_value(v) if not isinstance(v, (list, tuple, np.ndarray)) else v for k, v in r.items()}
               for r in df[cols].to_dict("records")]
    geoms: list[BaseGeometry | None] = []
    for i, g in enumerate(geoms_in):
        if g is not None and not g.is_empty:
            g = geom_to_wgs84(shapely.force_2d(g), src, probs, i + 1, feature_label(records[i]))
        geoms.append(g)
    return Raw(source, "row", records, geoms, list(range(1, len(records) + 1)), probs)


def check_frame(df: pd.DataFrame, kind: str, *, source: str | None = None, errors: Errors = "raise") -> Any:
    """Check an in-memory table against the data model, as the readers check files.

    ``kind`` is ``"markers"``, ``"assignments"``, ``"border"`` or ``"admin"``. Returns the cleaned GeoDataFrame
    (or ``(gdf, problems)`` with ``errors="collect"``).
    """
    check_errors_arg(errors)
    checks = {"markers": check_markers, "assignments": check_assignments, "border": check_border,
              "admin": check_admin}
    if kind not in checks:
        raise InputError(f"kind must be one of {sorted(checks)}, not {kind!r}")
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{kind}: expected a (Geo)DataFrame, got {type(df).__name__}")
    raw = _raw_from_frame(df, source or str(df.attrs.get("source", kind)))
    rename_columns(raw, kind, from_file=False)
    check_text(raw)
    gdf = checks[kind](raw)
    gdf.attrs.update(df.attrs)
    gdf.attrs["read_notes"] = list(df.attrs.get("read_notes", [])) + [
        n for n in raw.problems.notes if n not in df.attrs.get("read_notes", [])]
    mark_checked(gdf, kind)
    if errors == "raise":
        raw.problems.raise_if_any()
        return gdf
    return gdf, raw.problems.frame()


def mark_checked(gdf: pd.DataFrame, kind: str) -> None:
    """Record in ``gdf.attrs`` that ``gdf`` passed the checks of ``kind`` (see :func:`is_checked`)."""
    gdf.attrs["checked_as"] = [kind, len(gdf), [str(c) for c in gdf.columns]]


def is_checked(df: pd.DataFrame, kind: str) -> bool:
    """Whether ``df`` is a frame a reader (or :func:`check_frame`) checked as ``kind``, with the same rows and
    columns since: :class:`~bien_gioi_geo.Dataset` does not check it again.
    """
    return df.attrs.get("checked_as") == [kind, len(df), [str(c) for c in df.columns]]
