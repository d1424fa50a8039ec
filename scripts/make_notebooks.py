"""Write the analysts' notebooks under notebooks/ (without outputs; the test suite executes them).

    python scripts/make_notebooks.py
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "notebooks"


def nb(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    book = new_notebook()
    book.cells = [new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells]
    book.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                     "language_info": {"name": "python"}}
    return book


QUICK_START = [
    ("md", """# 1. Quick start — how much of Phong Thổ's border is looked after, and by whom?

**Question.** Phong Thổ's review reports 97.229 km of border with 51 markers, and 63 collectives and 460
individuals self-managing the line and 27 markers. Does the registration data say the same, commune by commune,
and where on the line is each stretch?

> The bundled `phong_tho` markers and assignments are **ILLUSTRATIVE** (generated along the real,
> OpenStreetMap-derived line to reproduce the review's figures), not the real registrations."""),
    ("code", """import bien_gioi_geo as bg

ds = bg.datasets.load("phong_tho")
ds"""),
    ("md", """The summary in the shape the review reports it. Covered length is the **union** of the stretches (never
their sum); `covered_km` is geodesic along the drawn line, `official_covered_km` is calibrated to the official
97.229 km (the digitised line is 3.8 % shorter)."""),
    ("code", """cov = bg.coverage(ds)
cov"""),
    ("code", """s = cov.summary()
{k: s[k] for k in ["official_covered_km", "official_km", "markers_total", "markers_by_kind",
                   "markers_by_emplaced_by", "markers_self_managed", "collectives", "individuals",
                   "villages", "communes"]}"""),
    ("md", "Per commune: km looked after (union of each commune's own stretches), households, people, markers."),
    ("code", """cov.by("commune")[["assignments", "covered_km", "official_km", "households", "people", "markers"]].round(3)"""),
    ("md", """Which markers have nobody looking after them (the review: 27 of 51 are self-managed)?"""),
    ("code", """mn = cov.marker_numbers
mn.loc[~mn["self_managed"], ["kind", "emplaced_by", "chainage_km"]].round(3).head(10)"""),
    ("md", """The map for the commander: stretches coloured by commune, gaps and overlaps in their own layers,
markers by kind and emplacing side (a dashed red ring: nobody looks after it), search by marker number.
`bg.maps.save_map(m, "phong_tho.html")` writes it as one self-contained HTML file."""),
    ("code", """m = bg.coverage_map(ds, cov)
m"""),
]

