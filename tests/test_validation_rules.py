"""The validation rules as registered functions (issue #12) and their messages in Vietnamese and English (#13).

Each rule is triggered by a case built to trigger it (the planted problems of the bundled ``phong_tho_problems``,
or a hand-built dataset); the row is checked in both languages: the same ids and km in both, the figures written
the way the reader's language writes them (Babel), no English sentence in the Vietnamese one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import bien_gioi_geo as bg
from bien_gioi_geo.formatting import format_km
from bien_gioi_geo.validation import RULES, rule_table, rules_markdown

VI_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹàáèéìíòóùúý]", re.I)
ENGLISH = re.compile(r"\b(the|is|has|are|of|by|with|from|than)\b")


@pytest.fixture(scope="module")
def problems() -> bg.Dataset:
    return bg.datasets.load("phong_tho_problems")


@pytest.fixture(scope="module")
def pt() -> bg.Dataset:
    return bg.datasets.load("phong_tho")


def _dated(pt: bg.Dataset) -> bg.Dataset:
    rows = [("A", 0.0, 1.0, "2022-01-01", "2021-01-01"),  # bad_period
            ("B", 2.0, 3.0, "2019-01-01", "2022-01-01"), ("B", 2.0, 4.0, "2021-06-01", None)]  # period_overlap
    return bg.Dataset(pt.border, None, pd.DataFrame(rows, columns=["assignment_id", "start_km", "end_km",
                                                                    "valid_from", "valid_to"]))


def _unresolved(pt: bg.Dataset) -> bg.Dataset:
    a = pd.DataFrame({"assignment_id": ["X1"], "border_id": ["no-such-border"], "start_km": [1.0], "end_km": [2.0]})
    return bg.Dataset(pt.border, None, a)


READ_PROBLEMS = pd.DataFrame({"source": ["markers.csv"], "row": [7], "field": ["lat"],
                              "message": ["'abc' is not a number"]})


def _issues(rule_id: str, lang: str, problems: bg.Dataset, pt: bg.Dataset) -> pd.DataFrame:
    if rule_id in ("bad_period", "period_overlap"):
        ds, kw = _dated(pt), {}
    elif rule_id == "unresolved_stretch":
        ds, kw = _unresolved(pt), {}
    elif rule_id == "read_error":
        ds, kw = pt, {"read_problems": READ_PROBLEMS}
    else:
        ds, kw = problems, {}
    return bg.validate(ds, lang=lang, rules=[rule_id], **kw)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_each_rule_in_both_languages(rule_id, problems, pt):
    vi = _issues(rule_id, "vi", problems, pt)
    en = _issues(rule_id, "en", problems, pt)
    assert len(vi) > 0 and len(vi) == len(en), rule_id
    assert set(vi["rule"]) == {rule_id} and set(vi["severity"]) == {RULES[rule_id].severity}
    # the same problems, only the words differ
    assert vi["assignment_ids"].tolist() == en["assignment_ids"].tolist()
    assert vi["marker_ids"].tolist() == en["marker_ids"].tolist()
    pd.testing.assert_series_equal(vi["start_km"], en["start_km"])
    for v, e in zip(vi["message"], en["message"], strict=True):
        assert v != e and "{" not in v and "{" not in e
        assert VI_LETTERS.search(v), v
    for r in vi.itertuples():
        own = r.message
        if rule_id == "read_error" or (rule_id == "swapped_coordinates" and not r.marker_ids):
            own = own.split("': ", 1)[0]  # a reader's problem: its own message (the reader's words) follows
        elif rule_id == "unresolved_stretch":
            own = own.split("(")[0]  # the reason comes from coverage's resolver, in English
        assert not ENGLISH.search(own), r.message
        for aid in r.assignment_ids:  # every id the row names is in its message (but name_variant's groups)
            assert rule_id == "name_variant" or repr(aid) in r.message or aid in r.message, (aid, r.message)
    for lang, t in (("vi", vi), ("en", en)):  # km of a stretch in the reader's format: 8,222 (vi), 8.222 (en)
        if rule_id in ("gap", "overlap"):
            for r in t.itertuples():
                assert f"km {format_km(r.start_km, lang=lang)}–{format_km(r.end_km, lang=lang)}" in r.message


def test_hint_holds_the_technical_advice(problems):
    vi = bg.validate(problems, rules=["suspect_datum"])
    assert vi["hint"].str.contains("EPSG:4756").all()
    assert not vi["message"].str.contains("crs=").any()  # no Python advice for a commander
    assert bg.validate(problems, rules=["gap"])["hint"].isna().all()


def test_messages_write_numbers_as_the_reader_does(pt):
    """A hand-built gap of 1,234.5 m: '1,235 km' is written '1,235' in Vietnamese only after rounding to the metre;
    the thousands of a long gap use '.' (vi) and ',' (en)."""
    a = pd.DataFrame({"assignment_id": ["A"], "start_km": [0.0], "end_km": [10.0]})
    ds = bg.Dataset(pt.border, None, a)
    total = pt.border.length_km
    vi = bg.validate(ds, rules=["gap"])
    en = bg.validate(ds, rules=["gap"], lang="en")
    assert vi["message"].iloc[0].startswith(f"{pt.border.name}: đoạn km 10,000–{format_km(total)} (")
    assert f"km 10.000–{total:.3f} ({total - 10:.3f} km)" in en["message"].iloc[0]


def test_unknown_lang_and_rule_are_refused(pt):
    with pytest.raises(ValueError, match="lang must be 'vi' or 'en'"):
        bg.validate(pt, lang="fr")
    with pytest.raises(bg.OptionError, match="rules"):
        bg.validate(pt, rules=["no_such_rule"])


def test_registry_documents_every_rule():
    t = rule_table("vi")
    assert sorted(t["rule"]) == sorted(RULES) and t["triggered_by"].str.len().gt(20).all()
    assert set(t["severity"]) <= {"lỗi", "cảnh báo"}
    # the docs table is generated from the registry and up to date
    doc = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
    assert doc.read_text(encoding="utf-8") == rules_markdown()


def test_old_import_path_still_works():
    from bien_gioi_geo.validation import ISSUE_COLUMNS, validate

    assert validate is bg.validate and "hint" in ISSUE_COLUMNS
