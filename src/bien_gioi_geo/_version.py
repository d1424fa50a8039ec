"""The installed version, read from the package metadata: ``pyproject.toml`` is the one place it is typed."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("bien_gioi_geo")
except PackageNotFoundError:  # pragma: no cover - running from a source tree that was never installed
    __version__ = "0+unknown"
