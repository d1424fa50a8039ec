"""The coverage map: border, self-managed stretches, gaps, overlaps, problems and markers on one HTML page.

Safety
    No text from the data is ever written into HTML, JavaScript or a template source (see
    :mod:`bien_gioi_geo.maps.elements`): each layer's data is one :func:`~.elements.js_json` value, and tooltips,
    labels, the title, the legend and the search box are built in the browser with ``textContent``. A village named
    ``<script>alert(1)</script>`` or ``Xã {{7*7}}`` shows as that text and runs nothing. The marker search looks
    names up in a JavaScript ``Map``: typing ``constructor`` or ``__proto__`` finds no marker.
Self-explaining
    A title (dataset name and "tính đến ngày dd/mm/yyyy" for dated data), a legend with an entry for every layer
    (symbols drawn as on the map, groups that fold so it fits on a 1366×768 screen), marker numbers drawn beside
    the markers from zoom :data:`LABEL_ZOOM` on, a km-only scale bar in Vietnamese, numbers in the reader's format
    (:mod:`bien_gioi_geo.formatting`), problem messages (the ``message`` column of :func:`~bien_gioi_geo.validate`)
    in the tooltips, and a print stylesheet (controls hidden, legend kept, the map on the whole page).
Offline and many markers
    Leaflet is inlined (``self_contained=True``); markers are drawn on a canvas renderer (``preferCanvas``), which
    keeps 10,000 posts responsive.

Uses (layer ``maps``): ``admin``, ``analysis``, ``dataset``, ``errors``, ``formatting``, ``labels``, ``validation``; in
``maps/``: ``elements``, ``legend``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..admin.report import units_caption
from ..analysis.coverage import Coverage, coverage
from ..dataset import Dataset
from ..errors import check_option
from ..formatting import format_count, format_km
from ..labels import dataset_title, label
from .elements import js_json, latlng, page_assets, script
from .legend import legend_groups, legend_head, t, title_text

__all__ = ["coverage_map", "PALETTE", "LABEL_ZOOM"]

#: Colour-blind-safe categorical palette (Okabe–Ito, then Tol's muted), for stretches by commune.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#56B4E9", "#D55E00", "#CC79A7", "#F0E442", "#332288",
           "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#AA4499", "#882255", "#6699CC"]
KIND_RADIUS = {"triple": 8, "double": 6.5, "single": 5, "auxiliary": 4, "stake": 3}
SIDE_COLOUR = {"VN": "#DA251D", "CN": "#FFDE00", "LA": "#002868", "KH": "#032EA1"}
GAP_COLOUR = "#D00000"
OVERLAP_COLOUR = "#7B2CBF"
#: The zoom from which marker numbers are drawn beside the markers.
LABEL_ZOOM = 13
_SHOWN_ELSEWHERE = {"gap", "overlap", "marker_unassigned"}  # problems with their own layers and symbols


def _txt(v: Any, lang: str) -> str:
    if isinstance(v, (list, tuple, np.ndarray)):
        return ", ".join(map(str, v)) if len(v) else "—"
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, (float, np.floating)) and not np.isfinite(v)):
        return "—"
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return format_count(v, lang=lang)
    if isinstance(v, (float, np.floating)):
        return format_km(v, lang=lang)
    return str(v)


def _span(a: float, b: float, lang: str) -> str:
    return f"{format_km(a, lang=lang)} – {format_km(b, lang=lang)}"


def _new_map(dataset: Dataset, tiles: str | None) -> Any:
    import folium

    bounds = None
    for b in dataset.borders.values():
        x0, y0, x1, y1 = b.geometry.bounds
        bounds = [[y0, x0], [y1, x1]] if bounds is None else [[min(bounds[0][0], y0), min(bounds[0][1], x0)],
                                                              [max(bounds[1][0], y1), max(bounds[1][1], x1)]]
    assert bounds is not None  # a Dataset has at least one border
    m = folium.Map(location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2],
                   zoom_start=10, tiles=None, control_scale=False, prefer_canvas=True)
    if tiles is not None:
        folium.TileLayer(tiles, name=tiles if isinstance(tiles, str) else "tiles").add_to(m)
    m.fit_bounds(bounds, padding_top_left=(20, 60), padding_bottom_right=(300, 20))  # room for title and legend
    return m


def _group(m: Any, name: str, js: str) -> None:
    """A layer named ``name`` whose features ``js`` draws (``%(layer)s`` stands for the layer's variable)."""
    import folium

    fg = folium.FeatureGroup(name=name, show=True)
    fg.add_to(m)
    fg.add_child(script(js.replace("%(layer)s", fg.get_name())))


def _border_layer(m: Any, dataset: Dataset, lang: str) -> None:
    parts = []
    for b in dataset.borders.values():
        vkm, cal, k0 = b.vertex_chainage_km, b.calibration, 0
        for part in b.to_geodataframe().itertuples():
            n = len(part.geometry.coords)
            km = vkm[k0:k0 + n]
            k0 += n
            shown = cal.to_official(km) if cal is not None else km
            parts.append([latlng(part.geometry)[0], [round(float(v), 4) for v in np.atleast_1d(shown)]])
    official = any(b.calibration is not None for b in dataset.borders.values())
    title = label("chainage_km", lang) + (f" ({t('official', lang)})" if official else "")
    _group(m, label("border", lang), f"bgGeo.chainage({m.get_name()}, %(layer)s, {js_json(parts)}, "
                                     f"{js_json(title)}, '');")


def _stretch_layer(m: Any, dataset: Dataset, cov: Coverage, color_by: str, lang: str) -> dict[str, str]:
    """Draw the stretches coloured by ``color_by``; return the colour of each category."""
    a, iv = dataset.assignments, cov.intervals
    cats = sorted({str(v) for v in a[color_by].dropna()}, key=str)
    colour = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(cats)}
    L = lambda k: label(k, lang)  # noqa: E731
    labels = [L("assignment_id"), L("village"), L("commune"), L("group_type"), L("households"), L("people"),
              L("length_km"), L("official_length_km"), L("chainage_km")]
    style_of = {c: k + 1 for k, c in enumerate(cats)}
    ok = iv.index[np.isfinite(iv["start_km"]) & (iv["length_km"] > 0)]
    geoms = pd.Series(None, index=ok, dtype=object)
    for bid, sel in iv.loc[ok].groupby("border_id", sort=False).groups.items():
        geoms.loc[sel] = dataset.borders[bid].cut(iv.loc[sel, "start_km"], iv.loc[sel, "end_km"]).values
    feats = []
    for idx in ok:
        r, row = iv.loc[idx], a.loc[idx]
        cat = row[color_by]
        km_off = r["official_end_km"] - r["official_start_km"]
        feats.append({"c": latlng(geoms[idx]), "s": style_of.get(str(cat), 0) if pd.notna(cat) else 0, "t": [
            *(_txt(row.get(k), lang) for k in ("assignment_id", "village", "commune", "group_type", "households",
                                               "people")),
            format_km(r["length_km"], lang=lang), format_km(km_off, lang=lang) if np.isfinite(km_off) else "—",
            _span(r["start_km"], r["end_km"], lang)]})
    data = {"labels": labels, "styles": [{"color": "#777"}] + [{"color": colour[c]} for c in cats], "feats": feats}
    _group(m, L("stretches"), f"bgGeo.lines(%(layer)s, {js_json(data)}, {js_json({'weight': 7, 'opacity': 0.75})});")
    return colour


