"""The patrol map layer: the line coloured by days since the last visit, with a legend; tracks on their own layer.

Safety
    Text from the data (track ids, unit names) is never put in a template source or HTML (see
    :mod:`bien_gioi_geo.maps.elements`): it reaches the page as one :func:`~.elements.js_json` value inside a
    never-compiled script element, and labels are set in the browser with ``textContent``. A unit named
    ``{{7*7}}`` shows as ``{{7*7}}``. Leaflet is inlined (``self_contained=True``): the page works offline.

Uses (layer ``maps``): ``errors``, ``formatting``, ``labels``, ``patrols``; in ``maps/``: ``elements``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from ..formatting import format_km, format_number
from ..labels import PATROL_MAP_TEXT as _TEXT
from ..patrols import Patrols
from .elements import js_json, latlng, page_assets, script

__all__ = ["patrol_map", "CLASSES", "fmt_km", "day_class"]

#: Classes of days since the last visit: upper bound (days, inclusive) and colour (viridis-like, colour-blind safe)
CLASSES = [(7.0, "#1a9850"), (30.0, "#91cf60"), (90.0, "#fc8d59"), (np.inf, "#d73027")]
NEVER_COLOUR = "#6a3d9a"
TRACK_COLOUR = "#1f78b4"



def _text(lang: str) -> dict[str, str]:
    if lang not in _TEXT:
        raise InputError(f"lang must be 'vi' or 'en', not {lang!r}")
    return _TEXT[lang]


def fmt_km(value: float, lang: str = "vi") -> str:
    """A length in km with three decimals in the reader's number format (:mod:`bien_gioi_geo.formatting`).

    >>> fmt_km(97.2291)
    '97,229 km'
    """
    return f"{format_km(value, lang=lang)} km"


def day_class(days: Any) -> np.ndarray:
    """Class index of days since the last visit: 0 ≤ 7, 1 ≤ 30, 2 ≤ 90, 3 > 90, 4 never (NaN).

    >>> day_class([0.5, 7, 7.1, 400, float("nan")]).tolist()
    [0, 0, 1, 3, 4]
    """
    d = np.asarray(days, dtype=float)
    bounds = np.array([c[0] for c in CLASSES[:-1]])
    return np.where(np.isnan(d), len(CLASSES), np.searchsorted(bounds, d, side="left"))


def _legend_labels(lang: str) -> list[str]:
    t = _text(lang)
    out = [t["le"].format(n=int(c[0])) for c in CLASSES[:-1]]
    return [*out, t["gt"].format(n=int(CLASSES[-2][0])), t["never"]]


def _track_lines(fixes: pd.DataFrame, max_gap_s: float, tolerance_deg: float) -> list[dict[str, Any]]:
    """One simplified line per track and unbroken piece (split where the record stops for longer than the gap)."""
    import geopandas as gpd

    if isinstance(fixes, gpd.GeoDataFrame):
        x, y = fixes.geometry.x.to_numpy(), fixes.geometry.y.to_numpy()
    else:
        x, y = fixes["lon"].to_numpy(dtype=float), fixes["lat"].to_numpy(dtype=float)
    df = pd.DataFrame({"track_id": fixes["track_id"].astype(str).to_numpy(),
                       "time": pd.to_datetime(fixes["time"], utc=True).to_numpy(), "x": x, "y": y})
    extra = [c for c in ("unit", "don_vi", "station", "group") if c in fixes]
    for c in extra:
        df[c] = fixes[c].astype(object).to_numpy()
    df = df.sort_values(["track_id", "time"], kind="stable")
    out = []
    for tid, g in df.groupby("track_id", sort=True):
        gap = g["time"].diff().dt.total_seconds().to_numpy() > max_gap_s
        piece = np.cumsum(gap)
        for k in np.unique(piece):
            sel = piece == k
            if sel.sum() < 2:
                continue
            line = shapely.simplify(shapely.linestrings(g["x"].to_numpy()[sel], g["y"].to_numpy()[sel]),
                                    tolerance_deg)
            info: dict[str, Any] = {"track": str(tid), "coords": latlng(line)}
            for c in extra:
                v = g[c].iloc[0]
                info[c] = None if pd.isna(v) else str(v)
            out.append(info)
    return out


_JS = """
(function(){
  var map = %(map)s, d = %(data)s;
  var layer = L.featureGroup();
  d.stretches.forEach(function(s){
    s.coords.forEach(function(c){
      var pl = L.polyline(c, {color: d.colours[s.cls], weight: 5, opacity: 0.9});
      var tip = document.createElement('div');
      tip.textContent = s.label;
      pl.bindTooltip(tip, {sticky: true});
      pl.addTo(layer);
    });
  });
  layer.addTo(map);
  var tracks = L.featureGroup();
  d.tracks.forEach(function(t){
    t.coords.forEach(function(c){
      var pl = L.polyline(c, {color: d.track_colour, weight: 2, opacity: 0.7, dashArray: '4 4'});
      var tip = document.createElement('div');
      tip.textContent = t.label;
      pl.bindTooltip(tip, {sticky: true});
      pl.addTo(tracks);
    });
  });
  if (d.tracks.length) { tracks.addTo(map); }
  var ctl = L.control.layers(null, null, {collapsed: false});
  ctl.addOverlay(layer, d.layer_name);
  if (d.tracks.length) { ctl.addOverlay(tracks, d.tracks_name); }
  ctl.addTo(map);
  var legend = L.control({position: 'bottomright'});
  legend.onAdd = function(){
    var div = L.DomUtil.create('div');
    div.style.cssText = 'background:white;padding:6px 8px;font:12px sans-serif;border-radius:4px;';
    var h = document.createElement('b'); h.textContent = d.title; div.appendChild(h);
    d.legend.forEach(function(item, i){
      var row = document.createElement('div');
      var sw = document.createElement('span');
      sw.style.cssText = 'display:inline-block;width:18px;height:4px;margin-right:6px;vertical-align:middle;';
      sw.style.background = d.colours[i];
      row.appendChild(sw);
      row.appendChild(document.createTextNode(item));
      div.appendChild(row);
    });
    return div;
  };
  legend.addTo(map);
  if (layer.getLayers().length) { map.fitBounds(layer.getBounds()); }
})();
"""


def patrol_map(result: Patrols, *, as_of: Any = None, fixes: pd.DataFrame | None = None, lang: str = "vi",
               m: Any = None, tiles: str | None = "OpenStreetMap", simplify_m: float = 10.0,
               self_contained: bool = True) -> Any:
    """Draw the border coloured by days since the last visit (≤ 7, ≤ 30, ≤ 90, > 90 days, never), with a legend,
    and, given the fixes, the tracks simplified (to ``simplify_m`` metres) on their own layer. With
    ``self_contained=True`` (the default) Leaflet is inlined: the page works without internet.

    Returns
    -------
    folium.Map
        Save it with :func:`bien_gioi_geo.maps.save_map`.
    """
    import folium

    t = _text(lang)
    lv = result.last_visit(as_of)
    when = lv.attrs.get("as_of")  # the time last_visit measured from (none when nothing was matched)
    if m is None:
        x0, y0, x1, y1 = lv.total_bounds if len(lv) else (102.0, 21.0, 108.0, 23.0)
        m = folium.Map(location=[(y0 + y1) / 2, (x0 + x1) / 2], zoom_start=9, tiles=tiles, control_scale=False)
        page_assets(m, self_contained=self_contained)
        m.add_child(script(f"bgGeo.setLang({js_json(lang)});bgGeo.scale({m.get_name()}, {js_json(lang == 'en')});"))
    cls = day_class(lv["days_since"].to_numpy(dtype=float))
    labels = _legend_labels(lang)
    stretches = []
    for k, (_, r) in enumerate(lv.iterrows()):
        span = f"{fmt_km(r['start_km'], lang)} – {fmt_km(r['end_km'], lang)}"
        if pd.isna(r["last_visit"]):
            tip = f"{span}: {t['never']}"
        else:
            days = format_number(float(r["days_since"]), decimals=1, lang=lang)
            tip = f"{span}: {days} {t['days']} ({t['track']} {r['last_track_id']})"
        stretches.append({"cls": int(cls[k]), "coords": latlng(r.geometry), "label": tip})
    tracks = []
    if fixes is not None:
        for tr in _track_lines(fixes, result.options.max_gap_s, simplify_m / 111_320.0):
            extra = [tr[c] for c in ("unit", "don_vi", "station", "group") if tr.get(c)]
            tracks.append({"coords": tr["coords"], "label": " · ".join([f"{t['track']} {tr['track']}", *extra])})
    stamp = "" if when is None else pd.Timestamp(when).tz_convert("Asia/Ho_Chi_Minh").strftime("%d/%m/%Y")
    data = {"stretches": stretches, "tracks": tracks, "colours": [c[1] for c in CLASSES] + [NEVER_COLOUR],
            "legend": labels, "title": f"{t['title']} ({t['as_of']} {stamp})" if stamp else t["title"],
            "layer_name": t["layer"], "tracks_name": t["tracks"], "track_colour": TRACK_COLOUR}
    m.add_child(script(_JS % {"map": m.get_name(), "data": js_json(data)}))
    return m