VALIDATING = [
    ("md", """# 2. Validating assignments — what is wrong with this data, and how do we fix it?

**Question.** A district sends its registration files. Before counting anything: which rows are wrong, and why?
We use `phong_tho_problems`: the Phong Thổ sample (**ILLUSTRATIVE**) with realistic mistakes planted (see its
`README.md`). It is read leniently: a row the reader cannot use is reported, not dropped silently."""),
    ("code", """import bien_gioi_geo as bg
import pandas as pd

pd.set_option("display.max_colwidth", 200)
ds = bg.datasets.load("phong_tho_problems")
issues = bg.validate(ds)
issues["rule"].value_counts()"""),
    ("md", """**Every rule, with the row that triggers it.** `bg.validation.RULES` says what each rule means."""),
    ("code", """first = issues.drop_duplicates("rule").set_index("rule")
first.insert(0, "meaning", [bg.validation.RULES[r] for r in first.index])
first[["meaning", "severity", "message"]]"""),
    ("md", "The problems on the map (layer *Data problems*; gaps and overlaps have their own layers):"),
    ("code", """bg.coverage_map(ds, issues=issues, lang="en")"""),
    ("md", """**Fixing the data in pandas.** Each fix below answers one error; a real office would confirm them with the
communes. The reader's problems table tells which post was written `[lat, lon]`."""),
    ("code", """import json, shapely
import geopandas as gpd

folder = bg.datasets.path("phong_tho_problems")
markers, read_problems = bg.read_markers(folder / "markers.geojson", errors="collect")
read_problems[["row", "message"]]"""),
    ("code", """# 1. the post written [lat, lon]: swap it back (row numbers are 1-based feature numbers)
doc = json.loads((folder / "markers.geojson").read_text(encoding="utf-8"))
row = int(read_problems["row"].iloc[0])
lat, lon = doc["features"][row - 1]["geometry"]["coordinates"]
swapped = gpd.GeoDataFrame([doc["features"][row - 1]["properties"]], geometry=[shapely.Point(lon, lat)],
                           crs="EPSG:4326")
markers = pd.concat([markers, bg.io.check_frame(swapped, "markers")], ignore_index=True)

# 2. posts flagged suspect_datum: their VN-2000 latitude/longitude were written as WGS 84 -> convert them
datum = issues.loc[issues["rule"] == "suspect_datum", "marker_ids"].explode().tolist()
sel = markers["marker_id"].isin(datum)
lon, lat = bg.crs.to_wgs84(markers.loc[sel].geometry.x, markers.loc[sel].geometry.y, "EPSG:4756")
markers.loc[sel, "geometry"] = gpd.points_from_xy(lon, lat)

# 3. the double marker with one post: the commune re-sends the missing post (here taken from the clean sample)
original = bg.datasets.load("phong_tho").markers
missing = issues.loc[issues["rule"] == "marker_post_mismatch", "marker_ids"].iloc[0][0]
number = bg.parse_marker_id(missing).number
markers = pd.concat([markers, original[(original["number"] == number) & ~original["marker_id"].isin(markers["marker_id"])]],
                    ignore_index=True)
len(markers)"""),
    ("code", """a = ds.assignments.copy()
cov = bg.coverage(ds)

def ids(rule):
    return issues.loc[issues["rule"] == rule, "assignment_ids"].explode().dropna().unique().tolist()

# reversed range: swap start and end
r = a["assignment_id"].isin(ids("reversed_range"))
a.loc[r, ["start_km", "end_km"]] = a.loc[r, ["end_km", "start_km"]].to_numpy()
# beyond the end of the line: clip to the border's length
r = a["assignment_id"].isin(ids("out_of_range"))
a.loc[r, "end_km"] = a.loc[r, "end_km"].clip(upper=ds.border.length_km)
# an unknown marker in a list: drop it
known = set(markers["marker_id"]) | set(markers["number"])
a["markers"] = [[m for m in lst if m in known] for lst in a["markers"]]
# a stretch drawn in China: redraw it on the border between the chainages it was meant to cover
r = a["assignment_id"].isin(ids("assignment_off_line"))
iv = cov.intervals.loc[r]
a.loc[r, "geometry"] = ds.border.cut(iv["start_km"], iv["end_km"]).values
# impossible counts: a negative count is a typo for its absolute value; people < households is sent back (unknown)
for c in ["households", "people", "collectives", "individuals"]:
    a[c] = a[c].abs()
r = a["households"] > a["people"]
a.loc[r, "people"] = pd.NA
# a duplicated id: the second row gets its own
dup = a["assignment_id"].duplicated(keep="first")
a.loc[dup, "assignment_id"] = a.loc[dup, "assignment_id"] + "-2"
fixed = bg.Dataset(ds.border, markers, a)
issues2 = bg.validate(fixed)
issues2.groupby(["severity", "rule"]).size()"""),
    ("md", """No errors are left. What remains are **warnings** an office decides on: a gap (a village's registration is
missing), overlaps, a declared length, a marker numbered out of order, a post 2 km off the line (to be surveyed
again), markers nobody looks after. Validating again after each correction is how the data becomes clean."""),
    ("code", """assert (issues2["severity"] == "error").sum() == 0
issues2.loc[issues2["rule"] != "marker_unassigned", ["rule", "message"]]"""),
]

