"""Reading GPS tracks: GPX, CSV/Excel, GeoJSON and GeoParquet into one table of fixes.

A *fix* is one GPS position at one time. :func:`read_tracks` returns a GeoDataFrame with ``track_id``, ``time``
(timezone-aware, UTC), any attribute columns of the file (unit, station, group, …) and point geometries in WGS 84.

Time zones
    GPX times are UTC by the GPX standard. A time written without an offset (``2024-05-01 07:30``) is read as
    Viet Nam time, UTC+7 (``naive_utc_offset_h=7``), because that is what a phone or a handheld set to local time
    writes; times with an offset (``…+07:00``, ``…Z``) keep theirs. Every time is then converted to UTC.

Bad fixes
    A fix without a time, with an unreadable time, with coordinates out of range or without a track id is a bad
    row; so is a second fix of the same track at the same time (the first is kept). With ``errors="raise"`` they
    raise :class:`~bien_gioi_geo.errors.InputError` naming file, row and field; with ``errors="collect"`` the reader
    returns ``(fixes, problems)`` with one problems row per bad fix — nothing is dropped silently.

Uses (layer ``patrols``): ``crs``, ``errors``, ``io``.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..crs import WGS84, as_crs, to_wgs84
from ..errors import CRSError, InputError
from ..io import Problems, check_errors_arg, read_raw

__all__ = ["read_tracks", "TRACK_NAMES", "TIME_NAMES"]

TRACK_NAMES = ("track_id", "track", "track_name", "device_id", "device", "ma_thiet_bi", "mã_thiết_bị", "thiet_bi",
               "thiết_bị", "chuyen_tuan_tra", "chuyến_tuần_tra")
TIME_NAMES = ("time", "timestamp", "datetime", "date_time", "thoi_gian", "thời_gian", "thoigian")

Errors = Literal["raise", "collect"]


def read_tracks(path: str | os.PathLike[str], *, crs: object = None, layer: str | None = None,
                track_column: str | None = None, time_column: str | None = None, naive_utc_offset_h: float = 7.0,
                errors: Errors = "raise") -> Any:
    """Read GPS fixes from a GPX, CSV, Excel, GeoJSON or GeoParquet file.

    Parameters
    ----------
    path
        ``.gpx`` (track points; each ``<trk>`` is a track, named by its ``<name>``), ``.csv``/``.txt``/``.xlsx``
        (columns ``lon``/``lat`` in decimal degrees or DMS, or ``x``/``y`` with ``crs=`` e.g. VN-2000
        ``"EPSG:9205"``; a time column; a track or device column), ``.geojson`` (Point features) or
        ``.parquet`` (GeoParquet, read column-wise: the fast path for millions of fixes).
    crs
        CRS of the coordinates when the file does not state one (default WGS 84 lon/lat).
    layer
        Sheet of a workbook.
    track_column, time_column
        Column names; by default the first of :data:`TRACK_NAMES` / :data:`TIME_NAMES` found (case-insensitive).
        Without a track column every fix of the file is one track, named after the file.
    naive_utc_offset_h
        UTC offset (hours) of times written without one; 7 = Viet Nam time.
    errors
        ``"raise"`` or ``"collect"`` (see the module notes).

    Returns
    -------
    geopandas.GeoDataFrame or (geopandas.GeoDataFrame, pandas.DataFrame)
        Fixes sorted by ``track_id`` and ``time`` (UTC), with a ``row`` column (where the fix stands as your
        program shows it: a CSV line with the header as line 1, an Excel row, a feature number) and the file's
        other columns; with ``errors="collect"`` also the problems table (``source``, ``row``, ``field``, ``value``,
        ``message``).

    Examples
    --------
    >>> import bien_gioi_geo as bg, pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_text("track,time,lat,lon\\nA,2024-05-01 07:00,22.5,103.3\\nA,2024-05-01 07:01,22.5001,103.3\\n")
    >>> fixes = bg.read_tracks(f)
    >>> str(fixes["time"].iloc[0])
    '2024-05-01 00:00:00+00:00'
    """
    check_errors_arg(errors)
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file or folder")
    suf = p.suffix.lower()
    if suf == ".gpx":
        table, unit, probs = _gpx(p)
    elif suf in (".parquet", ".geoparquet"):
        table, unit, probs = _parquet(p, crs=crs)
    elif suf in (".csv", ".txt", ".xlsx", ".xlsm", ".geojson", ".json"):
        raw = read_raw(p, crs=crs, layer=layer, kind="tracks")
        geoms = np.array(raw.geoms + [None], dtype=object)[:-1]
        table = pd.DataFrame(raw.records)
        table.index = pd.RangeIndex(len(table))
        table["row"] = np.asarray(raw.numbers, dtype=np.int64)
        pts = shapely.get_type_id(geoms) == 0
        bad_type = ~pts & (shapely.get_type_id(geoms) >= 0)
        for k in np.flatnonzero(bad_type):
            raw.problems.add(int(table["row"].iat[k]), "geometry", None,
                             f"a {geoms[k].geom_type}, not a Point; a fix is one position")
        lon = np.full(len(table), np.nan)
        lat = np.full(len(table), np.nan)
        lon[pts], lat[pts] = shapely.get_x(geoms[pts]), shapely.get_y(geoms[pts])
        table["_lon"], table["_lat"] = lon, lat
        unit, probs = raw.unit, raw.problems
    else:
        raise InputError(f"{p.name}: unknown file type {suf!r}; expected .gpx, .csv, .xlsx, .geojson or .parquet")
    fixes = _finish(table, probs, unit=unit, default_track=p.stem, track_column=track_column,
                    time_column=time_column, naive_utc_offset_h=naive_utc_offset_h)
    fixes.attrs["source"] = str(path)
    if errors == "raise":
        probs.raise_if_any()
        return fixes
    return fixes, probs.frame()


def _gpx(p: Path) -> tuple[pd.DataFrame, str, Problems]:
    import pyogrio

    try:
        layers = [name for name, _ in pyogrio.list_layers(p)]
        if "track_points" not in layers:
            raise InputError(f"{p.name}: no track points (<trkpt>) in the GPX file; layers: {', '.join(layers)}")
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning)
            pts = pyogrio.read_dataframe(p, layer="track_points", columns=["track_fid", "time"])
            tracks = pyogrio.read_dataframe(p, layer="tracks", columns=["name"], read_geometry=False)
    except InputError:
        raise
    except Exception as exc:  # GDAL raises several types for broken XML
        raise InputError(f"{p.name}: cannot read the GPX file: {exc}") from None
    names = [v if isinstance(v, str) and v.strip() else None for v in tracks["name"].astype(object)] \
        if "name" in tracks else []
    fid = pts["track_fid"].to_numpy(dtype=np.int64)
    label = np.array([(names[f] if f < len(names) and names[f] is not None else f"{p.stem}#{f + 1}")
                      for f in range(int(fid.max()) + 1 if len(fid) else 0)] + [""], dtype=object)
    geoms = pts.geometry.to_numpy()
    table = pd.DataFrame({"track_id": label[fid] if len(fid) else np.empty(0, dtype=object),
                          "time": pts["time"].to_numpy() if "time" in pts else None})
    table["row"] = np.arange(1, len(table) + 1)
    table["_lon"], table["_lat"] = shapely.get_x(geoms), shapely.get_y(geoms)
    return table, "track point", Problems(p.name, "track point")


def _parquet(p: Path, *, crs: object) -> tuple[pd.DataFrame, str, Problems]:
    try:
        import pyarrow  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the environment
        raise InputError('reading GeoParquet needs pyarrow: pip install "bien_gioi_geo[scale]"') from None
    try:
        gdf = gpd.read_parquet(p)
    except Exception as exc:
        raise InputError(f"{p.name}: cannot read the GeoParquet file: {exc}") from None
    src = gdf.crs if gdf.crs is not None else (crs if crs is not None else WGS84)
    if gdf.crs is not None and crs is not None and not as_crs(crs).equals(gdf.crs):
        raise CRSError(f"{p.name}: the file's CRS is {gdf.crs.to_string()!r} but crs={crs!r} was given")
    geoms = gdf.geometry.to_numpy()
    table = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    table.index = pd.RangeIndex(len(table))
    table["row"] = np.arange(1, len(table) + 1)
    types = shapely.get_type_id(geoms)
    pts = types == 0
    x = np.where(pts, shapely.get_x(geoms), np.nan)
    y = np.where(pts, shapely.get_y(geoms), np.nan)
    if not as_crs(src).equals(WGS84):
        x, y = to_wgs84(x, y, src)
    table["_lon"], table["_lat"] = x, y
    return table, "row", Problems(p.name, "row")


def _pick(table: pd.DataFrame, given: str | None, names: tuple[str, ...], what: str, source: str) -> str | None:
    if given is not None:
        if given not in table:
            raise InputError(f"{source}: no column {given!r} for the {what}; columns: {', '.join(map(str, table))}")
        return given
    lower = {str(c).casefold(): c for c in table.columns if not str(c).startswith("_")}
    return next((lower[n] for n in names if n in lower), None)


def parse_times(values: pd.Series, *, naive_utc_offset_h: float = 7.0) -> pd.Series:
    """Parse times to UTC: aware values keep their offset, naive ones get ``naive_utc_offset_h`` hours.

    Unreadable values become ``NaT``.

    Examples
    --------
    >>> parse_times(pd.Series(["2024-05-01 07:00", "2024-05-01T00:00:00Z", "xx"])).tolist()
    [Timestamp('2024-05-01 00:00:00+0000', tz='UTC'), Timestamp('2024-05-01 00:00:00+0000', tz='UTC'), NaT]
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("UTC")
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return (values - pd.Timedelta(hours=naive_utc_offset_h)).dt.tz_localize("UTC")
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    text = values.astype(object).where(values.notna(), None)
    s = text.map(lambda v: None if v is None or (isinstance(v, str) and not v.strip()) else v)
    has = s.notna()
    if not has.any():
        return out
    as_str = s[has].map(str).str.strip()
    aware = as_str.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True)
    for mask, shift in ((aware, 0.0), (~aware, naive_utc_offset_h)):
        if not mask.any():
            continue
        sub = as_str[mask]
        parsed = pd.to_datetime(sub, errors="coerce", utc=True, format="mixed", dayfirst=False)
        if shift:
            parsed = parsed - pd.Timedelta(hours=shift)
        out.loc[sub.index] = parsed
    return out


