"""Executes a notebook with nbclient (Agg backend) and fails on any cell error."""

from __future__ import annotations

import os
import sys

import nbformat
from nbclient import NotebookClient


def main(path: str) -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": os.path.dirname(path)}}
    )
    client.execute()
    print(f"notebook ok: {path} ({len(nb.cells)} cells)")


if __name__ == "__main__":
    main(sys.argv[1])