def _gap_overlap_layers(m: Any, cov: Coverage, lang: str) -> None:
    L = lambda k: label(k, lang)  # noqa: E731
    gaps = {"labels": ["", L("chainage_km"), L("length_km")], "styles": [{}], "feats": [
        {"c": latlng(r.geometry), "t": [L("gap_layer"), _span(r.start_km, r.end_km, lang),
                                        format_km(r.length_km, lang=lang)]}
        for r in cov.gaps.itertuples() if r.geometry is not None]}
    style = {"color": GAP_COLOUR, "weight": 9, "dashArray": "10 8", "opacity": 0.95}
    _group(m, L("gap_layer"), f"bgGeo.lines(%(layer)s, {js_json(gaps)}, {js_json(style)});")
    overlaps = {"labels": ["", L("assignment_id"), L("chainage_km"), L("length_km")], "styles": [{}], "feats": [
        {"c": latlng(r.geometry), "t": [L("overlap_layer"), _txt(r.assignment_ids, lang),
                                        _span(r.start_km, r.end_km, lang), format_km(r.length_km, lang=lang)]}
        for r in cov.overlaps.itertuples() if r.geometry is not None]}
    style = {"color": OVERLAP_COLOUR, "weight": 12, "opacity": 0.6}
    _group(m, L("overlap_layer"), f"bgGeo.lines(%(layer)s, {js_json(overlaps)}, {js_json(style)});")


