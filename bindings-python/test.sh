#!/usr/bin/env bash
# Builds the Python binding, installs it in <repo>/.venv (created when missing) and runs pytest
# (conformance corpus; pandas, polars, DuckDB and pyarrow inputs; pickling through a process
# pool; errors; stubs) and the example notebook. Idempotent (pip skips what is installed);
# respects an existing CARGO_TARGET_DIR. Exits non-zero on any failure, naming the step.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
venv="${HTX_VENV:-$root/.venv}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  echo "== creating $venv"
  "$python" -m venv "$venv"
fi
py="$venv/bin/python"

step() { echo "== $1"; current="$1"; }
trap 'status=$?; [ "$status" -ne 0 ] && echo "bindings-python/test.sh: step failed: ${current:-setup} (exit $status)" >&2' EXIT

step "installing test dependencies"
"$py" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
# pyarrow >= 15 for RecordBatchReader.from_stream; polars and duckdb for the Arrow-input tests
"$py" -m pip install --quiet --disable-pip-version-check \
  'maturin>=1.9.4,<2' pytest pandas 'pyarrow>=15' numpy polars duckdb mypy \
  nbclient nbformat ipykernel matplotlib

step "building the wheel (maturin, release, abi3)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/py}"
wheels="$CARGO_TARGET_DIR/wheels-htx"
rm -rf "$wheels"
"$venv/bin/maturin" build --release --quiet -m "$here/Cargo.toml" -i "$py" -o "$wheels"
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/htx_rules-*.whl

step "stubs (mypy.stubtest) and a typed usage file (mypy)"
"$py" -m mypy.stubtest htx_rules --mypy-config-file "$here/mypy.ini" --allowlist "$here/tests/stubtest-allowlist.txt"
"$py" -m mypy --config-file "$here/mypy.ini" --strict "$here/tests/typed_usage.py"

step "example notebook (nbclient)"
"$py" "$here/tests/run_notebook.py" "$root/examples/notebooks/progress.ipynb"

step "pytest"
cd "$here"
set +e
"$py" -m pytest -q -p no:cacheprovider "$here/tests"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests" >&2
fi
exit "$status"
