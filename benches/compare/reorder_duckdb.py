#!/usr/bin/env python3
"""The reorder bench's evaluation in DuckDB SQL, timed against salesops.

Optional, not part of the tests. Needs `pip install duckdb` and a Rust toolchain:

    python3 benches/compare/reorder_duckdb.py --skus 1000000

It generates the same data as `benches/benches/reorder.rs` (integer formulas of the SKU
number and the day), runs the same evaluation as a SQL query, runs the Rust bench
(`REORDER_ONCE=1 REORDER_BEST=3`), each side timed as the best of three runs, checks
that both found the same number of proposals and the same total quantity, and prints
the times and their ratio (salesops / DuckDB: below 1 means salesops is faster).

The evaluation, per SKU i (see the bench):
  daily demand over 90 days  sold(i, day) = (i*7919 + day*104729) % 13
  d, sd                      mean and sample standard deviation, rounded to 4 decimals
  lead time L                3 + i % 12 days
  safety stock               z = 1.65: 1.65 * sd * sqrt(L)
  reorder point s            ceil(d * L + safety stock)
  position                   (i*31) % 200 + (i*17) % 50 - (i*13) % 30
  Q                          50 + (i % 5) * 10
  proposal when position < s: k*Q with the smallest k >= 1 reaching s,
                              then MOQ 12 and a multiple of 6 rounded up.
DuckDB computes in floating point, salesops in exact decimals; the counts are compared,
and a mismatch (possible only on a rounding boundary) is reported, not hidden.

`--rounds K` repeats the whole comparison (both sides, each the best of 3) K times, one
side right after the other, and ends with the spread of the ratios per form and how
many rounds met the issue's goal (under 1 s and a ratio of at most 0.5): on a shared
machine one round says little, as either side can be slowed by whatever else runs.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

try:
    import duckdb
except ImportError:  # pragma: no cover
    sys.exit("this comparison needs DuckDB: pip install duckdb")

DAYS = 90

QUERY = """
WITH stats AS (
    SELECT sku, round(avg(qty), 4) AS d, round(stddev_samp(qty), 4) AS sd
    FROM sales GROUP BY sku
), items AS (
    SELECT sku, d, sd,
           3 + sku % 12 AS lt,
           (sku * 31) % 200 + (sku * 17) % 50 - (sku * 13) % 30 AS position,
           50 + (sku % 5) * 10 AS q
    FROM stats
), levels AS (
    SELECT *, ceil(d * lt + 1.65 * sd * sqrt(lt)) AS s FROM items
), needs AS (
    SELECT sku, greatest(1, ceil((s - position) / q)) * q AS need
    FROM levels WHERE position < s
)
SELECT count(*) AS proposals,
       coalesce(sum(ceil(greatest(need, 12) / 6) * 6), 0)::BIGINT AS units
FROM needs
"""


GOAL_SECONDS, GOAL_RATIO = 1.0, 0.5


def duckdb_setup(skus: int, threads: int):
    """A connection holding the generated sales, and the time generating them took."""
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    t = time.perf_counter()
    con.execute(
        f"""
        CREATE TABLE sales AS
        SELECT s.range AS sku, d.range AS day, (s.range * 7919 + d.range * 104729) % 13 AS qty
        FROM range({skus}) s, range({DAYS}) d
        """
    )
    return con, time.perf_counter() - t


def duckdb_best(con):
    """The best of three runs of the query (as the Rust side times each form with
    REORDER_BEST=3: one run is at the mercy of whatever else the machine is doing),
    and its proposals and units."""
    best = None
    for _ in range(3):
        t = time.perf_counter()
        proposals, units = con.execute(QUERY).fetchone()
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    return best, proposals, units


def rust_run(skus: int, root: str):
    env = dict(os.environ, REORDER_SKUS=str(skus), REORDER_ONCE="1", REORDER_BEST="3")
    out = subprocess.run(
        ["cargo", "bench", "-q", "-p", "salesops-benches", "--bench", "reorder"],
        cwd=root, env=env, capture_output=True, text=True, check=True,
    ).stdout
    results = {}
    for m in re.finditer(
        r"reorder \((\w+)\): \d+ SKUs x \d+ days evaluated in ([0-9.]+) s, (\d+) proposals, (\d+) units", out
    ):
        results[m.group(1)] = (float(m.group(2)), int(m.group(3)), int(m.group(4)))
    rss = re.search(r"peak RSS of the bench process: (\d+) MiB", out)
    return results, rss.group(1) if rss else "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skus", type=int, default=100_000)
    ap.add_argument("--threads", type=int, default=1, help="DuckDB threads (salesops uses one)")
    ap.add_argument("--rounds", type=int, default=1, help="repeat the comparison K times (default 1)")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

    con, gen_time = duckdb_setup(args.skus, args.threads)
    rounds = max(args.rounds, 1)
    ratios, met = {}, {}
    for k in range(1, rounds + 1):
        db_time, db_props, db_units = duckdb_best(con)
        print(f"duckdb {duckdb.__version__} ({args.threads} thread(s)): {args.skus} SKUs x {DAYS} days "
              f"evaluated in {db_time:.3f} s (best of 3; data generated in {gen_time:.3f} s), "
              f"{db_props} proposals, {db_units} units" + (f" (round {k} of {rounds})" if rounds > 1 else ""))
        rust, rss = rust_run(args.skus, root)
        for form, (t, props, units) in rust.items():
            same = "same results" if (props, units) == (db_props, db_units) else "RESULTS DIFFER"
            print(f"salesops ({form}): {t:.3f} s, {props} proposals, {units} units; "
                  f"ratio salesops/duckdb = {t / db_time:.2f} ({same})")
            ratios.setdefault(form, []).append(t / db_time)
            met[form] = met.get(form, 0) + (t < GOAL_SECONDS and t / db_time <= GOAL_RATIO)
        print(f"salesops bench peak RSS: {rss} MiB")
    if rounds > 1:
        for form, rs in ratios.items():
            rs.sort()
            print(f"{form}, {len(rs)} rounds: ratio {rs[0]:.2f} - {rs[-1]:.2f}, median {statistics.median(rs):.2f}; "
                  f"under {GOAL_SECONDS:g} s with a ratio of at most {GOAL_RATIO} in {met[form]} of {len(rs)}")


if __name__ == "__main__":
    main()
