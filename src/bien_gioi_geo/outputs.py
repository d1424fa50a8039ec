"""Safe outputs: files and folders are written whole or not at all, and nothing the tool did not create is lost.

Files
    :func:`atomic_file` writes into a temporary file beside the destination, named
    ``.<name>.bien_gioi_geo-tmp-<pid>-<random><suffix>``, and renames it onto the destination at the end. A
    destination that is a folder, a symbolic link or not a regular file (``/dev/full``, a pipe) is refused.
Folders
    :func:`report_folder` builds a report folder in a sibling temporary folder (same naming) and swaps it into place
    with one rename (Linux: ``renameat2(RENAME_EXCHANGE)`` when a previous report is replaced). Every report
    folder holds a marker file, :data:`MARKER`; an existing folder is replaced only with ``force=True`` and only when
    it is empty or holds nothing but what an earlier report wrote. The current folder, a folder containing the input
    (or inside it), a path that is a file or a symbolic link are refused.
Concurrent runs
    A lock file beside the destination (``.<name>.bien_gioi_geo.lock``, :mod:`filelock`) lets one run write a given
    folder or file at a time; the others fail at once with :class:`~bien_gioi_geo.errors.OutputError`. The lock
    file is removed when the run ends.
Killed runs
    A run killed at any moment (``kill -9``) leaves the destination as it was (absent or the previous complete
    version) or complete; its temporary file or folder is removed by the next run that writes beside it, once the
    process that owned it is gone.
Errors
    Every failure to write (read-only folder, full disk, file-size limit, ...) is an
    :class:`~bien_gioi_geo.errors.OutputError` naming the path and the cause.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import json
import os
import re
import secrets
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import OutputError

__all__ = ["MARKER", "atomic_file", "report_folder", "output_error", "check_file_target"]

#: Name of the marker file in every report folder.
MARKER = ".bien_gioi_geo_report.json"
_TAG = ".bien_gioi_geo-tmp-"
_OLD = ".bien_gioi_geo-old-"
_TMP_RE = re.compile(r"^\.(?P<name>.+)(?P<tag>\.bien_gioi_geo-(?:tmp|old)-)(?P<pid>\d+)-[0-9a-f]+(?:\.[^/]*)?$")


def output_error(path: str | os.PathLike[str], exc: BaseException, what: str = "cannot write") -> OutputError:
    """An :class:`OutputError` naming ``path`` and the cause carried by ``exc``."""
    cause = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
        cause += " (the file-size limit of this process or file system was reached)"
    elif isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        cause += " (the disk is full)"
    return OutputError(f"{path}: {what}: {cause}")


def _version() -> str:
    from ._version import __version__

    return __version__


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError, IndexError):  # a zombie (killed, not yet reaped) owns nothing any more
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _clean_stale(dest: Path) -> None:
    """Remove the temporary files/folders left beside ``dest`` by runs that were killed (owner process gone)."""
    parent = dest.parent
    with contextlib.suppress(OSError):
        for entry in os.scandir(parent):
            m = _TMP_RE.match(entry.name)
            if m is None or m["name"] != dest.name or _pid_alive(int(m["pid"])):
                continue
            p = Path(entry.path)
            if m["tag"] == _OLD and not os.path.lexists(dest):
                # a run died between moving the previous report aside and putting the new one in: restore
                with contextlib.suppress(OSError):
                    os.rename(p, dest)
                    continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(p, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    p.unlink()


def _tmp_name(dest: Path, tag: str = _TAG, suffix: str = "") -> Path:
    return dest.parent / f".{dest.name}{tag}{os.getpid()}-{secrets.token_hex(4)}{suffix}"


@contextlib.contextmanager
def _lock(dest: Path) -> Iterator[None]:
    """Hold the lock file beside ``dest``; another run holding it makes this one fail at once."""
    from filelock import FileLock, Timeout

    lock_path = dest.parent / f".{dest.name}.bien_gioi_geo.lock"
    lock = FileLock(lock_path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise OutputError(f"{dest}: another bien-gioi-geo run is writing it now (lock file {lock_path}); "
                          "wait for it to finish or choose another destination") from None
    except OSError as exc:
        raise output_error(dest, exc, "cannot create the lock file beside it") from None
    try:
        yield
    finally:
        # unlinked while still held: a run that opened the old file sees it deleted and does not take it
        with contextlib.suppress(OSError):
            lock_path.unlink()
        lock.release()


def check_file_target(dest: str | os.PathLike[str]) -> Path:
    """Refuse a destination file that cannot be replaced safely; return it as a :class:`~pathlib.Path`.

    Raises
    ------
    OutputError
        When the folder of ``dest`` does not exist, or ``dest`` is a folder, a symbolic link or not a regular file.

    Examples
    --------
    >>> check_file_target("/dev/full")
    Traceback (most recent call last):
    ...
    bien_gioi_geo.errors.OutputError: /dev/full: not a regular file (a device, pipe or socket); write to a file
    """
    dest = Path(dest)
    if dest.is_symlink():
        raise OutputError(f"{dest}: is a symbolic link (to {os.readlink(dest)!r}); write to a plain file name")
    if dest.exists():
        if dest.is_dir():
            raise OutputError(f"{dest}: is a folder; give a file name (e.g. {dest / 'map.html'})")
        if not dest.is_file():
            raise OutputError(f"{dest}: not a regular file (a device, pipe or socket); write to a file")
    parent = dest.parent
    if not parent.is_dir():
        raise OutputError(f"{dest}: the folder {parent} does not exist")
    return dest


@contextlib.contextmanager
def atomic_file(dest: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; on success rename it onto ``dest``, on failure delete it.

    The temporary path does not exist yet (some writers, such as GDAL's, refuse to write over a file) and keeps
    the suffix of ``dest``. Any :class:`OSError` while writing becomes an :class:`OutputError` naming ``dest``.
    """
    dest = check_file_target(dest)
    with _lock(dest):
        _clean_stale(dest)
        tmp = _tmp_name(dest, suffix=dest.suffix)
        try:
            yield tmp
            check_file_target(dest)
            os.replace(tmp, dest)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            if isinstance(exc, OutputError):  # name the destination, not the temporary file the user never sees
                raise OutputError(str(exc).replace(str(tmp), str(dest))) from exc
            raise output_error(dest, exc) from exc
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise


