"""The Bến Tre plan over a partitioned registry with Dask: decisions per partition, and the
progress report as partial reports merged — checked against one process.

    python examples/scale/generate.py /tmp/registry            # a few million rows
    python examples/scale/dask_example.py /tmp/registry [--as-of 2026-11-27] [--workers 2]
    python examples/scale/dask_example.py /tmp/registry --scheduler tcp://host:8786   # a cluster

1. ``map_partitions(engine.evaluate_many)`` over the persons: every partition evaluated on a
   worker (the `Engine` pickles as its pack sources and is rebuilt once per worker process).
2. One ``report_partial`` per Parquet file (Arrow straight to the core, numbered from the
   file's place in its collection), merged with ``htx_rules.combine`` on a worker, finished
   on the client: the only place small cells are protected.

Both are compared with the same work done in this process (exit status 1 when they differ),
and the rows per second of each are printed. On a real cluster the workers need
``pip install htx-rules pyarrow`` and must read the same path (a shared file system or object
store URL that pyarrow understands).
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from typing import Any

import dask
import dask.dataframe as dd
import pyarrow as pa
import pyarrow.parquet as pq
from dask.distributed import Client, LocalCluster

import htx_rules

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import registry as reg  # noqa: E402


def evaluate_part(frame: Any, engine: htx_rules.Engine, as_of: str) -> Any:
    """One partition (a pandas frame) -> its decisions (a pandas frame, same index). One thread:
    the cluster already runs a task per core."""
    return engine.evaluate_many("person", frame, as_of, threads=1)


def partial_of_file(engine: htx_rules.Engine, collection: str, path: str, first: int, as_of: str) -> Any:
    """One Parquet file -> its partial report (Arrow in; nothing goes through pandas)."""
    return engine.report_partial({collection: pq.read_table(path)}, as_of, first_record=first)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("root", type=pathlib.Path)
    p.add_argument("--as-of", default="2026-11-27")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster)")
    a = p.parse_args()
    engine = htx_rules.Engine()
    as_of = a.as_of

    if a.scheduler:
        client = Client(a.scheduler)
    else:
        cluster = LocalCluster(
            n_workers=a.workers, threads_per_worker=1, processes=True, dashboard_address=None,
            host="127.0.0.1",
        )
        client = Client(cluster)
    try:
        # -- 1. decisions per partition ---------------------------------------------------------
        persons = dd.read_parquet(str(a.root / "persons"), dtype_backend="pyarrow")
        meta = evaluate_part(persons._meta, engine, as_of)
        answers = persons.map_partitions(evaluate_part, engine, as_of, meta=meta)
        got, cluster_s = reg.timed(lambda: answers.compute())
        whole = pq.read_table(a.root / "persons")
        expected, single_s = reg.timed(lambda: engine.evaluate_many("person", whole, as_of))
        reg.same_rows(pa.Table.from_pandas(got, preserve_index=False), expected)
        n = whole.num_rows
        print(
            f"dask evaluate_many: {n:,} persons on {a.workers} workers in {cluster_s:.2f}s "
            f"({reg.rate(n, cluster_s)}); one process on Arrow {single_s:.2f}s ({reg.rate(n, single_s)}); "
            f"ratio {single_s / cluster_s:.2f}: identical answers"
        )

        # -- 2. the report from partial reports -----------------------------------------------
        parts = []
        for c in reg.COLLECTIONS:
            paths = reg.files(a.root, c)
            firsts = reg.first_records(paths)
            parts += [
                dask.delayed(partial_of_file)(engine, c, str(path), firsts[path.name], as_of)
                for path in paths
            ]
        parts.append(dask.delayed(engine.report_partial)(reg.meta(a.root), as_of))
        merged = dask.delayed(htx_rules.combine)(parts)
        partial, cluster_r = reg.timed(lambda: client.compute(merged).result())
        report = partial.finish()
        baseline, single_r = reg.timed(lambda: reg.single_process_report(engine, a.root, as_of))
        total = reg.rows(a.root)
        if report.to_dict() != baseline.to_dict():
            print("the cluster's report differs from the single-process report", file=sys.stderr)
            return 1
        print(
            f"dask report: {total:,} rows in {sum(len(reg.files(a.root, c)) for c in reg.COLLECTIONS)} "
            f"partial reports, {cluster_r:.2f}s ({reg.rate(total, cluster_r)}); one process "
            f"{single_r:.2f}s ({reg.rate(total, single_r)}); ratio {single_r / cluster_r:.2f}: identical reports"
        )
        return 0
    finally:
        client.close()


if __name__ == "__main__":
    sys.exit(main())