SURVEY = [
    ("md", """# 3. From a survey to a map — marker coordinates as an office types them

**Question.** A border guard station sends the coordinates of eight posts: some in degree-minute-second text, some
as VN-2000 TM-3 easting/northing (zone 103°, EPSG:9205, the zone of Lai Châu). Where are they on the border, at
which chainage — measured, and official?

> The posts are **ILLUSTRATIVE** (from the bundled Phong Thổ sample)."""),
    ("code", """from pathlib import Path
import pandas as pd
import bien_gioi_geo as bg

Path("moc_dms.csv").write_text('''marker_id,kind,emplaced_by,lat,lon
36,single,VN,"22°36'20.7""N","103°09'51.0""E"
40,single,Trung Quốc,"22°38'58.4""N","103°11'34.8""E"
45,single,VN,"22°40'26.1""N","103°16'13.1""E"
45/1,auxiliary,CN,"22°40'36.6""N","103°16'28.7""E"
''', encoding="utf-8")
Path("moc_vn2000.csv").write_text('''marker_id,kind,emplaced_by,x,y
50,single,CN,529977.76,2516137.87
55,single,VN,532652.38,2523112.31
62(1),triple,VN,542535.05,2518308.44
66(1),double,CN,543825.15,2514061.25
''', encoding="utf-8")"""),
    ("md", """Degree-minute-second text is read as WGS 84. Easting/northing are refused unless their CRS is stated: reading
VN-2000 as if it were WGS 84 would put every post about 220 m away in Lai Châu."""),
    ("code", """dms = bg.read_markers("moc_dms.csv")
try:
    bg.read_markers("moc_vn2000.csv")
except bg.CRSError as e:
    print(e)
vn2000 = bg.read_markers("moc_vn2000.csv", crs="EPSG:9205")   # pyproj applies the VN-2000 -> WGS 84 datum shift
posts = pd.concat([dms, vn2000], ignore_index=True)
posts[["marker_id", "kind", "emplaced_by", "geometry"]]"""),
    ("md", """Locate them on the border. The line is calibrated to the official 97.229 km: `chainage_km` is measured
along the drawn line, `official_km` is the calibrated chainage — both are reported, side by side."""),
    ("code", """border = bg.datasets.load("phong_tho").border.calibrated(official_length_km=97.229)
loc = border.locate(posts)
table = posts[["marker_id"]].join(loc[["chainage_km", "official_km", "offset_m", "side", "ambiguous"]])
table.round(3)"""),
    ("code", """print(loc.attrs["chainage"])
print(f"measured {border.length_km:.3f} km, official {border.official_length_km} km, "
      f"ratio {border.official_length_km / border.length_km:.4f}")"""),
    ("md", """**Why measured and official differ.** The official line follows river thalwegs and terrain in more detail
than the OpenStreetMap-derived line (generalised to about 10 m); the digitised line is 3.8 % shorter. A post at
measured km 40 is at official km ≈ 41.6. When the demarcation protocol gives official chainages of some markers,
`border.calibrated(markers=...)` calibrates piecewise between them instead of by one ratio.

Every post is within a few tens of metres of the line (`offset_m`, positive on the Chinese side — the left when
walking east): the VN-2000 posts were converted correctly. Save the converted posts for the office:"""),
    ("code", """bg.write_geojson(posts, "moc_wgs84.geojson")
bg.read_markers("moc_wgs84.geojson")[["marker_id", "number", "post", "kind", "emplaced_by"]]"""),
]

DIEN_BIEN = [
    ("md", """# 4. One province, two borders — Điện Biên with Laos and China

**Question.** Điện Biên's directive reports 102 villages with 4,301 households / 16,528 people self-managing
374.361 km of border line, and 3,502 households / 14,374 people self-managing 145 markers. How are they spread
over the border with China and the border with Laos, and over the communes?

> The bundled `dien_bien` markers and assignments are **ILLUSTRATIVE** (the directive's totals spread over
> villages by a seeded generator); the lines are OpenStreetMap-derived."""),
    ("code", """import bien_gioi_geo as bg

ds = bg.datasets.load("dien_bien")
ds.borders"""),
    ("code", """cov = bg.coverage(ds)
s = cov.summary()
{k: s[k] for k in ["official_covered_km", "official_km", "villages", "line_households", "line_people",
                   "markers_self_managed", "marker_households", "marker_people"]}"""),
    ("md", "Per border: km looked after (measured and official), households, people, markers."),
    ("code", """cov.by("border_id")[["covered_km", "official_km", "households", "people", "markers", "villages"]].round(3)"""),
    ("md", """Per commune (a commune on both borders, Sín Thầu, shows both together). A group's km is the union of its
own stretches."""),
    ("code", """cov.by("commune")[["covered_km", "official_km", "households", "people", "markers"]].round(3)"""),
    ("md", "What nobody looks after yet:"),
    ("code", """cov.gaps[["border_id", "start_km", "end_km", "length_km", "official_length_km", "from_marker_near",
          "to_marker_near"]].round(3)"""),
    ("code", """bg.coverage_map(ds, cov)"""),
]

