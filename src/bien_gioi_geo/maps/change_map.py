"""The change map and the timeline chart of a :class:`~bien_gioi_geo.analysis.compare.Comparison`.

Map safety
    No text from the data ever enters a template source or HTML (see :mod:`bien_gioi_geo.maps.elements`): the
    layers' data (village names, ids, numbers) are written as :func:`~.elements.js_json` into a
    ``<script type="application/json">`` element that is never compiled, and the only script is constant code
    that reads that JSON and puts every label into the page with ``textContent``. Leaflet is inlined: the page
    works offline.
Numbers
    Numbers a reader sees go through :mod:`bien_gioi_geo.formatting` (``97,229`` in Vietnamese, ``97.229`` in
    English).

Uses (layer ``maps``): ``analysis``, ``formatting``, ``labels``; in ``maps/``: ``elements``.
"""

from __future__ import annotations

from itertools import count
from pathlib import Path
from typing import Any

import numpy as np

from ..analysis.compare import Comparison, difference
from ..formatting import format_date, format_number
from ..labels import CHANGE_MAP_TEXT as _TEXT
from ..labels import label
from .elements import js_json, latlng, page_assets, raw, script

__all__ = ["change_map", "timeline_chart", "fmt_number"]

GAINED, LOST, UNCHANGED, BORDER = "#1A9850", "#D73027", "#4575B4", "#555555"

_ids = count()


def _t(key: str, lang: str) -> str:
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    return _TEXT[key][0 if lang == "vi" else 1]


def fmt_number(x: float, lang: str = "vi", decimals: int = 3) -> str:
    """A number as a reader of ``lang`` writes it (:func:`bien_gioi_geo.formatting.format_number`).

    Examples
    --------
    >>> fmt_number(97.229), fmt_number(16010, decimals=0), fmt_number(97.229, "en")
    ('97,229', '16.010', '97.229')
    """
    return format_number(x, decimals=decimals, lang=lang)


def _date(d: Any, lang: str) -> str:
    return "—" if d is None else format_date(d, lang=lang)


# the only compiled script: constant code (no data, no '{{', '{%' or '{#'); it reads the JSON element
_CODE = """(function () {
  var map = %(map)s;
  var data = JSON.parse(document.getElementById('%(id)s').textContent);
  function tip(lines) {
    var d = document.createElement('div');
    lines.forEach(function (t, i) {
      var p = document.createElement(i === 0 ? 'b' : 'div');
      p.textContent = t;
      d.appendChild(p);
    });
    return d;
  }
  var bounds = [];
  data.layers.forEach(function (layer) {
    var g = L.featureGroup();
    layer.lines.forEach(function (f) {
      f.c.forEach(function (part) {
        var pl = L.polyline(part, layer.style);
        if (f.t) { pl.bindTooltip(tip(f.t), {sticky: true}); }
        pl.addTo(g);
        part.forEach(function (p) { bounds.push(p); });
      });
    });
    layer.points.forEach(function (f) {
      L.circleMarker(f.c, layer.style).bindTooltip(tip(f.t)).addTo(g);
    });
    g.addTo(map);
    layer.group = g;
  });
  var ctl = L.control.layers(null, null, {collapsed: false});
  data.layers.forEach(function (layer) { ctl.addOverlay(layer.group, layer.name); });
  ctl.addTo(map);
  var legend = L.control({position: 'bottomright'});
  legend.onAdd = function () {
    var d = L.DomUtil.create('div', 'bg-change-legend');
    d.style.background = 'white'; d.style.padding = '6px 8px'; d.style.font = '13px sans-serif';
    d.style.boxShadow = '0 0 4px rgba(0,0,0,.4)';
    var h = document.createElement('b'); h.textContent = data.legend.title; d.appendChild(h);
    data.legend.items.forEach(function (it) {
      var row = document.createElement('div');
      var sw = document.createElement('span');
      sw.style.display = 'inline-block'; sw.style.width = '18px'; sw.style.height = '4px';
      sw.style.margin = '0 6px 3px 0'; sw.style.background = it.color;
      row.appendChild(sw);
      row.appendChild(document.createTextNode(it.label));
      d.appendChild(row);
    });
    return d;
  };
  legend.addTo(map);
  if (bounds.length) { map.fitBounds(bounds); }
})();"""