def _problem_layer(m: Any, issues: pd.DataFrame, lang: str) -> tuple[bool, bool]:
    """Draw the problems (their ``message``, in the reader's language, is the tooltip); say if lines/points exist."""
    lines: dict[str, Any] = {"labels": [""], "styles": [{}], "feats": []}
    pts: dict[str, Any] = {"labels": [""], "feats": [], "styles": [
        {"radius": 11, "color": "#000", "weight": 2, "fill": False, "dashArray": "3 3"}]}
    for r in issues.itertuples():
        g = r.geometry
        if g is None or g.is_empty or r.rule in _SHOWN_ELSEWHERE:
            continue
        f = {"c": latlng(g), "t": [_txt(r.message, lang)]}
        if g.geom_type == "Point":
            pts["feats"].append(f)
        elif g.geom_type in ("LineString", "MultiLineString"):
            lines["feats"].append(f)
    style = {"color": "#000", "weight": 3, "dashArray": "2 6", "opacity": 0.9}
    _group(m, label("problem_layer", lang), f"bgGeo.lines(%(layer)s, {js_json(lines)}, {js_json(style)});"
                                            f"bgGeo.points(%(layer)s, {js_json(pts)}, {m.get_name()});")
    return bool(lines["feats"]), bool(pts["feats"])


