"""Coverage maps with folium: one self-explanatory, self-contained HTML page.

Safety
    No text from the data is ever written into HTML or JavaScript source. Each layer's data (coordinates,
    names, ids, counts) is embedded as one JSON value in which ``<``, ``>``, ``&``, U+2028 and U+2029 are
    ``\\u``-escaped, so nothing in it can close the ``<script>`` element or break the JavaScript; tooltips, the legend
    and the search box are built in the browser with ``textContent``, never ``innerHTML``. A village named
    ``<script>alert(1)</script>`` shows as that text and runs nothing. Nor does any text from the data pass
    through a Jinja2 template: branca compiles the output of its elements (and of every ``MacroElement``'s script)
    as a template, so our script and header elements (``_Raw``, ``_Script``) hand their text to the page as it is;
    ``Xã {{7*7}}`` shows as ``Xã {{7*7}}``, never ``Xã 49``. The names folium's own elements carry (layer names,
    options) are our labels, never data. The marker search looks names up in a JavaScript ``Map``: typing
    ``constructor`` or ``__proto__`` finds no marker. The runtime is ``static/map_runtime.js``.
Offline
    With ``self_contained=True`` (the default) Leaflet's JavaScript and CSS (from the PyPI package
    ``django-js-lib-leaflet``, which repackages Leaflet 1.9.4, BSD-2) are inlined and folium's other CDN assets
    (jQuery, Bootstrap, Font Awesome), which this map does not use, are left out: the page shows the lines,
    markers, legend and controls with no internet. Only the background tiles need a network; without it the
    background stays blank.
Many markers
    Markers are drawn on a canvas renderer (``preferCanvas``), which keeps 10,000 posts responsive; their layer can
    be hidden from the layer control.
"""

from __future__ import annotations

import base64
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from .coverage import Coverage, coverage
from .dataset import Dataset
from .errors import check_option
from .labels import label
from .outputs import atomic_file, json_surrogates

__all__ = ["coverage_map", "save_map", "PALETTE"]

#: Colour-blind-safe categorical palette (Okabe–Ito, then Tol's muted), for stretches by commune.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#56B4E9", "#D55E00", "#CC79A7", "#F0E442", "#332288",
           "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#AA4499", "#882255", "#6699CC"]
KIND_RADIUS = {"triple": 8, "double": 6.5, "single": 5, "auxiliary": 4, "stake": 3}
SIDE_COLOUR = {"VN": "#DA251D", "CN": "#FFDE00", "LA": "#002868", "KH": "#032EA1"}
GAP_COLOUR = "#D00000"
OVERLAP_COLOUR = "#7B2CBF"


def _js_json(obj: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line separators in clear."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return json_surrogates(text)  # a lone surrogate (broken UTF-16 in the data) stays a JSON escape


def _txt(v: Any) -> str:
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "—"
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v)) if v else "—"
    if isinstance(v, float):
        return f"{v:,.3f}"
    return str(v)


def _latlng(geom: Any, ndigits: int = 6) -> list[Any]:
    """Leaflet coordinates ([lat, lng], nested per part) of a line or point."""
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Point":
        return [round(geom.y, ndigits), round(geom.x, ndigits)]
    parts = list(geom.geoms) if geom.geom_type.startswith("Multi") else [geom]
    return [[[round(y, ndigits), round(x, ndigits)] for x, y in shapely.get_coordinates(p)] for p in parts]


def _leaflet_assets() -> tuple[str, str]:
    base = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(m: re.Match[str]) -> str:
        name = m.group(1)
        data = (base / "images" / name).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode()})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, css)
    return js.replace("</script", "<\\/script"), css




def _runtime_js() -> str:
    return (resources.files("bien_gioi_geo") / "static" / "map_runtime.js").read_text(encoding="utf-8")


_CLASSES: dict[str, Any] = {}


