#!/usr/bin/env python3
"""The commission bench's statements computed in DuckDB SQL, on the same generated data.

Generates the credits of benches/benches/commission.rs with the same 64-bit LCG (a
quarter of 1,000,000 credits for 1,000 payees by default; pass CREDITS PAYEES to size it),
computes every payee's statement lines in DuckDB (split shares by largest remainder,
retroactive attainment tiers walked in date order, half-even rounding per line, refunds
clawed back at the original rate), then runs the Rust bench in the same run and prints
both times (each the best of 3 runs), the ratio Rust / DuckDB and whether the grand
totals agree.

Both sides run on the same number of threads: one unless told otherwise (`--threads
N`, which sets DuckDB's `threads` and the computation's `threads`).

`--rounds K` repeats the whole comparison (both sides, each the best of 3) K times, one
side right after the other, and ends with the spread of the ratios and how many rounds
met the issue's goal (under 0.2 s and a ratio of at most 0.5): on a shared machine one
round says little, as either side can be slowed by whatever else runs.

    pip install duckdb
    python3 benches/compare/commission_duckdb.py [CREDITS [PAYEES]] [--threads N] [--rounds K]
"""
import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time

import duckdb

CREDITS = 1_000_000
PAYEES = 1_000
QUOTA_CENTS = 8_000_000 * 100  # tiers at 50 % and 100 % of quota: 4 %, 8 %, 12 %
MASK = (1 << 64) - 1


def generate(path):
    x = 42

    def nxt():
        nonlocal x
        x = (x * 6364136223846793005 + 1442695040888963407) & MASK
        return x >> 33

    with open(path, "w") as f:
        f.write("idx,payee,other,split,cents,day,refund,after\n")
        for i in range(CREDITS):
            payee = nxt() % PAYEES
            cents = 10_000 + nxt() % 1_990_000
            day = nxt() % 90
            split = nxt() % 5 == 0 and PAYEES > 1
            other = (payee + 1 + nxt() % max(PAYEES - 1, 1)) % PAYEES
            refund = nxt() % 50 == 0
            after = nxt() % 30
            f.write(f"{i},{payee},{other},{int(split)},{cents},{day},{int(refund)},{after}\n")


# Half-even division of a non-negative integer by 100 (cents of a percentage).
def rhe(v):
    return f"(({v}) // 100 + CASE WHEN ({v}) % 100 > 50 OR (({v}) % 100 = 50 AND (({v}) // 100) % 2 = 1) THEN 1 ELSE 0 END)"


SQL = f"""
CREATE OR REPLACE TABLE lines AS
WITH shares AS (
  SELECT idx, payee AS p, day, refund, after,
    CASE WHEN split THEN cents * 60 // 100
      + CASE WHEN cents - cents * 60 // 100 - cents * 40 // 100 = 1 AND (cents * 60) % 100 >= (cents * 40) % 100 THEN 1 ELSE 0 END
    ELSE cents END AS b
  FROM credits
  UNION ALL
  SELECT idx, other, day, refund, after, cents * 40 // 100
      + CASE WHEN cents - cents * 60 // 100 - cents * 40 // 100 = 1 AND (cents * 60) % 100 < (cents * 40) % 100 THEN 1 ELSE 0 END
  FROM credits WHERE split
),
walk AS (
  SELECT *, SUM(b) OVER (PARTITION BY p ORDER BY day, idx ROWS UNBOUNDED PRECEDING) AS e FROM shares
),
rated AS (
  SELECT *, e - b AS s,
    CASE WHEN e > {QUOTA_CENTS} THEN 12 WHEN e > {QUOTA_CENTS // 2} THEN 8 ELSE 4 END AS re,
    CASE WHEN e - b > {QUOTA_CENTS} THEN 12 WHEN e - b > {QUOTA_CENTS // 2} THEN 8 ELSE 4 END AS rs
  FROM walk
),
commission AS (
  SELECT p, idx, day, 'commission' AS kind, {rhe('b * re')} AS cents, refund, after FROM rated
)
SELECT p, idx, day, kind, cents FROM commission
UNION ALL
SELECT p, idx, day, 'retro', {rhe('s * (re - rs)')} FROM rated WHERE s <> 0 AND re <> rs
UNION ALL
SELECT p, idx, day + after, 'clawback', -cents FROM commission WHERE refund AND day + after < 90;
CREATE OR REPLACE TABLE statements AS
SELECT p, count(*) AS lines, sum(cents) AS payout FROM lines GROUP BY p;
"""


