"""Headless Chromium for the map tests and the map benchmark: Debian's ``chromium`` driven by playwright, offline.

One place for the launch: the binary (no browser download), its flags, a page that refuses every network
request (the map must work offline), and the page's errors collected (script errors, dialogs, optionally console
errors).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Flags for a headless run in a container, with nothing fetched in the background.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

#: Opens every tooltip of every Leaflet map of the page and returns their texts.
OPEN_ALL_TOOLTIPS = """() => {
    const out = [];
    for (const k of Object.keys(window)) {
      const v = window[k];
      if (v && v instanceof L.Map) {
        v.eachLayer(l => { if (l.getTooltip && l.getTooltip()) { l.openTooltip(l.getLatLng ? l.getLatLng()
          : l.getCenter ? l.getCenter() : undefined); const el = l.getTooltip().getElement();
          if (el) { out.push(el.textContent); } } });
      }
    }
    return out;
}"""


def find_chromium() -> str | None:
    """The path of Debian's chromium, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_or_skip() -> str:
    """The chromium path; the test is skipped without it, or fails when ``BIEN_GIOI_REQUIRE_BROWSER`` is set (CI)."""
    import pytest

    path = find_chromium()
    if path is None:
        if os.environ.get("BIEN_GIOI_REQUIRE_BROWSER"):
            pytest.fail("chromium is required (BIEN_GIOI_REQUIRE_BROWSER is set) but not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    return path


@contextmanager
def offline_page(chromium: str, *, viewport: dict[str, int] | None = None,
                 console_errors: bool = False) -> Iterator[tuple[Any, list[str]]]:
    """A new page of a headless chromium with every http(s) request aborted, and the list its errors go to:
    uncaught script errors, dialogs (dismissed) and, with ``console_errors``, console errors.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=viewport) if viewport else browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (errors.append("dialog " + d.message), d.dismiss()))
            if console_errors:
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.route("**/*", lambda r: r.abort() if r.request.url.startswith("http") else r.continue_())
            yield page, errors
        finally:
            browser.close()


def open_all_tooltips(page: Any) -> list[str]:
    """Open every tooltip of the page's Leaflet maps; their texts."""
    return page.evaluate(OPEN_ALL_TOOLTIPS)
