#!/usr/bin/env bash
# Builds the Python binding, installs it in /work/main/.venv (created when missing) and runs
# pytest (conformance corpus, DataFrame/Arrow round trips, errors, stubs) and the example notebook.
# Idempotent; respects an existing CARGO_TARGET_DIR. Exits non-zero on any failure.
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

echo "== installing test dependencies"
"$py" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
"$py" -m pip install --quiet --disable-pip-version-check \
  'maturin>=1.9.4,<2' pytest pandas pyarrow numpy mypy nbclient nbformat ipykernel matplotlib

echo "== building the wheel (maturin, release, abi3)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/py}"
wheels="$CARGO_TARGET_DIR/wheels-htx"
rm -rf "$wheels"
"$venv/bin/maturin" build --release --quiet -m "$here/Cargo.toml" -i "$py" -o "$wheels"
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/htx_rules-*.whl

echo "== stubs (mypy.stubtest) and a typed usage file (mypy)"
"$py" -m mypy.stubtest htx_rules --mypy-config-file "$here/mypy.ini" --allowlist "$here/tests/stubtest-allowlist.txt"
"$py" -m mypy --config-file "$here/mypy.ini" --strict "$here/tests/typed_usage.py"

echo "== example notebook (nbclient)"
"$py" "$here/tests/run_notebook.py" "$root/examples/notebooks/progress.ipynb"

echo "== pytest"
cd "$here"
set +e
"$py" -m pytest -q -p no:cacheprovider "$here/tests"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests" >&2
fi
exit "$status"
