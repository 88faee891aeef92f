"""Generates a partitioned Parquet registry of synthetic rows for the cluster examples.

    python examples/scale/generate.py OUT [--persons 2000000] [--cooperatives 200000]
                                          [--union-officials 20000] [--parts 16] [--duplicates 0]

Writes ``OUT/<collection>/part-00000.parquet`` … (one folder per collection of the Bến Tre
pack's registry, ``--parts`` files each) and ``OUT/registry.json`` (the registry's own keys).
Rows are drawn at random from the bundled sample registry (``cli/data/sample-registry.json``),
with new ids; ``--duplicates N`` copies N rows of each collection, id and all, into a later
file (a registry kept by several offices often has them: the report counts each id once).
Nested facts stay nested (``household`` is a struct column, ``managers`` a list of structs), as
Arrow and Parquet hold them. Nothing is downloaded; the same seed gives the same files.
"""

from __future__ import annotations

import argparse
import json
import pathlib

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "cli" / "data" / "sample-registry.json"
COLLECTIONS = {"cooperatives": "C-{:08d}", "union_officials": "U-{:08d}", "persons": "P-{:09d}"}


def template(rows: list) -> pa.Table:
    """The sample's rows as one Arrow table (types inferred over every row: absent keys null)."""
    return pa.Table.from_struct_array(pa.array(rows))


def generate(out: pathlib.Path, sizes: dict, parts: int, duplicates: int, seed: int) -> dict:
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, pattern in COLLECTIONS.items():
        n = sizes[name]
        base = template(sample[name])
        folder = out / name
        folder.mkdir(exist_ok=True)
        for old in folder.glob("part-*.parquet"):
            old.unlink()
        rows = base.take(pa.array(rng.integers(0, base.num_rows, n)))
        ids = pa.array([pattern.format(i + 1) for i in range(n)], pa.string())
        rows = rows.set_column(rows.schema.get_field_index("id"), "id", ids)
        bounds = np.linspace(0, n, parts + 1).astype(int)
        chunks = [rows.slice(a, b - a) for a, b in zip(bounds[:-1], bounds[1:])]
        if duplicates and parts > 1 and n:
            # copies of rows of the first file, ids and all, at the end of the last
            picked = rows.slice(0, int(bounds[1])).take(pa.array(rng.integers(0, int(bounds[1]), duplicates)))
            chunks[-1] = pa.concat_tables([chunks[-1], picked])
        for i, chunk in enumerate(chunks):
            pq.write_table(chunk, folder / f"part-{i:05d}.parquet")
        written[name] = sum(c.num_rows for c in chunks)
    meta = {k: v for k, v in sample.items() if not isinstance(v, list)}
    meta["note"] = "Dữ liệu tổng hợp ngẫu nhiên từ sổ mẫu. Random synthetic rows drawn from the sample registry."
    (out / "registry.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return written


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=pathlib.Path)
    p.add_argument("--persons", type=int, default=2_000_000)
    p.add_argument("--cooperatives", type=int, default=200_000)
    p.add_argument("--union-officials", type=int, default=20_000)
    p.add_argument("--parts", type=int, default=16, help="files per collection")
    p.add_argument("--duplicates", type=int, default=0, help="rows of each collection copied, id and all, into its last file")
    p.add_argument("--seed", type=int, default=2747)
    a = p.parse_args()
    sizes = {"persons": a.persons, "cooperatives": a.cooperatives, "union_officials": a.union_officials}
    written = generate(a.out, sizes, max(1, a.parts), max(0, a.duplicates), a.seed)
    total = sum(written.values())
    print(f"wrote {total:,} rows to {a.out}: " + ", ".join(f"{k} {v:,}" for k, v in written.items()))


if __name__ == "__main__":
    main()
