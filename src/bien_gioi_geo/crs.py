"""Coordinate reference systems: parsing, conversion to WGS 84, VN-2000 and degree-minute-second text.

Everything inside the library is EPSG:4326 (WGS 84 longitude, latitude — always in that order). Input in any
CRS that pyproj knows is converted on read; VN-2000 (EPSG:4756 and the provincial TM-3 zones EPSG:9205–9218)
goes through pyproj's datum transformation, so the ~220 m VN-2000 ↔ WGS 84 shift in Lai Châu is applied, not
ignored.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pyproj

from .errors import CRSError, InputError

__all__ = [
    "WGS84",
    "VN2000",
    "VN2000_TM3",
    "as_crs",
    "to_wgs84",
    "from_wgs84",
    "parse_dms",
    "check_lonlat",
    "outside_area_of_use",
]

WGS84 = pyproj.CRS.from_epsg(4326)
VN2000 = pyproj.CRS.from_epsg(4756)
#: VN-2000 provincial TM-3 zones by central meridian (EPSG:9205 = 103°00' is the zone of Lai Châu and Điện Biên).
VN2000_TM3 = {
    "103-00": 9205, "104-00": 9206, "104-30": 9207, "104-45": 9208, "105-30": 9209, "105-45": 9210,
    "106-00": 9211, "106-15": 9212, "106-30": 9213, "107-00": 9214, "107-15": 9215, "107-30": 9216,
    "108-15": 9217, "108-30": 9218,
}


def as_crs(value: object, *, what: str = "crs") -> pyproj.CRS:
    """Return a :class:`pyproj.CRS` for ``value`` (an EPSG code, ``"EPSG:9205"``, WKT, PROJ string, CRS).

    Raises
    ------
    CRSError
        When pyproj does not know ``value``; the message repeats the value.

    Examples
    --------
    >>> as_crs(9205).name
    'VN-2000 / TM-3 103-00'
    >>> as_crs("EPSG:4326").to_epsg()
    4326
    """
    if value is None:
        raise CRSError(f"{what}: no CRS given; pass e.g. crs='EPSG:4326' or crs='EPSG:9205' (VN-2000 TM-3 103°)")
    if isinstance(value, pyproj.CRS):
        return value
    try:
        return pyproj.CRS.from_user_input(value)
    except (pyproj.exceptions.CRSError, TypeError, ValueError) as exc:
        raise CRSError(f"{what}: pyproj does not know the CRS {value!r} ({exc})") from None


_TRANSFORMERS: dict[tuple[str, str], pyproj.Transformer] = {}


def _transformer(src: pyproj.CRS, dst: pyproj.CRS) -> pyproj.Transformer:
    key = (src.to_wkt(), dst.to_wkt())
    t = _TRANSFORMERS.get(key)
    if t is None:
        t = pyproj.Transformer.from_crs(src, dst, always_xy=True)
        _TRANSFORMERS[key] = t
    return t


def _floats(values: object, what: str) -> np.ndarray:
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InputError(f"{what}: expected numbers, got {str(values)[:60]!r} ({exc})") from None


def to_wgs84(x: np.ndarray, y: np.ndarray, crs: object) -> tuple[np.ndarray, np.ndarray]:
    """Convert coordinates in ``crs`` (x/easting/longitude first) to WGS 84 longitude and latitude.

    Examples
    --------
    >>> lon, lat = to_wgs84([530669.52], [2489054.00], "EPSG:9205")
    >>> round(float(lon[0]), 5), round(float(lat[0]), 5)
    (103.3, 22.5)
    """
    src = as_crs(crs)
    x, y = _floats(x, "x"), _floats(y, "y")
    if x.shape != y.shape:
        raise InputError(f"x and y differ in shape ({x.shape} and {y.shape}); give one y per x")
    if src.equals(WGS84):
        return x.copy(), y.copy()
    lon, lat = _transformer(src, WGS84).transform(x, y)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def from_wgs84(lon: np.ndarray, lat: np.ndarray, crs: object) -> tuple[np.ndarray, np.ndarray]:
    """Convert WGS 84 longitude/latitude to ``crs`` (x/easting first)."""
    dst = as_crs(crs)
    lon, lat = _floats(lon, "lon"), _floats(lat, "lat")
    if lon.shape != lat.shape:
        raise InputError(f"lon and lat differ in shape ({lon.shape} and {lat.shape}); give one lat per lon")
    if dst.equals(WGS84):
        return lon.copy(), lat.copy()
    x, y = _transformer(WGS84, dst).transform(lon, lat)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


_SEPARATORS = re.compile(r"[°º˚'′’\"″”\s]+")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
_HEMI = {"N": 1, "B": 1, "S": -1, "E": 1, "Đ": 1, "W": -1, "T": -1}  # B = Bắc, Đ = Đông, T = Tây (vi)
_AXIS_OF = {"N": "lat", "S": "lat", "B": "lat", "E": "lon", "W": "lon", "Đ": "lon", "T": "lon"}


def parse_dms(text: object, axis: str) -> float:
    """Parse a latitude or longitude written as decimal degrees or degree-minute-second text.

    Accepts ``22°31'45.2"N``, ``22° 31′ 45.2″ N``, ``N 22 31 45.2``, ``103°08'E``, ``22.529``, ``-8.5`` and the
    Vietnamese hemisphere letters B (Bắc, north) and Đ (Đông, east). Without a hemisphere letter the value is
    taken as written (positive = north/east). Minutes and seconds must be below 60.

    Parameters
    ----------
    text
        The text (or a number, returned as float).
    axis
        ``"lat"`` or ``"lon"``; a hemisphere letter of the other axis (``E`` in a latitude) is an error.

    Returns
    -------
    float
        Decimal degrees.

    Raises
    ------
    InputError
        (a :class:`ValueError`) with a message saying what was expected (callers wrap it with file/row/field).

    Examples
    --------
    >>> round(parse_dms('22°31\\'45.2"N', "lat"), 6)
    22.529222
    >>> parse_dms("103°08'E", "lon")
    103.13333333333334
    >>> parse_dms("S 8 30", "lat")
    -8.5
    """
    if axis not in ("lat", "lon"):
        raise InputError(f"axis must be 'lat' or 'lon', not {axis!r}")
    if isinstance(text, (int, float, np.integer, np.floating)) and not isinstance(text, bool):
        try:
            value = float(text)
        except OverflowError:
            raise InputError(f"{text!r} is not a finite number of degrees") from None
    else:
        if not isinstance(text, str) or not text.strip() or len(text) > 60:
            shown = repr(text) if len(repr(text)) <= 60 else repr(text)[:59] + "…"
            raise InputError(f"expected degrees such as 22.5291 or 22°31'45.2\"N, got {shown}")
        body = text.strip()
        letters = []
        if body and body[0].upper() in _HEMI:
            letters.append(body[0].upper())
            body = body[1:].strip()
        if body and body[-1].upper() in _HEMI:
            letters.append(body[-1].upper())
            body = body[:-1].strip()
        sign = 1.0
        if body[:1] in ("-", "+", "−"):
            sign = -1.0 if body[0] != "+" else 1.0
            body = body[1:].strip()
        tokens = [t for t in _SEPARATORS.split(body) if t]
        if not 1 <= len(tokens) <= 3 or not all(_NUMBER.match(t) for t in tokens):
            raise InputError(f"cannot read {text!r} as degrees; expected e.g. 22.5291 or 22°31'45.2\"N")
        nums = [float(t.replace(",", ".")) for t in tokens]
        if any(("." in t or "," in t) for t in tokens[:-1]):
            raise InputError(f"only the last of degrees/minutes/seconds may have decimals in {text!r}")
        if any(v >= 60 for v in nums[1:]):
            raise InputError(f"minutes and seconds must be below 60 in {text!r}")
        value = sum(v / 60.0**k for k, v in enumerate(nums))
        if len(letters) > 1:
            raise InputError(f"two hemisphere letters in {text!r}")
        if letters:
            h = letters[0]
            if _AXIS_OF[h] != axis:
                raise InputError(
                    f"hemisphere letter {h!r} in {text!r} belongs to "
                    f"{'a latitude' if _AXIS_OF[h] == 'lat' else 'a longitude'}, but this is the {axis} field"
                    " (are latitude and longitude swapped?)"
                )
            if sign < 0:
                raise InputError(f"both a minus sign and a hemisphere letter in {text!r}")
            sign = float(_HEMI[h])
        value *= sign
    if not math.isfinite(value):
        raise InputError(f"{text!r} is not a finite number of degrees")
    limit = 90.0 if axis == "lat" else 180.0
    if abs(value) > limit:
        raise InputError(f"{axis} {value!r} is outside ±{limit:g}° (projected metres? then give x/y and the CRS)")
    return value


def check_lonlat(lon: float, lat: float) -> str | None:
    """Return a message when ``(lon, lat)`` cannot be WGS 84 degrees, else ``None``."""
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return f"coordinates ({lon!r}, {lat!r}) are not finite numbers"
    if abs(lat) > 90 or abs(lon) > 180:
        if abs(lon) > 1000 or abs(lat) > 1000:
            return (
                f"coordinates ({lon!r}, {lat!r}) look like projected metres (e.g. VN-2000 TM-3), not WGS 84 "
                "degrees; state the CRS (crs='EPSG:9205' …)"
            )
        return f"coordinates ({lon!r}, {lat!r}) are outside longitude ±180° / latitude ±90°"
    return None


#: How far (degrees) coordinates may lie outside a CRS's published area of use before they are refused. TM-3 zones
#: are routinely used a zone or two beyond their nominal province; coordinates in the wrong unit land thousands of
#: kilometres away.
AREA_MARGIN_DEG = 3.0


def outside_area_of_use(lon: np.ndarray, lat: np.ndarray, crs: object, *,
                        margin_deg: float = AREA_MARGIN_DEG) -> int | None:
    """Index of the first WGS 84 position (converted from ``crs``) outside ``crs``'s area of use, or ``None``.

    pyproj's :attr:`pyproj.CRS.area_of_use` bounds, widened by ``margin_deg``; CRSs without an area of use (or
    crossing the antimeridian) are not checked. Non-finite positions count as outside.

    Examples
    --------
    >>> outside_area_of_use(np.array([103.3]), np.array([22.5]), "EPSG:9205") is None
    True
    >>> outside_area_of_use(np.array([98.4]), np.array([0.0002]), "EPSG:9205")
    0
    """
    area = as_crs(crs).area_of_use
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    bad = ~(np.isfinite(lon) & np.isfinite(lat))
    if area is not None and area.west <= area.east:
        bad |= (lon < area.west - margin_deg) | (lon > area.east + margin_deg)
        bad |= (lat < area.south - margin_deg) | (lat > area.north + margin_deg)
    idx = np.flatnonzero(bad)
    return int(idx[0]) if len(idx) else None


def area_text(crs: object) -> str:
    """``"VN-2000 / TM-3 103-00 (EPSG:9205), area of use: Vietnam - ... (102.14°E–103.50°E, 20.60°N–22.82°N)"``."""
    c = as_crs(crs)
    code = c.to_epsg()
    name = f"{c.name} (EPSG:{code})" if code else c.name
    a = c.area_of_use
    if a is None:
        return name
    return (f"{name}, area of use: {a.name} ({a.west:.2f}°–{a.east:.2f}° longitude, "
            f"{a.south:.2f}°–{a.north:.2f}° latitude)")
