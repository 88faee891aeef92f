#!/usr/bin/env bash
# The cluster examples on a small registry: Dask (LocalCluster, 2 workers) and PySpark
# (local[2], mapInArrow), each checked against one process (the examples exit 1 when the
# cluster's report or answers differ). Installs what it needs, idempotently: dask[distributed]
# and pyspark in the binding's virtual environment (built first by bindings-python/test.sh), and
# a Java 17+ runtime (Debian's openjdk-17-jre-headless) when `java -version` is older or absent.
#   HTX_VENV=...            the virtual environment (default <repo>/.venv)
#   HTX_SCALE_PERSONS=N     persons in the generated registry (default 20000)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
HTX_SCRIPT=examples/scale/test.sh
# shellcheck source=../../scripts/lib.sh
. "$root/scripts/lib.sh"
venv="${HTX_VENV:-$root/.venv}"
py="$venv/bin/python"

step "cluster examples: the binding's virtual environment"
[ -x "$py" ] || die "$py not found: run bindings-python/test.sh first (it builds and installs htx_rules)"
"$py" -c "import htx_rules" || die "htx_rules is not installed in $venv: run bindings-python/test.sh first"

step "cluster examples: installing dask[distributed] and pyspark (pip)"
"$py" -m pip install --quiet --disable-pip-version-check "dask[distributed,dataframe]" pyspark

step "cluster examples: a Java 17+ runtime for Spark"
java_major() {
  java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n1
}
major="$(command -v java >/dev/null 2>&1 && java_major || true)"
if [ -z "$major" ] || [ "$major" -lt 17 ]; then
  log "java ${major:-absent}: installing openjdk-17-jre-headless"
  apt_install openjdk-17-jre-headless
  major="$(java_major)"
  [ -n "$major" ] && [ "$major" -ge 17 ] || die "java -version still says ${major:-nothing} after installing openjdk-17-jre-headless"
fi
log "java $major"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
step "cluster examples: generating a small partitioned Parquet registry"
"$py" "$here/generate.py" "$work/registry" --persons "${HTX_SCALE_PERSONS:-20000}" \
  --cooperatives 2000 --union-officials 500 --parts 4 --duplicates 5

step "cluster examples: Dask (LocalCluster, 2 workers)"
"$py" "$here/dask_example.py" "$work/registry" --workers 2

step "cluster examples: PySpark (local[2], mapInArrow)"
# Spark's Python workers run the venv's interpreter, the same htx_rules
SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py" "$py" "$here/spark_example.py" "$work/registry" --master 'local[2]'
step "cluster examples passed"
