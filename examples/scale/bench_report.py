"""Benchmark of the progress report from Python (run by hand, not in CI):

    .venv/bin/python examples/scale/bench_report.py [--persons 200000] [--threads 2]

Generates a registry (``generate.py``: N persons, N/10 cooperatives, N/100 union officials), writes
it as one JSON file too, then in a fresh process per way of calling measures the time of the
report and the process's peak memory (``ru_maxrss``):

- ``dict (before)``: the registry as one Python dict, through the binding's former path (the
  whole dict converted to one JSON tree, then the core) — the baseline of the ratios;
- ``dict``: the same dict through ``Engine.report`` now (one collection at a time, row by row);
- ``JSON file``: ``Engine.report(path)``, read by the core streaming on ``--threads`` threads;
- ``Parquet -> Arrow``: the Parquet files read with pyarrow and passed as tables (reading
  included in the time);
- ``Parquet -> pandas``: the same through pandas frames (reading included).

Every way must give the same report (checked); figures are printed with their ratio to the
baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict

HERE = pathlib.Path(__file__).resolve().parent
AS_OF = "2026-11-27"
MODES = ["dict (before)", "dict", "JSON file", "Parquet -> Arrow", "Parquet -> pandas"]


def run(mode: str, root: pathlib.Path, threads: int) -> Dict[str, Any]:
    """One measurement, in this process (called in a child)."""
    import htx_rules

    sys.path.insert(0, str(HERE))
    import registry as reg

    engine = htx_rules.Engine()
    data: Any = None
    if mode in ("dict (before)", "dict"):
        data = json.loads((root / "registry-whole.json").read_text(encoding="utf-8"))
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if mode == "dict (before)":
        report = engine._native.report(data, AS_OF, "vi")
    elif mode == "dict":
        report = engine.report(data, AS_OF)
    elif mode == "JSON file":
        report = engine.report(root / "registry-whole.json", AS_OF, threads=threads)
    elif mode == "Parquet -> Arrow":
        import pyarrow.parquet as pq

        registry: Dict[str, Any] = dict(reg.meta(root))
        for c in reg.COLLECTIONS:
            registry[c] = (pq.read_table(p) for p in reg.files(root, c))
        report = engine.report(registry, AS_OF)
    else:
        import pandas as pd

        registry = dict(reg.meta(root))
        for c in reg.COLLECTIONS:
            registry[c] = (pd.read_parquet(p, dtype_backend="pyarrow") for p in reg.files(root, c))
        report = engine.report(registry, AS_OF)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = report.to_dict()["phases"]
    return {"seconds": seconds, "peak_mb": peak / 1024, "loaded_mb": loaded / 1024, "phases": figures}


def prepare(root: pathlib.Path, persons: int) -> None:
    """The registry as Parquet files and as one JSON file."""
    import pyarrow.parquet as pq

    sys.path.insert(0, str(HERE))
    import generate
    import registry as reg

    sizes = {"persons": persons, "cooperatives": persons // 10, "union_officials": persons // 100}
    generate.generate(root, sizes, parts=4, duplicates=0, seed=2747)
    whole: Dict[str, Any] = dict(reg.meta(root))
    for c in reg.COLLECTIONS:
        rows = []
        for p in reg.files(root, c):
            rows += pq.read_table(p).to_pylist()
        whole[c] = rows
    text = json.dumps(whole, ensure_ascii=False, default=str)
    (root / "registry-whole.json").write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--persons", type=int, default=200_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--mode", help=argparse.SUPPRESS)
    ap.add_argument("--root", type=pathlib.Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.mode == "prepare":
        prepare(a.root, a.persons)
        return
    if a.mode:
        print(json.dumps(run(a.mode, a.root, a.threads)))
        return
    sys.path.insert(0, str(HERE))
    import registry as reg

    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        # prepared in a child: a process's peak memory passes to the processes it starts
        subprocess.run(
            [sys.executable, __file__, "--mode", "prepare", "--root", str(root), "--persons", str(a.persons)],
            check=True,
        )
        total = reg.rows(root)
        print(f"report of {total:,} rows ({a.persons:,} persons) at {AS_OF}, each way in a fresh process:")
        results = {}
        for mode in MODES:
            out = subprocess.run(
                [sys.executable, __file__, "--mode", mode, "--root", str(root), "--threads", str(a.threads)],
                check=True, capture_output=True, text=True,
            )
            results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
        base = results[MODES[0]]
        for mode in MODES:
            r = results[mode]
            assert r["phases"] == base["phases"], f"{mode}: another report"
            print(
                f"  {mode:18} {r['seconds']:6.2f} s  {total / r['seconds']:>11,.0f} rows/s  x{base['seconds'] / r['seconds']:5.2f}"
                f"   peak {r['peak_mb']:7.0f} MB (input loaded: {r['loaded_mb']:.0f} MB)"
            )
        print("every way gives the same report")


if __name__ == "__main__":
    main()