FIVE_YEAR = [
    ("md", """# 5. The five-year review — what was looked after at each year end, what changed, where and by whom

**Questions** (the Phong Thổ review of "Ngày Biên phòng toàn dân", 2019–2024; Điện Biên's directive asks the same
every year at commune level and every five years at district level):

1. How much of the border, and how many markers, were looked after on 31 December of each year?
2. What was gained and lost over the five years, where, and by which groups?
3. Which groups registered, which left or merged, and which markers found a carer?

> The bundled `phong_tho` history is **ILLUSTRATIVE**: registrations, versions and take-overs generated by
> `scripts/build_datasets.py` so that the state on 31/12/2024 gives the review's figures (97,229 km, 63 collectives,
> 460 individuals, 27 markers). The border line is real (OpenStreetMap, ODbL)."""),
    ("code", """import bien_gioi_geo as bg
from bien_gioi_geo.maps.change_map import fmt_number

ds = bg.datasets.load("phong_tho")
a = ds.assignments
print(len(a), "rows for", a["assignment_id"].nunique(), "assignments;",
      "valid_from", a["valid_from"].min(), "…", a["valid_from"].max())"""),
    ("md", """Each row is valid over `[valid_from, valid_to)`: from its first day, up to but not including its end day;
an empty `valid_to` means still valid. An `assignment_id` on several rows with consecutive periods is the
history of one group's stretch (versions), not a duplicate. Here is one such history:"""),
    ("code", """versions = a[a["assignment_id"].duplicated(keep=False)].sort_values(["assignment_id", "valid_from"])
versions[["assignment_id", "village", "valid_from", "valid_to", "start_km", "end_km", "from_marker", "to_marker",
          "households"]].head(4)"""),
    ("md", """## 1. Year by year

`bg.timeline` sweeps the change points of the ledger once and gives the review's figures on each 31 December;
each row equals `bg.coverage(ds, as_of=date).summary()`."""),
    ("code", """tl = bg.timeline(ds)
tl[["official_covered_km", "covered_km", "percent", "markers_self_managed", "collectives", "individuals",
    "households", "people", "villages", "communes"]]"""),
    ("md", "The same table as the review prints it (Vietnamese labels and number format):"),
    ("code", """from bien_gioi_geo.labels import label

cols = ["official_covered_km", "percent", "markers_self_managed", "collectives", "individuals", "households",
        "villages"]
vi = tl[cols].copy()
for c in cols:
    vi[c] = [fmt_number(v, "vi", 3 if c.endswith("_km") else 2 if c == "percent" else 0) for v in tl[c]]
vi.index = [d.strftime("%d/%m/%Y") for d in tl.index]
vi.rename(columns={c: label(c, "vi") for c in cols})"""),
    ("code", """from bien_gioi_geo.maps.change_map import timeline_chart

timeline_chart(tl);"""),
    ("md", """The state on 31/12/2024 is the review's: 97,229 km (official) with 63 collectives and 460 individuals,
27 markers self-managed, 125 villages in 12 communes."""),
    ("code", """end = bg.coverage(ds, as_of="31/12/2024").summary()
assert (end["official_covered_km"], end["collectives"], end["individuals"], end["markers_self_managed"],
        end["villages"], end["communes"]) == (97.229, 63, 460, 27, 125, 12)
end["as_of"], end["official_covered_km"]"""),
    ("md", """## 2. Five years of change: 31/12/2019 → 31/12/2024

`bg.compare` gives one row per figure with the two dates and the change; `gained` and `lost` are the stretches
(chainage, km, who holds them, geometry). Gained minus lost equals the change of covered length."""),
    ("code", """ch = bg.compare(ds, "31/12/2019", "31/12/2024")
ch.summary_table("vi")"""),
    ("code", """print("gained", fmt_number(ch.gained["length_km"].sum()), "km; lost", fmt_number(ch.lost["length_km"].sum()),
      "km; change", fmt_number(ch.summary().loc["covered_km", "change"]), "km")
big = ch.gained[ch.gained["length_km"] >= 0.001]  # slivers under 1 m (ends a few cm apart) left out of the view
big[["start_km", "end_km", "length_km", "official_length_km", "from_marker_near", "to_marker_near", "villages",
     "communes"]].round(3).head(10)"""),
    ("md", "By commune: km looked after on both dates and the change (official km), largest gain first."),
    ("code", """ch.by("commune").sort_values("official_km_change", ascending=False).round(3)"""),
    ("md", """## 3. Who joined, who left, which markers found a carer

Groups that left are those whose `assignment_id` was valid on 31/12/2019 and is not any more (their stretch was
taken over by another village's group, sometimes after months without a carer); `changed` are the groups that
kept their id but changed their stretch (a new version)."""),
    ("code", """print(len(ch.joined), "registrations joined;", len(ch.left), "left;", len(ch.changed), "changed their stretch")
ch.left[["assignment_id", "village", "commune", "valid_from", "valid_to", "start_km", "end_km"]]"""),
    ("code", """ch.markers_found[["number", "kind", "emplaced_by", "carers"]]"""),
    ("md", """Year by year, the same questions — for the yearly commune review (2023 → 2024 here). A stretch can be lost
in a year (a group left before another took over) even when the five-year balance shows none."""),
    ("code", """for y in range(2019, 2024):
    c = bg.compare(ds, f"{y}-12-31", f"{y + 1}-12-31")
    print(y + 1, "gained", fmt_number(c.gained["length_km"].sum()), "km, lost", fmt_number(c.lost["length_km"].sum()),
          "km; markers found", len(c.markers_found), "lost", len(c.markers_lost))"""),
    ("md", """## 4. Is the history itself consistent?

Validation over time compares only rows valid at the same moment (versions of a group and successive groups on a
stretch are not overlaps) and checks the periods themselves (`bad_period`, `period_overlap`)."""),
    ("code", """issues = bg.validate(ds)
issues["rule"].value_counts()"""),
    ("md", """## 5. The change map

Green: stretches gained; red (dashed): lost; blue: looked after on both dates; dots: markers that found (green) or
lost (red) a carer. The legend states both dates."""),
    ("code", """bg.change_map(ch)"""),
]


