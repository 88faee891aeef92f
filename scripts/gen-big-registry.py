#!/usr/bin/env python3
"""Writes a BIG synthetic registry folder for the report benchmark (not committed):

    python3 scripts/gen-big-registry.py target/big-registry [persons] [cooperatives]

One JSON Lines file per collection of the Bến Tre pack (default 1,000,000 persons, 100,000
cooperatives, 2,000 union officials) and registry.json. Invented data, seeded, written fast
(templates, not json.dumps per row).
"""
import json, pathlib, random, sys

out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/big-registry")
n_persons = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
n_coops = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
out.mkdir(parents=True, exist_ok=True)
rng = random.Random(11)
ROLES = ["board_chair", "director", "supervisory_board_member", "accountant"]

with open(out / "cooperatives.jsonl", "w", encoding="utf-8") as f:
    for i in range(n_coops):
        kind = "tht" if rng.random() < 0.4 else "htx"
        y = rng.randint(2008, 2026)
        est = f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        wt = rng.randint(3, 60)
        wf = rng.randint(0, wt)
        if kind == "tht":
            managers = [{"role": "group_leader", "gender": rng.choice(["female", "male"]), "trained": rng.random() < 0.8}]
        else:
            managers = [{"role": r, "gender": rng.choice(["female", "male"]), "trained": rng.random() < 0.8} for r in ROLES]
        prog = ""
        if rng.random() < 0.3:
            prog = (f', "programme": {{"consolidation_supported_on": "{rng.randint(2023, 2026)}-{rng.randint(1, 12):02d}-15", '
                    f'"founding_supported": {str(y >= 2023 and rng.random() < 0.5).lower()}, "stable_female_jobs": {wf // 2}, '
                    f'"vocational_trained_female": {wf // 3}, "restructuring_guided": {str(rng.random() < 0.8).lower()}, '
                    f'"certified_women_managers": 0}}')
        f.write(f'{{"id": "C{i:07d}", "kind": "{kind}", "established_on": "{est}", '
                f'"members": {{"total": {rng.randint(2, 40)}, "female": {rng.randint(0, 2)}}}, '
                f'"workers": {{"total": {wt}, "female": {wf}}}, "managers": {json.dumps(managers)}, '
                f'"sectors": ["{rng.choice(["crops", "livestock", "handicraft", "trade_services"])}"], '
                f'"value_chain": {str(rng.random() < 0.3).lower()}{prog}}}\n')

with open(out / "persons.jsonl", "w", encoding="utf-8") as f:
    b = lambda p: "true" if rng.random() < p else "false"
    for i in range(n_persons):
        g = "female" if rng.random() < 0.9 else "male"
        f.write(f'{{"id": "P{i:08d}", "gender": "{g}", "union_official": {b(0.02)}, '
                f'"cooperative_role": "{rng.choice(["member", "worker", "manager", "none"])}", "wants_to_join": {b(0.3)}, '
                f'"disadvantaged_area": {b(0.15)}, "disability": {b(0.03)}, "reintegrated": {b(0.01)}, '
                f'"trafficking_victim": {b(0.004)}, "domestic_violence_victim": {b(0.02)}, "sexual_abuse_victim": {b(0.005)}, '
                f'"unsafe_migrant": {b(0.02)}, "laid_off_industrial_worker": {b(0.06)}, '
                f'"household": {{"area": "{rng.choice(["rural", "urban"])}", "income_per_person_month_vnd": {rng.randrange(900_000, 6_000_000, 50_000)}, '
                f'"deprivations": {rng.randint(0, 4)}}}}}\n')

with open(out / "union_officials.jsonl", "w", encoding="utf-8") as f:
    for i in range(2000):
        f.write(json.dumps({"id": f"U{i:05d}", "supports_cooperatives": rng.random() < 0.6,
                            "trained": rng.random() < 0.9, "skills_upgraded": rng.random() < 0.8}) + "\n")

(out / "registry.json").write_text(json.dumps({"province": "(benchmark, invented)", "synthetic": True}), encoding="utf-8")
print(f"wrote {out}: {n_persons} persons, {n_coops} cooperatives")