def change_map(change: Comparison, *, lang: str = "vi", tiles: str | None = "OpenStreetMap",
               self_contained: bool = True) -> Any:
    """Draw what changed between the two dates of a comparison: stretches gained, lost and unchanged, the
    markers that found or lost a carer, and a legend stating both dates and the lengths.

    Parameters
    ----------
    change
        A :func:`bien_gioi_geo.compare` result.
    lang
        ``"vi"`` (default) or ``"en"``.
    tiles
        Background tiles (``None`` for none).
    self_contained
        Inline Leaflet so the page works without internet.

    Returns
    -------
    folium.Map
        Save it with :func:`bien_gioi_geo.maps.save_map`.
    """
    try:
        import folium
    except ImportError as exc:  # pragma: no cover - folium is a core dependency
        raise ImportError("the change map needs folium: pip install folium") from exc
    before, after = change.before, change.after
    ds = after.dataset
    d0, d1 = _date(before.as_of, lang), _date(after.as_of, lang)

    def lines(frame: Any, name: str) -> list[dict[str, Any]]:
        out = []
        for r in frame.itertuples():
            if r.geometry is None:
                continue
            who = ", ".join(map(str, r.villages or r.assignment_ids))
            where = ", ".join(map(str, r.communes))
            out.append({"c": latlng(r.geometry), "t": [
                name, f"{fmt_number(r.start_km, lang)} – {fmt_number(r.end_km, lang)} km "
                      f"({fmt_number(r.length_km, lang)} km)", *([f"{_t('by', lang)}: {who}"] if who else []),
                *([f"{_t('commune', lang)}: {where}"] if where else [])]})
        return out

    unchanged = []
    for bid, b in ds.borders.items():
        us, ue = after.union_km[bid]
        g = change.gained[change.gained["border_id"] == bid]
        s, e = difference(us, ue, g["start_km"].to_numpy(), g["end_km"].to_numpy())
        if len(s):
            unchanged += [{"c": latlng(geom), "t": [_t("unchanged", lang)]} for geom in b.cut(s, e).values]
    border = [{"c": latlng(b.cut(0.0, b.length_km)), "t": None} for b in ds.borders.values()]
    markers_loc = after.marker_posts.groupby("marker_key", sort=False).geometry.first()

    def points(frame: Any, name: str) -> list[dict[str, Any]]:
        out = []
        for key, r in frame.iterrows():
            p = markers_loc.get(key)
            if p is None or p.is_empty:
                continue
            carers = ", ".join(map(str, r["carers"]))
            out.append({"c": [round(p.y, 6), round(p.x, 6)], "t": [
                name, f"{_t('marker', lang)} {r['number']}", *([f"{_t('by', lang)}: {carers}"] if carers else [])]})
        return out

    gained_km = float(change.gained["length_km"].sum())
    lost_km = float(change.lost["length_km"].sum())
    layers = [
        {"name": _t("border", lang), "style": {"color": BORDER, "weight": 2, "opacity": 0.8}, "lines": border,
         "points": []},
        {"name": _t("unchanged", lang), "style": {"color": UNCHANGED, "weight": 6, "opacity": 0.6},
         "lines": unchanged, "points": []},
        {"name": _t("gained", lang), "style": {"color": GAINED, "weight": 8, "opacity": 0.9},
         "lines": lines(change.gained, _t("gained", lang)), "points": []},
        {"name": _t("lost", lang), "style": {"color": LOST, "weight": 8, "opacity": 0.9, "dashArray": "8 6"},
         "lines": lines(change.lost, _t("lost", lang)), "points": []},
        {"name": _t("found", lang), "style": {"color": GAINED, "fillColor": GAINED, "fillOpacity": 0.9,
                                              "radius": 7}, "lines": [],
         "points": points(change.markers_found, _t("found", lang))},
        {"name": _t("lost_m", lang), "style": {"color": LOST, "fillColor": LOST, "fillOpacity": 0.9, "radius": 7},
         "lines": [], "points": points(change.markers_lost, _t("lost_m", lang))},
    ]
    km = label("covered_km", lang)
    legend = {"title": f"{_t('title', lang)}: {d0} → {d1}", "items": [
        {"color": UNCHANGED, "label": f"{_t('unchanged', lang)}"},
        {"color": GAINED, "label": f"{_t('gained', lang)}: {fmt_number(gained_km, lang)} km"},
        {"color": LOST, "label": f"{_t('lost', lang)}: {fmt_number(lost_km, lang)} km"},
        {"color": GAINED, "label": f"{_t('found', lang)}: {len(change.markers_found)}"},
        {"color": LOST, "label": f"{_t('lost_m', lang)}: {len(change.markers_lost)}"},
        {"color": "#FFFFFF", "label": f"{km}: {fmt_number(before.covered_km, lang)} ({d0}) → "
                                      f"{fmt_number(after.covered_km, lang)} ({d1})"}]}
    m = folium.Map(tiles=None, control_scale=True)
    if tiles is not None:
        folium.TileLayer(tiles, name=tiles).add_to(m)
    fig: Any = m.get_root()
    page_assets(m, self_contained=self_contained)
    data_id = f"bg-change-data-{next(_ids)}"
    fig.html.add_child(raw(f'<script type="application/json" id="{data_id}">'
                           f'{js_json({"layers": layers, "legend": legend})}</script>'), name=data_id)
    m.add_child(script(_CODE % {"map": m.get_name(), "id": data_id}))  # constant code: no data is compiled
    return m


def timeline_chart(table: Any, path: str | Path | None = None, *, lang: str = "vi") -> Any:
    """A chart of a :func:`bien_gioi_geo.timeline` table: covered km (bars) and markers self-managed (line), with
    labels in ``lang`` and numbers in its format; saved as PNG when ``path`` is given.

    Returns
    -------
    matplotlib.figure.Figure
    """
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FuncFormatter
    except ImportError as exc:
        raise ImportError("the timeline chart needs matplotlib: pip install 'bien_gioi_geo[charts]'") from exc
    years = [d.strftime("%d/%m/%Y") if lang == "vi" else d.date().isoformat() for d in table.index]
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    x = np.arange(len(table))
    km = table["official_covered_km"] if table["official_covered_km"].notna().all() else table["covered_km"]
    ax.bar(x, km.to_numpy(dtype=float), color=UNCHANGED, label=_t("covered", lang))
    for xi, v in zip(x, km.to_numpy(dtype=float), strict=True):
        ax.annotate(fmt_number(v, lang), (xi, v), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, years)
    ax.set_ylabel(_t("covered", lang))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_number(v, lang, 0)))
    ax2 = ax.twinx()
    ax2.plot(x, table["markers_self_managed"].to_numpy(dtype=float), color=GAINED, marker="o",
             label=_t("markers", lang))
    ax2.set_ylabel(_t("markers", lang))
    ax2.set_ylim(bottom=0)
    ax.set_title(_t("chart_title", lang))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper left", fontsize=8)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, format="png")
        plt.close(fig)
    return fig