PATROLS = [
    ("md", """# 6. Patrols — which stretches were walked, when, and which are overdue

**Question.** Groups and Border Guard stations patrol the line and bring back GPS tracks (phones, handheld
receivers). Which stretches of the Phong Thổ line were actually walked, how long ago, and which have not been
walked within the required 30 days — near which markers?

> The bundled `phong_tho_patrols` tracks are **ILLUSTRATIVE**: synthetic walks along the real line, made by
> `scripts/build_datasets.py` (see `data/README.md`). Times in the file are Viet Nam time (+07:00)."""),
    ("code", """import bien_gioi_geo as bg

ds = bg.datasets.load("phong_tho")
fixes, problems = bg.read_tracks(bg.datasets._root() / "phong_tho_patrols" / "tracks.csv", errors="collect")
len(fixes), len(problems)"""),
    ("md", """Match the fixes to the line. A visit is a run of fixes within 100 m of the line; a detour out of that
corridor, 15 minutes without a fix, or an advance faster than 6 km/h along the line ends it (the defaults suit
people on foot in the mountains; see `bien_gioi_geo.patrols.match`)."""),
    ("code", """p = bg.patrols(ds, fixes)
p.visits[["track_id", "unit", "start_km", "end_km", "length_km", "start_time", "end_time", "n_fixes"]].round(3)"""),
    ("md", "Km walked at least once in the first half of 2024 (a union: a stretch walked twice counts once):"),
    ("code", """round(p.covered_km("2024-01-01", "2024-07-01"), 3)"""),
    ("md", "Per unit:"),
    ("code", """p.by("unit").round(3)"""),
    ("md", "Stretches not walked in the 30 days before 1 July 2024, with the nearest markers:"),
    ("code", """p.overdue(every="30D", as_of="2024-07-01")[["start_km", "end_km", "length_km", "from_marker_near",
                                              "to_marker_near", "last_visit", "days_since"]].round(3)"""),
    ("md", "Registered (assignments) against actually patrolled:"),
    ("code", """a = p.assignments()
a[a["n_visits"] > 0].round(3).head(10)"""),
    ("code", """from bien_gioi_geo.maps.patrol_map import patrol_map

patrol_map(p, fixes=fixes, as_of="2024-07-01")"""),
]


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for name, cells in (("01_quick_start.ipynb", QUICK_START), ("02_validating_assignments.ipynb", VALIDATING),
                        ("03_survey_to_map.ipynb", SURVEY), ("04_dien_bien_two_borders.ipynb", DIEN_BIEN),
                        ("05_five_year_review.ipynb", FIVE_YEAR), ("06_patrols.ipynb", PATROLS)):
        nbformat.write(nb(cells), OUT / name)
        print("wrote", OUT / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