# --------------------------------------------------------------------------------------------------- folders
def _related(a: Path, b: Path) -> bool:
    """``a`` is ``b``, inside it, or contains it."""
    return a == b or a in b.parents or b in a.parents


def check_folder_target(out: str | os.PathLike[str], *, force: bool,
                        inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Refuse a report folder that could destroy something the tool did not write; return it as a Path.

    Raises
    ------
    OutputError
        ``out`` is a symbolic link, a file, the current folder (or contains it), the folder of an input (or is
        inside or around it), an existing folder without ``force``, or, with ``force``, a folder holding anything an
        earlier report did not write.
    """
    out = Path(out)
    if out.is_symlink():
        raise OutputError(f"{out}: is a symbolic link (to {os.readlink(out)!r}); give the real folder")
    real = out.resolve()
    cwd = Path.cwd().resolve()
    if real == cwd or real in cwd.parents:
        raise OutputError(f"{out}: is the current folder (or contains it); give a new folder name, "
                          f"e.g. {out / 'report'}")
    for inp in inputs:
        ip = Path(inp).resolve()
        if _related(real, ip):
            raise OutputError(f"{out}: holds, or is inside, the input {inp}; write the report to another folder")
    if real.parent == real:
        raise OutputError(f"{out}: is the root of the file system; give a new folder name")
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"{out}: is a file, not a folder; give a folder name")
        if not force:
            raise OutputError(f"{out}: exists; choose another folder or pass --force (force=True) to replace a "
                              "folder an earlier report wrote")
        _check_replaceable(out)
    if not out.parent.is_dir():
        raise OutputError(f"{out}: the folder {out.parent} does not exist")
    return out


def _check_replaceable(out: Path) -> None:
    try:
        names = set(os.listdir(out))
    except OSError as exc:
        raise output_error(out, exc, "cannot list the folder") from exc
    if not names:
        return
    mine: set[str] = set()
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        info = json.loads((out / MARKER).read_text(encoding="utf-8"))
        if info.get("tool") == "bien_gioi_geo":
            mine = {MARKER, *map(str, info.get("files", []))}
    if not mine:
        raise OutputError(f"{out}: holds files that bien-gioi-geo did not write ({_some(names)}); --force only "
                          "replaces an empty folder or an earlier report; choose another folder")
    foreign = names - mine
    if foreign:
        raise OutputError(f"{out}: an earlier report, but it now also holds other files ({_some(foreign)}); "
                          "move them away or choose another folder")


def _some(names: Iterable[str], n: int = 5) -> str:
    s = sorted(names)
    return ", ".join(map(repr, s[:n])) + (f" and {len(s) - n} more" if len(s) > n else "")


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False when the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    e = ctypes.get_errno()
    if e in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(e, os.strerror(e), str(b))


def _swap_in(tmp: Path, out: Path) -> None:
    if not out.exists():
        os.rename(tmp, out)
        return
    if not os.listdir(out):
        os.rename(tmp, out)  # replaces an empty folder in one step
        return
    if _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous report
        return
    old = _tmp_name(out, _OLD)
    os.rename(out, old)
    os.rename(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def report_folder(out: str | os.PathLike[str], *, force: bool = False,
                  inputs: Iterable[str | os.PathLike[str]] = ()) -> Iterator[Path]:
    """Yield a temporary folder to fill; at the end it becomes ``out`` in one rename, with the marker file.

    ``out`` is checked with :func:`check_folder_target` before and again, under the lock, before the swap.
    """
    inputs = list(inputs)
    out = check_folder_target(out, force=force, inputs=inputs)
    with _lock(out):
        _clean_stale(out)
        check_folder_target(out, force=force, inputs=inputs)
        tmp = _tmp_name(out)
        try:
            tmp.mkdir(mode=0o755)
        except OSError as exc:
            raise output_error(out, exc, "cannot create a folder beside it") from exc
        try:
            yield tmp
            files = sorted(p.name for p in tmp.iterdir())
            marker: dict[str, Any] = {"tool": "bien_gioi_geo", "version": _version(),
                                      "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                                      "files": files}
            (tmp / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
            check_folder_target(out, force=force, inputs=inputs)
            _swap_in(tmp, out)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(exc, OutputError):  # name the report's path, not the temporary one the user never sees
                raise OutputError(str(exc).replace(str(tmp), str(out))) from exc
            raise output_error(out, exc) from exc
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


# --------------------------------------------------------------------------------------------------- cells
#: A text cell starting with one of these is a formula to a spreadsheet (OWASP, CSV injection), full-width forms too.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_SURROGATE = re.compile("[\ud800-\udfff]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula.

    Examples
    --------
    >>> [is_formula_like(t) for t in ("=1+1", "-2", "@SUM(A1)", "\\tx", "Bản Mò", "＝1")]
    [True, True, True, True, False, True]
    """
    return text.startswith(FORMULA_START)


def encodable(text: str) -> str:
    """``text`` with lone surrogates (broken UTF-16 in the data), which no UTF-8 file can hold, as U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def json_surrogates(json_text: str) -> str:
    """JSON text with lone surrogates written as ``\\uXXXX`` escapes (valid JSON, and encodable as UTF-8)."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def xlsx_text(text: str) -> str:
    """``text`` as an Excel cell can hold it: also control characters XML forbids become U+FFFD."""
    return _XML_ILLEGAL.sub("\ufffd", encodable(text))


def csv_text(text: str) -> str:
    """``text`` for a CSV cell: encodable, and a formula-like text prefixed with ``'`` (OWASP).

    Examples
    --------
    >>> csv_text("=HYPERLINK(\\"http://x\\")"), csv_text("Bản Mò")
    ('\\'=HYPERLINK("http://x")', 'Bản Mò')
    """
    text = encodable(text)
    return "'" + text if is_formula_like(text) else text


def cells(df: Any, convert: Any) -> Any:
    """A copy of the DataFrame ``df`` with ``convert`` applied to every text cell and column name."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or str(out[c].dtype) in ("string", "str"):
            out[c] = out[c].map(lambda v: convert(v) if isinstance(v, str) else v)
    out.columns = [convert(c) if isinstance(c, str) else c for c in out.columns]
    return out
