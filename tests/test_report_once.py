"""A report run computes its coverage, its issues and its comparison once and hands them down (issue #12): the
map, the printable map, the Word report, the tables and the change outputs all read the same results."""

from __future__ import annotations

import datetime as dt
from collections import Counter


def test_report_computes_coverage_issues_and_comparison_once(dated, tmp_path, monkeypatch):
    from bien_gioi_geo import report_change, validation
    from bien_gioi_geo.analysis import compare as compare_module
    from bien_gioi_geo.analysis.coverage import Coverage
    from bien_gioi_geo.report import write_report

    calls: Counter[str] = Counter()
    dates: Counter[dt.date | None] = Counter()

    def counted(name, fn):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return fn(*args, **kwargs)
        return wrapper

    compare = counted("compare", compare_module.compare)
    monkeypatch.setattr(compare_module, "compare", compare)  # looked up when the report imports it
    monkeypatch.setattr(report_change, "compare", compare)  # the name report_change bound at its import
    monkeypatch.setattr(validation, "validate", counted("validate", validation.validate))
    init = Coverage.__init__

    def coverage_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        dates[self.as_of] += 1

    monkeypatch.setattr(Coverage, "__init__", coverage_init)
    write_report(dated, tmp_path / "r", as_of="2021-12-31", compare=("2020-12-31", "2021-12-31"))
    assert calls == {"compare": 1, "validate": 1}
    # coverages: the report's (31/12/2021), compare's two dates, and the timeline chart's sweep (one per year end
    # of the history, 2019-2021); none recomputed by the map, the printable map or the Word report
    assert dates == {dt.date(2021, 12, 31): 1 + 1 + 1, dt.date(2020, 12, 31): 1 + 1, dt.date(2019, 12, 31): 1}
