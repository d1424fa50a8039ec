"""Analysis on chainage: what the dataset's rows say about the border, computed from a :class:`~bien_gioi_geo.Dataset`.

One module per job, each importing only those below it (``lint-imports`` checks it):

- :mod:`.intervals` — **where intervals are unioned**: union, gaps and overlaps of half-open chainage intervals.
- :mod:`.resolve` — each assignment (marker terms, km, a drawn line) resolved to a chainage interval.
- :mod:`.validity` — validity periods of dated rows: the rows valid on a date, ``as_of``, change points.
- :mod:`.units` — which administrative units a row is reported under on a date (``units_for_date``).
- :mod:`.coverage` — :func:`~.coverage.coverage` / :class:`~.coverage.Coverage`: covered km, gaps, overlaps, markers.
- :mod:`.ledger` — the timeline sweep over dated rows and the overlaps of carers over time.
- :mod:`.compare` — :func:`~.compare.compare` between two dates.

The public names are re-exported by the top-level package (``bg.coverage``, ``bg.compare``, ``bg.timeline``); this
package's ``__init__`` imports nothing, so ``bien_gioi_geo.analysis.coverage`` is the module.

Uses (layer ``analysis``): nothing else of the package.
"""
