#!/usr/bin/env python3
"""Writes a rule pack whose N rules form a chain (r0 refers to r1 ... r(N-1)): the worst case
for the checker's dependency order, used by scripts/bench-check.sh and the hostile-input tests.

usage: gen-chain-pack.py N OUT_DIR   (the pack's id is the folder's name)
"""
import os
import sys


def main() -> None:
    n, out = int(sys.argv[1]), sys.argv[2]
    pid = os.path.basename(os.path.normpath(out))
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "pack.toml"), "w", encoding="utf-8") as f:
        f.write(f'[pack]\nid = "{pid}"\nversion = "1"\ndocument = "chain"\n\n')
        f.write('[[entity]]\nname = "e"\nfields = [{ name = "ok", type = "bool" }]\n')
    with open(os.path.join(out, "rules.toml"), "w", encoding="utf-8") as f:
        for i in range(n):
            when = f"rule.r{i + 1} or ok" if i + 1 < n else "ok"
            f.write(
                f'[[rule]]\nname = "r{i}"\nentity = "e"\nkind = "decision"\n'
                f'when = "{when}"\ncite = {{ document = "chain", section = "1" }}\n\n'
            )


if __name__ == "__main__":
    main()
