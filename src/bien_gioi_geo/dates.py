"""Reading dates: date objects, ISO text (``2024-12-31``) and Vietnamese day-first text (``31/12/2024``).

The one date parser of the package: ``as_of=`` options, ``valid_from``/``valid_to`` cells and the dates
:func:`~bien_gioi_geo.formatting.format_date` is given as text all go through :func:`parse_date`. It sits at the
bottom of the layers (it needs only :mod:`~bien_gioi_geo.errors`), so that formatting and analysis can both use it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["parse_date"]

_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S")


def parse_date(value: Any, *, field: str = "as_of") -> dt.date:
    """Read a date: a :class:`datetime.date`/``datetime``/``pandas.Timestamp``/``numpy.datetime64``, ISO text
    (``2024-12-31``) or Vietnamese day-first text (``31/12/2024``).

    Examples
    --------
    >>> parse_date("31/12/2024"), parse_date("2024-12-31")
    (datetime.date(2024, 12, 31), datetime.date(2024, 12, 31))
    """
    if isinstance(value, np.datetime64) and not np.isnat(value):
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime) and value is not pd.NaT:
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        s = value.strip()
        for fmt in _FORMATS:
            try:
                return dt.datetime.strptime(s, fmt).date()
            except ValueError:
                continue
    raise InputError(f"{field}: expected a date such as '2024-12-31' or '31/12/2024', got {value!r}")
