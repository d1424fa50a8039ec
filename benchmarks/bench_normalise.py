"""Benchmark: model.normalise_rows on an office assignments sheet, against a plain pandas read in the same process.

    python benchmarks/bench_normalise.py [--quick]

Rows: N synthetic assignment rows as an office types them (Vietnamese headers, NFD text, thousands dots,
``Km a+b`` chainages, marker-anchored positions, day-first dates, a description in every tenth row). The
baseline builds a DataFrame from the same cells and converts the numeric columns with ``pd.to_numeric`` (no
office rules): the cost of reading without understanding the cells. Reported: rows per second and the ratio.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from bien_gioi_geo.model import normalise_rows  # noqa: E402

HEADER = ["Mã tổ", "Thôn, bản", "Xã", "Hình thức", "Số hộ", "Số nhân khẩu", "Từ mốc", "Đến mốc", "Từ km",
          "Đến km", "Từ ngày", "Ghi chú"]


def rows(n: int) -> list[list[object]]:
    out: list[list[object]] = []
    for i in range(n):
        km = i * 0.35
        desc = f"tự quản từ mốc {i} đến mốc {i + 1}" if i % 10 == 0 else None
        out.append([f"MT-{i:05d}", unicodedata.normalize("NFD", f"Bản Nậm {i % 50}"), "Pa Vây Sử",
                     "Tập thể" if i % 3 else "Cá nhân", f"{1000 + i:,}".replace(",", "."), str(4 * i + 3),
                     None if desc else f"{i}+{i % 900}", None if desc else f"mốc {i + 1} - 50 m",
                     None if desc else f"Km {int(km)}+{int(km * 1000) % 1000:03d}",
                     None if desc else f"{km + 0.3:.3f}".replace(".", ","), f"{1 + i % 28}/{1 + i % 12}/2024", desc])
    return out


def baseline(data: list[list[object]]) -> pd.DataFrame:
    df = pd.DataFrame(data, columns=HEADER)
    for c in ("Số hộ", "Số nhân khẩu", "Đến km"):
        df[c] = pd.to_numeric(df[c].str.replace(".", "", regex=False).str.replace(",", ".", regex=False),
                              errors="coerce")
    df["Từ ngày"] = pd.to_datetime(df["Từ ngày"], dayfirst=True, format="%d/%m/%Y")
    return df


def timed(fn, *args, **kw):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    n = 2_000 if ap.parse_args().quick else 20_000
    data = rows(n)
    _, t_base = timed(baseline, data)
    (frame, notes, problems), t_ours = timed(normalise_rows, HEADER, data, table="assignments",
                                             source="bench.xlsx", sheet="Tổ tự quản", first_row_number=5)
    assert problems.empty, problems.head()
    assert len(frame) == n
    print(json.dumps({"rows": n, "normalise_rows_per_s": round(n / t_ours), "baseline_rows_per_s": round(n / t_base),
                      "ratio_slower": round(t_ours / t_base, 1), "notes": len(notes)}, indent=1))


if __name__ == "__main__":
    main()
