"""The Bến Tre plan over a partitioned registry with PySpark: decisions with ``mapInArrow`` on
the executors, and the progress report as partial reports merged on the driver — checked
against one process.

    python examples/scale/generate.py /tmp/registry            # a few million rows
    python examples/scale/spark_example.py /tmp/registry [--as-of 2026-11-27] [--master local[2]]
    spark-submit --master spark://host:7077 examples/scale/spark_example.py hdfs:///registry ...

1. ``mapInArrow`` over the persons: each executor evaluates Arrow record batches with the
   engine (the `Engine` pickles as its pack sources; it is rebuilt once per Python worker).
2. ``mapInArrow`` again, each task turning its batches into one partial report, numbered from
   the rows' place in their collection (Spark's ``_metadata.row_index`` within a file, plus
   where the file starts); the driver merges the partials (in any order) and finishes the
   report: the only place small cells are protected.

Both are compared with the same work done in this process (exit status 1 when they differ),
and the rows per second of each are printed. On a real cluster the executors need
``pip install htx-rules pyarrow``; the path must be one every executor reads.
"""

from __future__ import annotations

import argparse
import pathlib
import pickle
import sys
from typing import Any, Dict, Iterator, List

import pyarrow as pa
import pyarrow.parquet as pq

import htx_rules

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import registry as reg  # noqa: E402


def spark_schema(schema: pa.Schema) -> Any:
    """The Spark schema of the engine's answers (outcomes as text: Spark has no dictionaries)."""
    from pyspark.sql import types as T

    def convert(t: pa.DataType) -> Any:
        if pa.types.is_dictionary(t) or pa.types.is_string(t) or pa.types.is_null(t):
            return T.StringType()
        if pa.types.is_boolean(t):
            return T.BooleanType()
        if pa.types.is_int64(t):
            return T.LongType()
        if pa.types.is_date32(t):
            return T.DateType()
        if pa.types.is_decimal(t):
            return T.DecimalType(t.precision, t.scale)
        if pa.types.is_list(t):
            return T.ArrayType(convert(t.value_type), containsNull=False)
        if pa.types.is_struct(t):
            return T.StructType([T.StructField(f.name, convert(f.type), f.nullable) for f in t])
        raise TypeError(f"no Spark type for {t}")

    return T.StructType([T.StructField(f.name, convert(f.type), True) for f in schema])


def as_text(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Outcome dictionaries as plain text, all-null columns as text (what Spark declares)."""
    cols = []
    for col in batch.columns:
        if pa.types.is_dictionary(col.type) or pa.types.is_null(col.type):
            col = col.cast(pa.string())
        cols.append(col)
    return pa.RecordBatch.from_arrays(cols, names=batch.schema.names)


def runs(files: List[str], index: List[int]) -> Iterator[tuple]:
    """(start, end) of each run of rows from one file with consecutive row numbers."""
    start = 0
    for i in range(1, len(files) + 1):
        if i == len(files) or files[i] != files[start] or index[i] != index[i - 1] + 1:
            yield start, i
            start = i


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("root", type=pathlib.Path)
    p.add_argument("--as-of", default="2026-11-27")
    p.add_argument("--master", default="local[2]")
    a = p.parse_args()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(a.master)
    if a.master.startswith("local"):
        # a local run listens on the loopback address only
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    spark = (
        builder
        .appName("htx-rules")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(htx_rules._native.CHUNK_ROWS))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    engine = htx_rules.Engine()
    as_of = a.as_of
    workers = spark.sparkContext.defaultParallelism
    try:
        # -- 1. decisions with mapInArrow ------------------------------------------------------
        persons = spark.read.parquet(str(a.root / "persons"))
        whole = pq.read_table(a.root / "persons")
        expected, single_s = reg.timed(lambda: engine.evaluate_many("person", whole, as_of))
        schema = spark_schema(expected.schema)

        def evaluate(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            for batch in batches:
                # one thread: Spark already runs a task per core
                yield as_text(engine.evaluate_many("person", batch, as_of, threads=1))

        answers = persons.mapInArrow(evaluate, schema)
        # the first job starts the Python workers (and builds the engine in each): not timed
        persons.limit(100).mapInArrow(evaluate, schema).count()
        got, cluster_s = reg.timed(lambda: answers.toArrow())
        reg.same_rows(got, expected)
        n = whole.num_rows
        print(
            f"spark evaluate_many: {n:,} persons on {workers} cores (mapInArrow) in {cluster_s:.2f}s "
            f"({reg.rate(n, cluster_s)}); one process on Arrow {single_s:.2f}s ({reg.rate(n, single_s)}); "
            f"ratio {single_s / cluster_s:.2f}: identical answers"
        )

        # -- 2. the report from partial reports ------------------------------------------------
        from pyspark.sql import functions as F

        def partials_of(collection: str, firsts: Dict[str, int]) -> Any:
            def task(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
                parts = []
                for batch in batches:
                    files = [f.rsplit("/", 1)[-1] for f in batch.column("_file").to_pylist()]
                    index = batch.column("_row").to_pylist()
                    data = batch.drop_columns(["_file", "_row"])
                    for start, end in runs(files, index):
                        first = firsts[files[start]] + index[start]
                        piece = data.slice(start, end - start)
                        parts.append(engine.report_partial({collection: piece}, as_of, first_record=first))
                if parts:
                    blob = pickle.dumps(htx_rules.combine(parts))
                    yield pa.RecordBatch.from_pydict({"partial": [blob]}, pa.schema([("partial", pa.binary())]))

            return task

        def report_on_cluster() -> htx_rules.Report:
            shipped = []
            for c in reg.COLLECTIONS:
                firsts = reg.first_records(reg.files(a.root, c))
                frame = spark.read.parquet(str(a.root / c)).select(
                    "*", F.col("_metadata.file_path").alias("_file"), F.col("_metadata.row_index").alias("_row")
                )
                rows = frame.mapInArrow(partials_of(c, firsts), "partial binary").collect()
                shipped += [pickle.loads(r.partial) for r in rows]
            shipped.append(engine.report_partial(reg.meta(a.root), as_of))
            return htx_rules.combine(shipped).finish()

        report, cluster_r = reg.timed(report_on_cluster)
        baseline, single_r = reg.timed(lambda: reg.single_process_report(engine, a.root, as_of))
        total = reg.rows(a.root)
        if report.to_dict() != baseline.to_dict():
            print("the cluster's report differs from the single-process report", file=sys.stderr)
            return 1
        print(
            f"spark report: {total:,} rows, partial reports per task merged on the driver, "
            f"{cluster_r:.2f}s ({reg.rate(total, cluster_r)}); one process {single_r:.2f}s "
            f"({reg.rate(total, single_r)}); ratio {single_r / cluster_r:.2f}: identical reports"
        )
        return 0
    finally:
        spark.stop()


if __name__ == "__main__":
    sys.exit(main())
