"""Old names kept working: an attribute renamed for clarity answers under its old name with a DeprecationWarning.

>>> class C:
...     new = 1
...     old = renamed("old", "new")
>>> import warnings
>>> with warnings.catch_warnings(record=True) as w:
...     warnings.simplefilter("always")
...     C().old, w[0].category.__name__
(1, 'DeprecationWarning')
"""

from __future__ import annotations

import warnings
from typing import Any

__all__ = ["renamed"]


def renamed(old: str, new: str, why: str = "") -> property:
    """A read-only property ``old`` that warns (``DeprecationWarning``, naming ``new`` and ``why``) and returns
    ``self.<new>``.
    """

    def get(self: Any) -> Any:
        warnings.warn(f"{type(self).__name__}.{old} is renamed {type(self).__name__}.{new}{why}; the old name will "
                      "be removed", DeprecationWarning, stacklevel=2)
        return getattr(self, new)

    get.__doc__ = f"Deprecated name of :attr:`{new}`{why}."
    return property(get)