def _marker_layer(m: Any, cov: Coverage, lang: str) -> None:
    L = lambda k: label(k, lang)  # noqa: E731
    styles: list[dict[str, Any]] = []
    style_ix: dict[tuple[str, str, bool], int] = {}

    def style(kind: str, side: str, ring: bool) -> int:
        key = (kind, side, ring)
        if key not in style_ix:
            radius = KIND_RADIUS.get(kind, 5)
            style_ix[key] = len(styles)
            styles.append({"radius": radius + 6, "color": GAP_COLOUR, "weight": 3, "fill": False,
                           "dashArray": "4 3"} if ring else
                          {"radius": radius, "weight": 2, "color": "#1b1b1b",
                           "fillColor": SIDE_COLOUR.get(side, "#BBBBBB"), "fillOpacity": 0.95})
        return style_ix[key]

    pts = []
    for r in cov.marker_posts.itertuples():
        kind = r.kind if isinstance(r.kind, str) else "single"
        side = r.emplaced_by if isinstance(r.emplaced_by, str) else ""
        carers = list(r.carers)
        c = latlng(r.geometry)
        tip = [_txt(r.marker_id, lang), L(kind), L(side) if side else "—",
               format_km(r.chainage_km, lang=lang) if np.isfinite(r.chainage_km) else "—",
               _txt(carers, lang) if carers else L("no_carer")]
        if not carers:  # a wide dashed red ring: "nobody looks after this marker"
            pts.append({"c": c, "t": tip, "s": style("", "", True)})
        pts.append({"c": c, "t": tip, "k": [str(r.marker_id), str(r.number)], "n": str(r.marker_id),
                    "s": style(kind, side, False)})
    data = {"labels": [L("marker_id"), L("kind"), L("emplaced_by"), L("chainage_km"), L("carers")],
            "styles": styles, "feats": pts}
    mp = m.get_name()
    _group(m, L("marker_layer"), f"bgGeo.search({mp}, bgGeo.points(%(layer)s, {js_json(data)}, {mp}, "
                                 f"{js_json({'labelZoom': LABEL_ZOOM})}), {js_json(t('search', lang))}, "
                                 f"{js_json(t('not_found', lang))});")


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
        Its :func:`bien_gioi_geo.coverage` (computed here only when not given).
    lang
        ``"vi"`` (default) or ``"en"`` for every label, tooltip, number and the legend.
    color_by
        Assignment column that colours the stretches (default ``"commune"``).
    issues
        A :func:`bien_gioi_geo.validate` table to show as a layer (computed here only when not given; pass an empty
        frame to leave it out). Its ``message`` column is the tooltip.
    m
        An existing :class:`folium.Map` to draw on (default: a new one).
    tiles
        Background tiles for a new map (``None`` for none).
    self_contained
        Inline Leaflet so the page works without internet (see :mod:`bien_gioi_geo.maps.elements`).
    show_markers
        Draw the marker posts.
    as_of
        The date to draw (rows valid then; default today for dated data); the title states it.

    Returns
    -------
    folium.Map
        Save it with :func:`bien_gioi_geo.maps.save_map` (atomic) or ``m.save(path)``.
    """
    try:
        import folium
    except ImportError as exc:  # pragma: no cover - folium is a dependency
        raise ImportError("coverage_map needs folium: pip install folium") from exc
    check_option("lang", lang, ("vi", "en"))
    cov = coverage_result if coverage_result is not None else coverage(dataset, as_of=as_of)
    check_option("color_by", color_by, [c for c in dataset.assignments.columns if c != "geometry"])
    if issues is None:
        from ..validation import validate

        issues = validate(dataset, cov=cov, as_of=as_of, lang=lang)
    m = _new_map(dataset, tiles) if m is None else m
    page_assets(m, self_contained=self_contained)
    mp = m.get_name()
    _border_layer(m, dataset, lang)
    colours = _stretch_layer(m, dataset, cov, color_by, lang)
    _gap_overlap_layers(m, cov, lang)
    problems = _problem_layer(m, issues, lang)
    mk = cov.marker_posts
    markers = show_markers and not mk.empty
    if markers:
        _marker_layer(m, cov, lang)
    groups = legend_groups(
        lang=lang, color_by=color_by, colours=colours, radius=KIND_RADIUS, side_colour=SIDE_COLOUR,
        sides=sorted({str(s) for s in mk["emplaced_by"].dropna()}) if markers else [],
        kinds=[k for k in KIND_RADIUS if markers and k in set(mk["kind"])], gap=GAP_COLOUR, overlap=OVERLAP_COLOUR,
        problems=problems, markers=markers)
    title = title_text(dataset_title(dataset.meta, lang) or dataset.name, cov.as_of, lang)
    attribution = "Border line: © OpenStreetMap contributors (ODbL 1.0)"
    m.add_child(script(f"bgGeo.setLang({js_json(lang)});"
                       f"bgGeo.title({mp}, {js_json(title)}, {js_json(units_caption(cov, lang))});"
                       f"bgGeo.legend({mp}, {js_json(legend_head(cov.summary(), lang))}, {js_json(groups)});"
                       f"bgGeo.scale({mp}, {js_json(lang == 'en')});"
                       f"bgGeo.measure({mp}, {js_json(t('measure', lang))}, {js_json(t('click', lang))});"
                       f"bgGeo.fullscreen({mp}, {js_json(t('fullscreen', lang))});"
                       f"{mp}.attributionControl.addAttribution({js_json(attribution)});"))
    folium.LayerControl(collapsed=True).add_to(m)
    return m