def _finish(table: pd.DataFrame, probs: Problems, *, unit: str, default_track: str, track_column: str | None,
            time_column: str | None, naive_utc_offset_h: float) -> gpd.GeoDataFrame:
    """Check tracks, times and positions of a raw table; return the good fixes sorted by track and time."""
    source = probs.source
    if "time" in table and time_column is None and unit == "track point":
        tcol: str | None = "time"
    else:
        tcol = _pick(table, time_column, TIME_NAMES, "time", source)
    kcol = "track_id" if unit == "track point" else _pick(table, track_column, TRACK_NAMES, "track", source)
    if tcol is None:
        raise InputError(f"{source}: no time column; expected one of {', '.join(TIME_NAMES)} (or time_column=...)")
    n = len(table)
    rows = table["row"].to_numpy()
    times = parse_times(table[tcol], naive_utc_offset_h=naive_utc_offset_h) if n else \
        pd.Series([], dtype="datetime64[ns, UTC]")
    bad = np.zeros(n, dtype=bool)
    already = np.array([r in probs.bad for r in rows], dtype=bool) if probs.bad else np.zeros(n, dtype=bool)
    bad |= already
    no_time = times.isna().to_numpy() & ~already
    raw_time = table[tcol].astype(object).to_numpy()
    for k in np.flatnonzero(no_time)[:1000]:
        v = raw_time[k]
        empty = v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip())
        probs.add(int(rows[k]), str(tcol), None if empty else v,
                  "the fix has no time; every fix needs one" if empty else
                  "unreadable time; write ISO 8601, e.g. '2024-05-01 07:30:00' (Viet Nam time) or "
                  "'2024-05-01T00:30:00Z' (UTC)")
    _summarise(probs, no_time, rows, tcol, "fixes without a readable time")
    bad |= no_time
    lon, lat = table["_lon"].to_numpy(dtype=float), table["_lat"].to_numpy(dtype=float)
    out_range = ~(np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)) & ~bad
    for k in np.flatnonzero(out_range)[:1000]:
        probs.add(int(rows[k]), "geometry", (float(lon[k]), float(lat[k])) if np.isfinite(lon[k]) else None,
                  "no position, or a longitude/latitude out of range (±180, ±90)")
    _summarise(probs, out_range, rows, "geometry", "fixes without a valid position")
    bad |= out_range
    if kcol is None:
        track = pd.Series(default_track, index=table.index, dtype=object)
    else:
        track = table[kcol].astype(object).where(table[kcol].notna(), None)
        track = track.map(lambda v: None if v is None or (isinstance(v, str) and not v.strip()) else str(v).strip())
        no_track = track.isna().to_numpy() & ~bad
        for k in np.flatnonzero(no_track)[:1000]:
            probs.add(int(rows[k]), str(kcol), None, "the fix has no track id")
        _summarise(probs, no_track, rows, str(kcol), "fixes without a track id")
        bad |= no_track
    good = np.flatnonzero(~bad)
    keep = [c for c in table.columns if not str(c).startswith("_") and c not in (tcol, kcol, "row")]
    out = pd.DataFrame({"track_id": track.to_numpy()[good], "time": times.to_numpy()[good]})
    out["time"] = pd.to_datetime(out["time"], utc=True)
    for c in keep:
        out[c] = table[c].to_numpy()[good]
    out["row"] = rows[good]
    out["_lon"], out["_lat"] = lon[good], lat[good]
    out = out.sort_values(["track_id", "time", "row"], kind="stable").reset_index(drop=True)
    dup = out.duplicated(["track_id", "time"], keep="first").to_numpy()
    if dup.any():
        first_row = out.groupby(["track_id", "time"], sort=False)["row"].transform("first").to_numpy()
        for k in np.flatnonzero(dup)[:1000]:
            probs.add(int(out["row"].iat[k]), str(tcol), str(out["time"].iat[k]),
                      f"duplicate fix: track {out['track_id'].iat[k]!r} already has a fix at this time "
                      f"({unit} {int(first_row[k])}); the first is kept")
        _summarise(probs, dup, out["row"].to_numpy(), str(tcol), "duplicate fixes")
        out = out[~dup].reset_index(drop=True)
    geom = gpd.GeoSeries(shapely.points(out.pop("_lon").to_numpy(), out.pop("_lat").to_numpy()), crs=WGS84)
    return gpd.GeoDataFrame(out, geometry=geom, crs=WGS84)


def _summarise(probs: Problems, mask: np.ndarray, rows: np.ndarray, field: str, what: str) -> None:
    """Past 1,000 of one kind, one problems row lists the rest by count (the table stays readable)."""
    extra = int(mask.sum()) - 1000
    if extra > 0:
        rest = rows[np.flatnonzero(mask)[1000:]]
        probs.rows.append({"source": probs.source, "row": None, "field": field, "value": None,
                           "message": f"… and {extra} more {what} (rows {int(rest[0])} … {int(rest[-1])})"})
        probs.bad.update(int(r) for r in rest)