def _branca_classes() -> dict[str, Any]:
    """Two branca elements whose output is never compiled as a Jinja2 template (see the module notes).

    branca compiles a string given to ``Element(...)`` as a template, and :class:`~branca.element.MacroElement`
    wraps its rendered ``script`` macro in such an ``Element`` before the page is rendered: data inside would be
    evaluated (``{{7*7}}`` shows ``49``). ``_Raw`` returns its text as it is; ``_Script`` puts a ``_Raw`` holding
    its JavaScript into the page's script section instead of going through a template.
    """
    if not _CLASSES:  # defined on first use: folium/branca are imported only when a map is drawn
        from branca.element import Element, MacroElement

        class _Raw(Element):
            def __init__(self, text: str) -> None:
                super().__init__()
                self._name = "BienGioiRaw"
                self.text = text

            def render(self, **kwargs: Any) -> str:
                return self.text

        class _Script(MacroElement):
            def __init__(self, js: str) -> None:
                super().__init__()
                self._name = "BienGioiLayer"
                self.js = js

            def render(self, **kwargs: Any) -> str:
                root: Any = self.get_root()
                root.script.add_child(_Raw(self.js), name=self.get_name())
                return ""  # like MacroElement: the output goes to the page's script section, not here

        _CLASSES.update(raw=_Raw, script=_Script)
    return _CLASSES


def _macro(js: str) -> Any:
    """A branca element that writes ``js`` (already safe JavaScript) into the map's script section, verbatim."""
    return _branca_classes()["script"](js)


def _raw(html: str) -> Any:
    """A branca element that writes ``html`` (our own markup) verbatim, never compiled as a template."""
    return _branca_classes()["raw"](html)


