"""bg.patrols on dask frames partitioned by TIME (tracks split between partitions), on a two-worker LocalCluster.

The partition edges are put where they hurt: in the middle of a visit, inside a record gap, during an excursion out
of the corridor, in a meander; and with hundreds of partitions, so a track has one or two fixes in some of them.
Every case must give exactly the visits computed in memory.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bien_gioi_geo as bg
from bien_gioi_geo.patrols.synthetic import walk

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

T0 = pd.Timestamp("2024-05-01T00:00Z")


@pytest.fixture(scope="module")
def la():
    return bg.datasets.load("vietnam").borders["VN-LA"]


@pytest.fixture(scope="module")
def fixes(la):
    walks = [
        walk(la, 300.0, [("walk", 301.2), ("walk", 301.6)], track_id="mid", seed=1, noise_m=12),
        walk(la, 400.0, [("walk", 400.5), ("gap", 401.5), ("walk", 402.0)], track_id="gap", seed=2, noise_m=10),
        walk(la, 500.0, [("walk", 500.4), ("out", 350), ("walk", 501.0)], track_id="out", seed=3, noise_m=10),
        walk(la, 219.0, [("walk", 223.0)], track_id="meander", seed=4, noise_m=8),  # meanders at km 219–226
        walk(la, 689.3, [("walk", 690.2), ("pause", 8), ("walk", 689.6)], track_id="back", seed=5, noise_m=15),
    ]
    fx = pd.concat([w[0] for w in walks], ignore_index=True)
    fx["unit"] = fx["track_id"].map(lambda t: f"Đồn {len(t)}")
    fx["row"] = np.arange(1, len(fx) + 1)
    return fx


def _edges(fx):
    """Times that cut a visit in its middle, fall inside the record gap, and during the excursion."""
    t = fx.groupby("track_id")["time"]
    mid = t.min()["mid"] + (t.max()["mid"] - t.min()["mid"]) / 2
    g = fx[fx.track_id == "gap"]["time"].sort_values()
    gap_at = g.iloc[int(np.nanargmax(g.diff().dt.total_seconds().to_numpy()))] - pd.Timedelta(seconds=30)
    out_at = t.min()["out"] + pd.Timedelta(seconds=int(0.4 / 3.0 * 3600) + 60)  # 1 min into the excursion
    meander = t.min()["meander"] + (t.max()["meander"] - t.min()["meander"]) * 0.55
    return sorted([mid + pd.Timedelta(seconds=5), gap_at, out_at, meander])


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, processes=False, threads_per_worker=1,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as c:
        yield c


def _mem(la, fx):
    return bg.patrols(la, fx).visits.drop(columns="geometry")


def _by_time(fx, divisions):
    return dd.from_pandas(fx.set_index("time").sort_index(), npartitions=1).repartition(divisions=divisions)


# distributed's HTTP server may leave a socket for the garbage collector on shutdown: its warning, not ours
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning",
                                        "ignore::pytest.PytestUnraisableExceptionWarning")


def test_edges_mid_visit_in_gap_in_excursion(la, fixes, client):
    edges = _edges(fixes)
    # the edges are where they are meant to be: inside the walks, not between them
    out = fixes[fixes.track_id == "out"]
    assert out.time.min() < edges[2] < out.time.max()
    ddf = _by_time(fixes, [fixes.time.min(), *edges, fixes.time.max()])
    assert ddf.npartitions == 5 and ddf.index.name == "time" and ddf.known_divisions
    mem = _mem(la, fixes)
    got = bg.patrols(la, ddf)  # partitioned="auto" sees the time index
    pd.testing.assert_frame_equal(mem, got.visits.drop(columns="geometry"))
    assert got.n_fixes == len(fixes)
    # the track cut mid-visit is one visit, not two; the gap and the excursion each end one
    assert (mem.track_id == "mid").sum() == 1 and (mem.track_id == "gap").sum() == 2
    assert (mem.track_id == "out").sum() == 2


@pytest.mark.parametrize("nparts", [7, 40])  # 40: a few fixes per track per partition
def test_many_partitions_and_shuffled_rows(la, fixes, client, nparts):
    # rows shuffled inside partitions, no index, a repeated fix straddling partitions: partitioned="time"
    fx = fixes.sort_values("time", kind="stable").reset_index(drop=True)
    dup = fx.iloc[[len(fx) // 2]].assign(row=len(fx) + 1)
    fx = pd.concat([fx.iloc[: len(fx) // 2 + 1], dup, fx.iloc[len(fx) // 2 + 1:]], ignore_index=True)
    mem = _mem(la, fx)
    ddf = dd.from_pandas(fx, npartitions=nparts, sort=False)
    ddf = ddf.map_partitions(lambda p: p.sample(frac=1.0, random_state=0))
    got = bg.patrols(la, ddf, partitioned="time").visits.drop(columns="geometry")
    pd.testing.assert_frame_equal(mem, got)
    assert mem["n_fixes"].sum() <= len(fixes)  # the repeat is not counted


def test_track_partitions_and_shuffle_agree(la, fixes, client):
    mem = _mem(la, fixes)
    by_track = dd.from_pandas(fixes.set_index("track_id").sort_index(), npartitions=3)
    assert by_track.known_divisions
    pd.testing.assert_frame_equal(mem, bg.patrols(la, by_track).visits.drop(columns="geometry"))
    shuffled = dd.from_pandas(fixes.sample(frac=1.0, random_state=1), npartitions=4, sort=False)
    pd.testing.assert_frame_equal(mem, bg.patrols(la, shuffled).visits.drop(columns="geometry"))


def test_partitions_out_of_time_order_are_refused(la, fixes, client):
    fx = fixes.sort_values("time", ascending=False)
    ddf = dd.from_pandas(fx, npartitions=3, sort=False)
    with pytest.raises(bg.InputError, match="earlier than fixes of the partition before it"):
        bg.patrols(la, ddf, partitioned="time")
    with pytest.raises(bg.InputError, match="partitioned must be 'auto', 'track' or 'time', not 'day'"):
        bg.patrols(la, ddf, partitioned="day")
