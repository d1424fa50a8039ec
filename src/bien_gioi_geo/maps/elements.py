"""The safe building blocks of every map: never-compiled branca elements, JSON for ``<script>``, inlined Leaflet.

Safety
    branca compiles a string given to ``Element(...)`` as a Jinja2 template, and a
    :class:`~branca.element.MacroElement` wraps its rendered ``script`` macro in such an ``Element`` before the page
    is rendered: data inside would be evaluated (``{{7*7}}`` shows ``49``). :func:`raw` returns an element whose
    text goes to the page as it is; :func:`script` puts such an element holding JavaScript into the page's script
    section. Text from the data reaches the JavaScript only as :func:`js_json` values (``<``, ``>``, ``&``, U+2028
    and U+2029 ``\\u``-escaped: nothing in them can close a ``<script>`` element) and the page only through
    ``textContent`` in ``static/map_runtime.js``.
Offline
    :func:`page_assets` inlines Leaflet's JavaScript and CSS (from the PyPI package ``django-js-lib-leaflet``,
    which repackages Leaflet 1.9.4, BSD-2) and leaves folium's other CDN assets (jQuery, Bootstrap, Font Awesome)
    out: the page works with no internet; only the background tiles need a network.

Uses (layer ``maps``): ``outputs``.
"""

from __future__ import annotations

import base64
import json
import re
from functools import cache
from importlib import resources
from typing import Any

import shapely

from ..outputs import json_surrogates

__all__ = ["js_json", "latlng", "leaflet_assets", "runtime_js", "raw", "script", "page_assets", "PRINT_CSS"]

#: The page as printed from the browser: controls hidden, title and legend kept, the map on the whole page.
PRINT_CSS = """@media print {
  @page { size: A4 landscape; margin: 8mm; }
  html, body { width: 100%; height: 100%; margin: 0; }
  .folium-map { position: absolute !important; inset: 0 !important; width: 100% !important;
    height: 100% !important; }
  .leaflet-control-zoom, .leaflet-control-layers, .bg-search, .bg-measure, .bg-fullscreen,
  .bg-legend-toggle { display: none !important; }
  .bg-legend, .bg-title { box-shadow: none !important; border: 1px solid #555; }
  .bg-legend .bg-group-body { display: block !important; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}"""


def js_json(obj: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line separators in clear.

    >>> js_json({"x": "</script>"})
    '{"x":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return json_surrogates(text)  # a lone surrogate (broken UTF-16 in the data) stays a JSON escape


def latlng(geom: Any, ndigits: int = 6) -> list[Any]:
    """Leaflet coordinates of a point (``[lat, lng]``) or a line (``[[[lat, lng], ...], ...]``, one list per part).

    >>> latlng(shapely.Point(103.5, 22.25))
    [22.25, 103.5]
    """
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Point":
        return [round(geom.y, ndigits), round(geom.x, ndigits)]
    parts = list(geom.geoms) if geom.geom_type.startswith("Multi") else [geom]
    return [[[round(y, ndigits), round(x, ndigits)] for x, y in shapely.get_coordinates(p)] for p in parts]


@cache
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript (safe inside ``<script>``) and CSS (its images as ``data:`` URIs)."""
    base = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(m: re.Match[str]) -> str:
        data = (base / "images" / m.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode()})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, css)
    return js.replace("</script", "<\\/script"), css


def runtime_js() -> str:
    """``static/map_runtime.js``, safe inside ``<script>``."""
    text = (resources.files(__package__) / "static" / "map_runtime.js").read_text(encoding="utf-8")
    return text.replace("</script", "<\\/script")


_CLASSES: dict[str, Any] = {}


def _classes() -> dict[str, Any]:
    if not _CLASSES:  # defined on first use: folium/branca are imported only when a map is drawn
        from branca.element import Element, MacroElement

        class Raw(Element):
            def __init__(self, text: str) -> None:
                super().__init__()
                self._name = "BienGioiRaw"
                self.text = text

            def render(self, **kwargs: Any) -> str:
                return self.text

        class Script(MacroElement):
            def __init__(self, js: str) -> None:
                super().__init__()
                self._name = "BienGioiLayer"
                self.js = js

            def render(self, **kwargs: Any) -> str:
                root: Any = self.get_root()
                root.script.add_child(Raw(self.js), name=self.get_name())
                return ""  # like MacroElement: the output goes to the page's script section, not here

        _CLASSES.update(raw=Raw, script=Script)
    return _CLASSES


def raw(text: str) -> Any:
    """A branca element that writes ``text`` (our own markup) verbatim, never compiled as a template."""
    return _classes()["raw"](text)


def script(js: str) -> Any:
    """A branca element that writes ``js`` (already safe JavaScript) into the map's script section, verbatim."""
    return _classes()["script"](js)


def page_assets(m: Any, *, self_contained: bool = True) -> None:
    """Give the page of folium map ``m`` Leaflet (inlined, or from the CDN), the runtime and the print stylesheet."""
    fig = m.get_root()
    if self_contained:
        js, css = leaflet_assets()
        m.default_js = []
        m.default_css = []
        fig.header.add_child(raw(f"<style>{css}</style>"), name="leaflet_css_inline")
        fig.header.add_child(raw(f"<script>{js}</script>"), name="leaflet_js_inline")
    else:
        m.default_js = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js")]
        m.default_css = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css")]
    fig.header.add_child(raw(f"<script>{runtime_js()}</script>"), name="bien_gioi_runtime")
    fig.header.add_child(raw(f"<style>{PRINT_CSS}</style>"), name="bien_gioi_print_css")
    fig.header.add_child(raw('<meta name="referrer" content="no-referrer">'), name="bien_gioi_referrer")