def coverage_map(dataset: Dataset, coverage_result: Coverage | None = None, *, lang: str = "vi",
                 color_by: str = "commune", issues: pd.DataFrame | None = None, m: Any = None,
                 tiles: str | None = "OpenStreetMap", self_contained: bool = True,
                 show_markers: bool = True, as_of: Any = None) -> Any:
    """Draw the border, the self-managed stretches, gaps, overlaps, problems and markers on a folium map.

    Parameters
    ----------
    dataset
        The dataset.
    coverage_result
        Its :func:`bien_gioi_geo.coverage` (computed here when not given).
    lang
        ``"vi"`` (default) or ``"en"`` for every label, tooltip and the legend.
    color_by
        Assignment column that colours the stretches (default ``"commune"``).
    issues
        A :func:`bien_gioi_geo.validate` table to show as a layer (computed here when not given; pass an empty
        frame to leave it out).
    m
        An existing :class:`folium.Map` to draw on (default: a new one).
    tiles
        Background tiles for a new map (``None`` for none).
    self_contained
        Inline Leaflet so the page works without internet (see the module notes).
    show_markers
        Draw the marker posts.
    as_of
        The date to draw (rows valid then; default today for dated data); the legend states it.

    Returns
    -------
    folium.Map
        Save it with :func:`save_map` (atomic) or ``m.save(path)``.
    """
    try:
        import folium
    except ImportError as exc:  # pragma: no cover - folium is a dependency
        raise ImportError("coverage_map needs folium: pip install folium") from exc
    check_option("lang", lang, ("vi", "en"))
    cov = coverage_result if coverage_result is not None else coverage(dataset, as_of=as_of)
    a = dataset.assignments
    check_option("color_by", color_by, [c for c in a.columns if c != "geometry"])
    if issues is None:
        from .validation import validate

        issues = validate(dataset, cov=cov, as_of=as_of, lang=lang)
    L = lambda k: label(k, lang)  # noqa: E731

    # ---------------------------------------------------------------- map and assets
    bounds = None
    for b in dataset.borders.values():
        x0, y0, x1, y1 = b.geometry.bounds
        bounds = [[y0, x0], [y1, x1]] if bounds is None else [[min(bounds[0][0], y0), min(bounds[0][1], x0)],
                                                              [max(bounds[1][0], y1), max(bounds[1][1], x1)]]
    assert bounds is not None  # a Dataset has at least one border
    if m is None:
        m = folium.Map(location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2],
                       zoom_start=10, tiles=None, control_scale=True, prefer_canvas=True)
        if tiles is not None:
            folium.TileLayer(tiles, name=tiles if isinstance(tiles, str) else "tiles").add_to(m)
        m.fit_bounds(bounds, padding_top_left=(20, 20), padding_bottom_right=(280, 20))  # room for the legend
    if self_contained:
        js, css = _leaflet_assets()
        m.default_js = []
        m.default_css = []
        fig = m.get_root()
        fig.header.add_child(_raw(f"<style>{css}</style>"), name="leaflet_css_inline")
        fig.header.add_child(_raw(f"<script>{js}</script>"), name="leaflet_js_inline")
    else:
        m.default_js = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js")]
        m.default_css = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css")]
    fig = m.get_root()
    runtime = _runtime_js().replace("</script", "<\\/script")
    fig.header.add_child(_raw(f"<script>{runtime}</script>"), name="bien_gioi_runtime")
    attribution = "Border line: © OpenStreetMap contributors (ODbL 1.0)"
    fig.header.add_child(_raw('<meta name="referrer" content="no-referrer">'), name="bien_gioi_referrer")
    mapname = m.get_name()

    def group(name: str, show: bool = True) -> Any:
        fg = folium.FeatureGroup(name=name, show=show)
        fg.add_to(m)
        return fg

    # ---------------------------------------------------------------- border with chainage on hover
    fg = group(L("border"))
    parts = []
    for b in dataset.borders.values():
        vkm = b.vertex_chainage_km
        cal = b.calibration
        k0 = 0
        for part in b.to_geodataframe().itertuples():
            n = len(part.geometry.coords)
            km = vkm[k0:k0 + n]
            k0 += n
            shown = cal.to_official(km) if cal is not None else km
            parts.append([_latlng(part.geometry)[0], [round(float(v), 4) for v in np.atleast_1d(shown)]])
    official = any(b.calibration is not None for b in dataset.borders.values())
    title = L("chainage_km") + (" (" + ("chính thức" if lang == "vi" else "official") + ")" if official else "")
    fg.add_child(_macro(f"bgGeo.chainage({mapname}, {fg.get_name()}, {_js_json(parts)}, {_js_json(title)}, '');"))

    # ---------------------------------------------------------------- stretches by category
    iv = cov.intervals
    cats = sorted({str(v) for v in a[color_by].dropna()}, key=str)
    colour = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(cats)}
    labels = [L("assignment_id"), L("village"), L("commune"), L("group_type"), L("households"), L("people"),
              L("length_km"), L("official_length_km"), L("chainage_km")]
    styles = [{"color": "#777"}] + [{"color": colour[c]} for c in cats]
    style_of = {c: k + 1 for k, c in enumerate(cats)}
    ok = iv.index[np.isfinite(iv["start_km"]) & (iv["length_km"] > 0)]
    geoms = pd.Series(None, index=ok, dtype=object)
    for bid, sel in iv.loc[ok].groupby("border_id", sort=False).groups.items():
        geoms.loc[sel] = dataset.borders[bid].cut(iv.loc[sel, "start_km"], iv.loc[sel, "end_km"]).values
    feats = []
    for idx in ok:
        r = iv.loc[idx]
        row = a.loc[idx]
        cat = row[color_by]
        km_off = r["official_end_km"] - r["official_start_km"]
        feats.append({"c": _latlng(geoms[idx]), "s": style_of.get(str(cat), 0) if pd.notna(cat) else 0, "t": [
            _txt(row["assignment_id"]), _txt(row.get("village")), _txt(row.get("commune")),
            _txt(row.get("group_type")), _txt(row.get("households")), _txt(row.get("people")),
            f"{r['length_km']:.3f}", f"{km_off:.3f}" if np.isfinite(km_off) else "—",
            f"{r['start_km']:.3f} – {r['end_km']:.3f}"]})
    fg = group(L("stretches"))
    stretch_data = {"labels": labels, "styles": styles, "feats": feats}
    fg.add_child(_macro(f"bgGeo.lines({fg.get_name()}, {_js_json(stretch_data)}, "
                        f"{_js_json({'weight': 7, 'opacity': 0.75})});"))

    # ---------------------------------------------------------------- gaps, overlaps, problems
    gap_data = {"labels": ["", L("chainage_km"), L("length_km")], "styles": [{}], "feats": [
        {"c": _latlng(r.geometry), "t": [L("gap_layer"), f"{r.start_km:.3f} – {r.end_km:.3f}", f"{r.length_km:.3f}"]}
        for r in cov.gaps.itertuples() if r.geometry is not None]}
    fg = group(L("gap_layer"))
    fg.add_child(_macro(f"bgGeo.lines({fg.get_name()}, {_js_json(gap_data)}, "
                        f"{_js_json({'color': GAP_COLOUR, 'weight': 9, 'dashArray': '10 8', 'opacity': 0.95})});"))
    ov_data = {"labels": ["", L("assignment_id"), L("chainage_km"), L("length_km")], "styles": [{}], "feats": [
        {"c": _latlng(r.geometry), "t": [L("overlap_layer"), _txt(r.assignment_ids),
                                         f"{r.start_km:.3f} – {r.end_km:.3f}", f"{r.length_km:.3f}"]}
        for r in cov.overlaps.itertuples() if r.geometry is not None]}
    fg = group(L("overlap_layer"))
    fg.add_child(_macro(f"bgGeo.lines({fg.get_name()}, {_js_json(ov_data)}, "
                        f"{_js_json({'color': OVERLAP_COLOUR, 'weight': 12, 'opacity': 0.6})});"))
    prob_labels = [L("rule"), L("severity"), L("message")]
    prob_lines: dict[str, Any] = {"labels": prob_labels, "styles": [{}], "feats": []}
    prob_pts: dict[str, Any] = {"labels": prob_labels, "feats": [], "styles": [
        {"radius": 11, "color": "#000", "weight": 2, "fill": False, "dashArray": "3 3"}]}
    shown_elsewhere = {"gap", "overlap", "marker_unassigned"}  # they have their own layers and symbols
    for r in issues.itertuples():
        g = r.geometry
        if g is None or g.is_empty or r.rule in shown_elsewhere:
            continue
        t = [_txt(r.rule), _txt(r.severity), _txt(r.message)]
        if g.geom_type == "Point":
            prob_pts["feats"].append({"c": _latlng(g), "t": t})
        elif g.geom_type in ("LineString", "MultiLineString"):
            prob_lines["feats"].append({"c": _latlng(g), "t": t})
    fg = group(L("problem_layer"), show=True)
    fg.add_child(_macro(f"bgGeo.lines({fg.get_name()}, {_js_json(prob_lines)}, "
                        f"{_js_json({'color': '#000', 'weight': 3, 'dashArray': '2 6', 'opacity': 0.9})});"
                        f"bgGeo.points({fg.get_name()}, {_js_json(prob_pts)}, {mapname});"))

    # ---------------------------------------------------------------- markers
    mk = cov.markers
    m_labels = [L("marker_id"), L("kind"), L("emplaced_by"), L("chainage_km"), L("carers")]
    m_styles: list[dict[str, Any]] = []
    style_ix: dict[tuple[str, str, bool], int] = {}

    def style(kind: str, side: str, ring: bool) -> int:
        key = (kind, side, ring)
        if key not in style_ix:
            radius = KIND_RADIUS.get(kind, 5)
            style_ix[key] = len(m_styles)
            m_styles.append({"radius": radius + 6, "color": GAP_COLOUR, "weight": 3, "fill": False,
                             "dashArray": "4 3"} if ring else
                            {"radius": radius, "weight": 2, "color": "#1b1b1b",
                             "fillColor": SIDE_COLOUR.get(side, "#BBBBBB"), "fillOpacity": 0.95})
        return style_ix[key]

    pts = []
    if show_markers and not mk.empty:
        for r in mk.itertuples():
            kind = r.kind if isinstance(r.kind, str) else "single"
            side = r.emplaced_by if isinstance(r.emplaced_by, str) else ""
            carers = list(r.carers)
            c = _latlng(r.geometry)
            t = [_txt(r.marker_id), L(kind), L(side) if side else "—",
                 f"{r.chainage_km:.3f}" if np.isfinite(r.chainage_km) else "—",
                 _txt(carers) if carers else L("no_carer")]
            if not carers:  # a wide dashed red ring: "nobody looks after this marker"
                pts.append({"c": c, "t": t, "s": style("", "", True)})
            pts.append({"c": c, "t": t, "k": [str(r.marker_id), str(r.number)], "s": style(kind, side, False)})
    marker_data = {"labels": m_labels, "styles": m_styles, "feats": pts}
    fg = group(L("marker_layer"))
    search_ph = "Tìm số mốc…" if lang == "vi" else "Find marker…"
    not_found = "Không có mốc này" if lang == "vi" else "No such marker"
    fg.add_child(_macro(f"var idx_{fg.get_name()} = bgGeo.points({fg.get_name()}, {_js_json(marker_data)}, "
                        f"{mapname});"
                        f"bgGeo.search({mapname}, idx_{fg.get_name()}, {_js_json(search_ph)}, "
                        f"{_js_json(not_found)});"))

    # ---------------------------------------------------------------- legend and controls
    sides = sorted({str(s) for s in mk["emplaced_by"].dropna()}) if not mk.empty else []
    kinds = [k for k in KIND_RADIUS if not mk.empty and k in set(mk["kind"])]
    legend = [
        [L(color_by), [[colour[c], c, "line"] for c in cats]],
        [L("border"), [["#111", L("border"), "line"], [GAP_COLOUR, L("gap_layer"), "dash"],
                       [OVERLAP_COLOUR, L("overlap_layer"), "line"]]],
        [L("emplaced_by"), [[SIDE_COLOUR.get(s, "#BBBBBB"), L(s), "dot", "#1b1b1b"] for s in sides]],
        [L("marker_layer"), [["#fff", f"{L(k)} (r = {KIND_RADIUS[k]:g})", "dot", "#1b1b1b"] for k in kinds]
         + [["#fff", L("no_carer"), "ring", GAP_COLOUR]]],
    ]
    s = cov.summary()
    official_word = "chính thức" if lang == "vi" else "official"
    head = (f"{L('legend_title')} — {s['covered_km']:.3f} / {s['total_km']:.3f} km ({s['percent']:.1f} %)"
            + (f"; {s['official_covered_km']:.3f} / {s['official_km']:.3f} km {official_word}"
               if s["official_km"] is not None and s["official_covered_km"] is not None else ""))
    if cov.as_of is not None:  # the date the map describes
        head += f" — {L('as_of')} {cov.as_of.strftime('%d/%m/%Y') if lang == 'vi' else cov.as_of.isoformat()}"
    measure = "Đo khoảng cách" if lang == "vi" else "Measure"
    clear = "bấm lên bản đồ" if lang == "vi" else "click on the map"
    m.add_child(_macro(f"bgGeo.legend({mapname}, {_js_json(head)}, {_js_json(legend)});"
                       f"bgGeo.measure({mapname}, {_js_json(measure)}, {_js_json(clear)});"
                       f"bgGeo.fullscreen({mapname}, {_js_json('Toàn màn hình' if lang == 'vi' else 'Full screen')});"
                       f"{mapname}.attributionControl.addAttribution({_js_json(attribution)});"))
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def save_map(m: Any, path: str | Path) -> Path:
    """Write the map as one HTML file, atomically (a temporary file in the same folder, then a rename).

    Raises
    ------
    OutputError
        When the file cannot be written (see :func:`bien_gioi_geo.outputs.atomic_file`).
    """
    path = Path(path)
    html = m.get_root().render()
    with atomic_file(path) as tmp:
        tmp.write_text(html, encoding="utf-8", errors="backslashreplace")
    return path
