"""Excel sheets read with their cached values, merged ranges and Excel row numbers."""

from __future__ import annotations

import warnings
from pathlib import Path

from ..errors import InputError
from .common import LAT_NAMES, LON_NAMES, MODEL_FIELDS, WKT_NAMES, X_NAMES, Y_NAMES
from .problems import Raw
from .tabular import office_table, raw_table
from .texts import add


def raw_excel(p: Path, *, crs: object, kind: str, sheet: str | None, header_row: int | None = None,
               axis_order: str | None = None) -> Raw:
    """An Excel sheet read as text cells (the first sheet unless ``sheet`` names one), then as a CSV table.

    Cells are read with their cached values; a formula without one (a workbook written by a program, never
    opened in Excel) is reported, and a merged range in the data is filled with its value and noted.
    """
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unknown extensions, data validation…
            wb = openpyxl.load_workbook(p, data_only=True)
            wb_f = openpyxl.load_workbook(p, data_only=False)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException for broken files
        raise InputError(f"{p.name}: cannot read the workbook ({type(exc).__name__}: {exc}); is it really an "
                         ".xlsx file? save it again from Excel as 'Excel Workbook (.xlsx)'") from None
    if sheet is not None and sheet not in wb.sheetnames:
        raise InputError(f"{p.name}: no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}")
    ws = wb[sheet] if sheet is not None else wb.worksheets[0]
    ws_f = wb_f[ws.title]
    source = f"{p.name}, sheet {ws.title!r}"
    notes: list[str] = []
    formulas: dict[tuple[int, int], str] = {}

    def cell(v: object) -> str:
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return v.isoformat() if hasattr(v, "isoformat") else str(v)

    cells = [list(row) for row in ws.iter_rows(values_only=True)]
    office = office_table(p.name, ws.title, [list(r) for r in cells], list(range(1, len(cells) + 1)), crs=crs,
                           kind=kind, header_row=header_row, axis_order=axis_order,
                           merged=[r.bounds for r in ws.merged_cells.ranges])
    values = [[cell(v) for v in row] for row in cells]
    for r, row in enumerate(ws_f.iter_rows(values_only=True)):
        for c, v in enumerate(row):
            if isinstance(v, str) and v.startswith("=") and r < len(values) and c < len(values[r]) \
                    and values[r][c] == "":
                formulas[(r, c)] = v
    for rng in ws.merged_cells.ranges:
        # a range merged down several rows holds one value for each of them: fill it into its column
        if rng.max_row > rng.min_row and rng.min_row - 1 < len(values):
            c = rng.min_col - 1
            top = values[rng.min_row - 1][c] if c < len(values[rng.min_row - 1]) else ""
            for r in range(rng.min_row, min(rng.max_row, len(values))):
                if c < len(values[r]):
                    values[r][c] = top
            notes.append(f"merged cells {rng.coord} filled with {top!r} in each of their rows")
    if not values or not any(c.strip() for r in values for c in r):
        raise InputError(f"{source}: the sheet is empty; expected a header row")
    nonblank = [k for k, r in enumerate(values) if any(c != "" for c in r)]
    first = next((k for k in nonblank[:20] if _looks_like_header(values[k], kind)), nonblank[0])
    if first != nonblank[0]:
        notes.append(f"rows {nonblank[0] + 1}–{first} above the header row {first + 1} (a title?) were not read: "
                     f"{' '.join(c for c in values[nonblank[0]] if c)[:60]!r}")
    width = max(len(r) for r in values)
    header = values[first] + [""] * (width - len(values[first]))
    while header and not header[-1].strip():  # trailing empty header cells
        header.pop()
    rows = [(k + 1, r[: len(header)] + [""] * (len(header) - len(r))) for k, r in enumerate(values)
            if k > first and any(c.strip() for c in r[: max(len(header), 1)])]
    raw = office or raw_table(source, header, rows, crs=crs, kind=kind, header_line=first + 1, line_word="row")
    header_at = {c: h.strip() for c, h in enumerate(header)}
    for (r, c), formula in sorted(formulas.items()):
        if r > first and c in header_at:
            add(raw.problems, r + 1, header_at[c], formula, "formula")
    for n in notes if office is None else ():
        raw.problems.note(n)
    return raw


def _looks_like_header(cells: list[str], kind: str) -> bool:
    names = {c.strip().casefold() for c in cells}
    return bool(names & {*MODEL_FIELDS.get(kind, ()), *LON_NAMES, *LAT_NAMES, *X_NAMES, *Y_NAMES, *WKT_NAMES})
