#!/usr/bin/env python3
"""Writes N synthetic cooperatives (invented data) as JSON Lines on standard output, for the
command line's bench (scripts/bench-cli.sh). Deterministic: the same N gives the same file.

    python3 scripts/gen-coops.py 1000000 > /tmp/coops.jsonl
"""
import json
import random
import sys

ROLES = ["board_chair", "board_member", "director", "general_director", "supervisor",
         "supervisory_board_member", "deputy_director", "chief_accountant", "other"]
SECTORS = ["agriculture", "livestock", "crops", "aquaculture", "handicraft", "weaving",
           "garment", "processing", "trade_services", "community_tourism", "ocop", "other"]


def coop(i, rnd):
    kind = rnd.choices(["htx", "tht", "union"], weights=[6, 3, 1])[0]
    total = rnd.randint(1, 120)
    female = rnd.randint(0, total)
    members = rnd.randint(2, 60)
    managers = [
        {"role": "group_leader" if kind == "tht" else rnd.choice(ROLES),
         "gender": rnd.choice(["female", "male"]),
         "trained": rnd.random() < 0.5}
        for _ in range(rnd.randint(1, 4))
    ]
    rec = {
        "id": f"BT-{kind.upper()}-{i:07d}",
        "kind": kind,
        "established_on": f"{rnd.randint(2015, 2025)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
        "members": {"total": members, "female": rnd.randint(0, members)},
        "workers": {"total": total, "female": female},
        "managers": managers,
        "sectors": rnd.sample(SECTORS, rnd.randint(0, 2)),
        "value_chain": rnd.random() < 0.3,
        "processing_technology": rnd.random() < 0.2,
        "traditional_craft": rnd.random() < 0.2,
        "cultural_restoration": False,
        "local_natural_resources": rnd.random() < 0.1,
        "digital_transformation": rnd.random() < 0.1,
    }
    # some facts absent, as in real registries
    if rnd.random() < 0.1:
        del rec["workers"]
    if rnd.random() < 0.1:
        del rec["managers"]
    return rec


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rnd = random.Random(2747)
    out = sys.stdout
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for i in range(n):
        out.write(dumps(coop(i, rnd)))
        out.write("\n")


if __name__ == "__main__":
    main()
