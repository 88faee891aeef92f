#!/usr/bin/env python3
"""Writes big synthetic cooperative inputs for the memory and speed figures of `htx-rules eval`
(the files are large and never committed).

    python3 scripts/gen-big-input.py jsonl 1000000 /tmp/coops.jsonl    # 1,000,000 JSON Lines records
    python3 scripts/gen-big-input.py array 2G /tmp/coops.json          # a JSON array of about 2 GB
    python3 scripts/gen-big-input.py csv 1000000 /tmp/coops.csv        # CSV, dotted headers

A count may be a number of records or a size (`500M`, `2G`: records are written until the file
reaches it). Records are varied (kinds, dates, counts, managers) but deterministic (seeded), and
every record is valid, so every one is evaluated. Then, for example:

    /usr/bin/time -v target/release/htx-rules eval --entity cooperative --as-of 2025-06-30 \\
        /tmp/coops.jsonl > /dev/null        # "Maximum resident set size" is the peak memory
"""

import json
import random
import sys

ROLES = ["board_chair", "board_member", "director", "supervisor", "group_leader", "accountant", "other"]
SECTORS = ["agriculture", "handicraft", "weaving", "garment", "processing", "ocop", "aquaculture", "other"]


def record(i, rng):
    kind = rng.choice(["htx", "htx", "tht", "union"])
    total = rng.randint(3, 120)
    female = rng.randint(0, total)
    managers = [
        {"role": rng.choice(ROLES), "gender": rng.choice(["female", "male"]), "trained": rng.random() < 0.5}
        for _ in range(rng.randint(0, 4))
    ]
    return {
        "id": f"BT-{i:08d}",
        "name": f"HTX số {i} Bến Tre",
        "kind": kind,
        "established_on": f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "members": {"total": rng.randint(2, 60), "female": rng.randint(0, 2)},
        "workers": {"total": total, "female": female},
        "managers": managers,
        "sectors": rng.sample(SECTORS, rng.randint(0, 2)),
        "value_chain": rng.random() < 0.3,
        "traditional_craft": rng.random() < 0.2,
        "craft_village": rng.random() < 0.2,
        "planned_production_zone": rng.random() < 0.4,
    }


def size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if text[-1].upper() in units:
        return None, int(float(text[:-1]) * units[text[-1].upper()])
    return int(text), None


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("jsonl", "array", "csv"):
        sys.exit(__doc__)
    kind, (count, limit), path = sys.argv[1], size(sys.argv[2]), sys.argv[3]
    rng = random.Random(2747)
    written = 0
    i = 0
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
        if kind == "array":
            out.write("[\n")
        elif kind == "csv":
            head = "id,name,kind,established_on,members.total,members.female,workers.total,workers.female,managers,sectors,value_chain\n"
            out.write(head)
            written += len(head)
        while (count is None or i < count) and (limit is None or written < limit):
            i += 1
            r = record(i, rng)
            if kind == "csv":
                cells = [
                    r["id"], r["name"], r["kind"], r["established_on"],
                    str(r["members"]["total"]), str(r["members"]["female"]),
                    str(r["workers"]["total"]), str(r["workers"]["female"]),
                    '"' + json.dumps(r["managers"]).replace('"', '""') + '"',
                    '"' + json.dumps(r["sectors"]).replace('"', '""') + '"',
                    "true" if r["value_chain"] else "false",
                ]
                line = ",".join(cells) + "\n"
            else:
                line = json.dumps(r, ensure_ascii=False)
                if kind == "array":
                    line = ("  " if i == 1 else ",\n  ") + line
                else:
                    line += "\n"
            out.write(line)
            written += len(line.encode("utf-8")) if not line.isascii() else len(line)
        if kind == "array":
            out.write("\n]\n")
    print(f"{path}: {i} records, {written / (1 << 20):.0f} MiB", file=sys.stderr)


if __name__ == "__main__":
    main()
