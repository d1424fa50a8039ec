"""The library's exception tree.

Every error raised on purpose by bien_gioi_geo is a :class:`BienGioiError`. The concrete classes also subclass
:class:`ValueError`, so code that already catches ``ValueError`` keeps working.

Messages name the file, the feature or row (counted from 1, as a person counts), the field, the bad value
(shown with ``repr``) and what was expected.
"""

from __future__ import annotations

__all__ = ["BienGioiError", "InputError", "CRSError", "ReferencingError", "OutputError", "OptionError",
           "check_option"]


class BienGioiError(Exception):
    """Base class of every error raised by bien_gioi_geo."""


class InputError(BienGioiError, ValueError):
    """Input data (a file, a table, a geometry, an argument) cannot be used as given."""


class CRSError(BienGioiError, ValueError):
    """A coordinate reference system is missing, unknown, or does not fit the coordinates."""


class ReferencingError(BienGioiError, ValueError):
    """A linear-referencing request cannot be answered (empty border, bad chainage, ...)."""


class OutputError(BienGioiError, OSError):
    """An output file or folder cannot be written."""


class OptionError(BienGioiError, ValueError):
    """An option (keyword argument or command-line option) has a value the function does not accept."""


def check_option(name: str, value: object, allowed: object) -> None:
    """Raise :class:`OptionError` naming ``name`` and the allowed values unless ``value`` is one of ``allowed``.

    Examples
    --------
    >>> check_option("lang", "fr", ("vi", "en"))
    Traceback (most recent call last):
    ...
    bien_gioi_geo.errors.OptionError: lang='fr' is not allowed; choose one of 'vi', 'en'
    """
    choices = list(allowed)  # type: ignore[call-overload]
    try:
        ok = value in choices
    except TypeError:  # an unhashable or odd value
        ok = False
    if not ok:
        shown = ", ".join(repr(c) for c in choices[:30]) + (", ..." if len(choices) > 30 else "")
        raise OptionError(f"{name}={value!r} is not allowed; choose one of {shown}")


def where(source: str | None = None, row: int | None = None, field: str | None = None, *,
          unit: str = "feature") -> str:
    """Format the place of a problem: ``"markers.csv, row 17, field 'lat'"``.

    Parameters
    ----------
    source
        File name or table name.
    row
        1-based row or feature number.
    field
        Column or property name.
    unit
        ``"feature"`` for GeoJSON/vector files, ``"row"`` for tables.

    Examples
    --------
    >>> where("markers.csv", 17, "lat", unit="row")
    "markers.csv, row 17, field 'lat'"
    """
    parts = []
    if source:
        parts.append(str(source))
    if row is not None:
        parts.append(f"{unit} {row}")
    if field is not None:
        parts.append(f"field {field!r}")
    return ", ".join(parts) if parts else "input"