GOAL_SECONDS, GOAL_RATIO = 0.2, 0.5


def duckdb_best(con):
    """The best of three runs of the statements' SQL, and the grand totals."""
    best = None
    for _ in range(3):
        t = time.perf_counter()
        con.execute(SQL)
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    lines, payout = con.execute("SELECT sum(lines), sum(payout) FROM statements").fetchone()
    return best, lines, payout


def rust_best(threads):
    """The Rust bench's best of three computes, and its grand totals (None if it failed)."""
    env = dict(os.environ, SALESOPS_BENCH_CREDITS=str(CREDITS), SALESOPS_BENCH_PAYEES=str(PAYEES),
               SALESOPS_BENCH_THREADS=str(threads))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = subprocess.run(["cargo", "bench", "-q", "-p", "salesops-benches", "--bench", "commission", "--", "--list"],
                         cwd=root, env=env, capture_output=True, text=True).stdout
    m = re.search(r"-> (\d+) lines, payout ([\d.]+) USD; validate ([\d.]+)(\w+), compute ([\d.]+)(\w+)", out)
    if not m:
        print("could not run the Rust bench:", out[-500:])
        return None
    unit = {"s": 1.0, "ms": 1e-3, "µs": 1e-6}
    return float(m.group(5)) * unit.get(m.group(6), 1.0), int(m.group(1)), float(m.group(2))


def main():
    global CREDITS, PAYEES
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("credits", type=int, nargs="?", default=CREDITS)
    ap.add_argument("payees", type=int, nargs="?", default=PAYEES)
    ap.add_argument("--threads", type=int, default=1, help="threads on both sides (default 1)")
    ap.add_argument("--rounds", type=int, default=1, help="repeat the comparison K times (default 1)")
    args = ap.parse_args()
    CREDITS, PAYEES = args.credits, args.payees
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "credits.csv")
        t = time.perf_counter()
        generate(path)
        gen = time.perf_counter() - t
        con = duckdb.connect()
        con.execute(f"SET threads = {args.threads}")
        con.execute(f"CREATE TABLE credits AS SELECT * FROM read_csv('{path}', header=true, "
                    "columns={'idx':'BIGINT','payee':'INTEGER','other':'INTEGER','split':'BOOLEAN',"
                    "'cents':'BIGINT','day':'INTEGER','refund':'BOOLEAN','after':'INTEGER'})")
    print(f"generated {CREDITS} credits for {PAYEES} payees in {gen:.1f} s")
    ratios, met = [], 0
    for k in range(1, max(args.rounds, 1) + 1):
        best, lines, payout = duckdb_best(con)
        print(f"duckdb {duckdb.__version__} ({args.threads} thread(s)): {lines} lines, payout {payout / 100:.2f} USD, best of 3: {best:.3f} s")
        got = rust_best(args.threads)
        if got is None:
            return
        rust, rust_lines, rust_payout = got
        print(f"salesops ({args.threads} thread(s)): {rust_lines} lines, payout {rust_payout:.2f} USD, best of 3: {rust:.3f} s")
        agree = abs(rust_payout - payout / 100) < 0.005 and rust_lines == lines
        ratios.append(rust / best)
        met += rust < GOAL_SECONDS and rust / best <= GOAL_RATIO
        print(f"ratio salesops / duckdb = {rust / best:.2f}; totals agree: {agree}"
              + (f" (round {k} of {args.rounds})" if args.rounds > 1 else ""))
    if len(ratios) > 1:
        ratios.sort()
        print(f"{len(ratios)} rounds: ratio {ratios[0]:.2f} - {ratios[-1]:.2f}, median {statistics.median(ratios):.2f}; "
              f"under {GOAL_SECONDS} s with a ratio of at most {GOAL_RATIO} in {met} of {len(ratios)}")


if __name__ == "__main__":
    main()
