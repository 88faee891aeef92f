#!/usr/bin/env bash
# Builds the Python binding, installs it in <repo>/.venv (created when missing) and runs pytest
# (conformance corpus; pandas, polars, DuckDB and pyarrow inputs; pickling through a process
# pool; errors; stubs) and the example notebook.
# Idempotent; respects an existing CARGO_TARGET_DIR. Exits non-zero on any failure, naming the
# step (scripts/lib.sh); installs what is missing (Debian's python3-venv when venv lacks ensurepip).
#   PYTHON=python3.12 test.sh         # another interpreter (default python3)
#   HTX_VENV=... test.sh              # another virtual environment (default <repo>/.venv)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
HTX_SCRIPT=bindings-python/test.sh
# shellcheck source=../scripts/lib.sh
. "$root/scripts/lib.sh"
venv="${HTX_VENV:-$root/.venv}"
python="${PYTHON:-python3}"

step "Python"
need_tool "$python" "Python 3.9 or newer (Debian: apt-get install python3 python3-venv), or set PYTHON"
need_tool cargo "cargo, to build the extension (install Rust with rustup)"
if [ ! -x "$venv/bin/python" ]; then
  echo "== creating $venv"
  if ! "$python" -m venv "$venv" 2>"$venv.err"; then
    # Debian's python3 ships venv without ensurepip: the python3-venv package adds it.
    cat "$venv.err" >&2
    rm -rf "$venv"
    apt_install python3-venv
    "$python" -m venv "$venv"
  fi
  rm -f "$venv.err"
fi
py="$venv/bin/python"

step "installing test dependencies (pip)"
echo "== installing test dependencies"
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
status=0
"$py" -m pytest -q -p no:cacheprovider "$here/tests" || status=$?
if [ "$status" -eq 5 ]; then
  die "pytest collected no tests"
fi
[ "$status" -eq 0 ] || die "pytest failed (exit $status); see the failures above"
