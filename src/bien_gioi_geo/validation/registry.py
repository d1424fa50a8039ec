"""The rule registry: one function per rule, registered with its id, severity and message templates.

A rule is a function of a :class:`Context` that yields one dict per problem: the issue's columns
(``assignment_ids``, ``marker_ids``, ``border_id``, ``start_km``, ``end_km``, ``geometry``, ``valid_from``,
``valid_to``) and ``params``, the values its message template names. The templates of every language live in the
``@rule`` decorator, next to the code; the code itself holds no reader-facing text. Parameter values are written for
the reader by :func:`format_param`: lengths (``*_km``) and distances (``*_m``) through
:mod:`bien_gioi_geo.formatting`, lists of ids as ``'A1', 'A2'``, a :class:`Phrase` as the rule's phrase in the
reader's language.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..formatting import check_lang, format_count, format_date, format_km, format_number

__all__ = ["Rule", "RULES", "SEVERITIES", "Phrase", "rule", "format_param", "render"]

SEVERITIES = ("error", "warning")

Check = Callable[[Any], Iterable[dict[str, Any]]]


@dataclass(frozen=True)
class Phrase:
    """A piece of a message chosen by the rule's code (``name`` among the rule's ``phrases``), with its values."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """One registered rule: ``id`` (the ``rule`` column), ``severity``, message templates per language
    (``str.format`` fields named after the rule's ``params``), optional ``phrases`` and ``hint`` (technical advice,
    the ``hint`` column), the ``check`` function and what triggers it (``doc``, from the function's docstring).
    """

    id: str
    severity: str
    messages: Mapping[str, str]
    check: Check
    phrases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    hint: Mapping[str, str] | None = None

    @property
    def doc(self) -> str:
        """The first paragraph of the check's docstring: what triggers the rule."""
        text = inspect.getdoc(self.check) or ""
        return " ".join(text.split("\n\n")[0].split())

    @property
    def group(self) -> str:
        """What the rule looks at: the module it is written in (``markers``, ``stretches``…)."""
        return self.check.__module__.rsplit(".", 1)[-1]


RULES: dict[str, Rule] = {}


def rule(id: str, severity: str, *, messages: Mapping[str, str],
         phrases: Mapping[str, Mapping[str, str]] | None = None,
         hint: Mapping[str, str] | None = None) -> Callable[[Check], Check]:
    """Register the decorated function as the check of rule ``id``.

    Every language of :data:`bien_gioi_geo.formatting.LANGS` needs a template, and every phrase too.
    """
    if severity not in SEVERITIES:
        raise ValueError(f"rule {id!r}: severity must be one of {SEVERITIES}, not {severity!r}")
    for what, texts in [("messages", messages), ("hint", hint or {"vi": "", "en": ""}),
                        *[(f"phrase {k!r}", v) for k, v in (phrases or {}).items()]]:
        if set(texts) != {"vi", "en"}:
            raise ValueError(f"rule {id!r}: {what} needs a 'vi' and an 'en' text, got {sorted(texts)}")

    def register(fn: Check) -> Check:
        if id in RULES:
            raise ValueError(f"rule {id!r} is registered twice ({RULES[id].check.__qualname__}, {fn.__qualname__})")
        RULES[id] = Rule(id, severity, dict(messages), fn, {**COMMON_PHRASES, **(phrases or {})},
                         None if hint is None else dict(hint))
        return fn

    return register


def format_param(key: str, value: Any, lang: str, phrases: Mapping[str, Mapping[str, str]]) -> Any:
    """``value`` as the reader sees it in ``lang``.

    >>> format_param("length_km", 1234.5, "vi", {})
    '1.234,500'
    >>> format_param("who", ["A1", "A2"], "en", {})
    "'A1', 'A2'"
    >>> format_param("tolerance_m", 300.0, "vi", {})
    '300'
    """
    if isinstance(value, Phrase):
        return phrases[value.name][lang].format(**{k: format_param(k, v, lang, phrases)
                                                   for k, v in value.params.items()})
    if isinstance(value, Mapping) and set(value) == {"vi", "en"}:  # a text given in each language
        return value[lang]
    if isinstance(value, (list, tuple)):
        return ", ".join(map(repr, value))
    if isinstance(value, (dt.date, dt.datetime)):
        return format_date(value, lang=lang)
    if isinstance(value, (bool, np.bool_)) or isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer)):
        return str(value) if key == "row" else format_count(int(value), lang=lang)
    if isinstance(value, (float, np.floating)):
        if key.endswith("_km"):
            return format_km(float(value), lang=lang)
        if key.endswith("_m"):
            return format_number(float(value), decimals=0, lang=lang)
        return format_number(float(value), decimals=0 if float(value).is_integer() else 3, lang=lang)
    return value


def render(r: Rule, params: Mapping[str, Any], lang: str) -> tuple[str, str | None]:
    """The message and the hint of one problem of rule ``r`` in ``lang``."""
    check_lang(lang)
    shown = {k: format_param(k, v, lang, r.phrases) for k, v in params.items()}
    hint = None if r.hint is None else r.hint[lang].format(**shown)
    return r.messages[lang].format(**shown), hint


#: Phrases every rule may use: the period a problem holds in (dated data).
COMMON_PHRASES: dict[str, dict[str, str]] = {
    "period": {"vi": "từ {from_date} đến trước {to_date}", "en": "from {from_date} until {to_date} (end excluded)"},
    "period_open": {"vi": "từ {from_date} trở đi (còn hiệu lực)", "en": "from {from_date} on (still valid)"},
    "records_start": {"vi": "đầu hồ sơ", "en": "the start of the records"},
    "open": {"vi": "…", "en": "…"},
}
