#!/usr/bin/env python3
"""Writes cli/data/sample-registry.json: a SYNTHETIC registry (invented data) for `htx-rules report`.

Deterministic (seeded). The spread is plausible for a province (a few hundred HTX and THT, most
founded before the programme, a minority women-managed) but no record describes a real body.
"""
import json, random, datetime, pathlib

rng = random.Random(2747)
SECTORS = ["agriculture", "livestock", "crops", "aquaculture", "handicraft", "weaving", "garment",
           "processing", "trade_services", "community_tourism", "ocop", "other"]
PLACES = ["Bình Thành", "Mỏ Cày", "Chợ Lách", "Ba Tri", "Giồng Trôm", "Thạnh Phú", "Châu Thành", "Bình Đại"]
TRADES = {"handicraft": "Thủ công mỹ nghệ", "weaving": "Đan đát", "garment": "May mặc", "crops": "Trồng dừa",
          "livestock": "Chăn nuôi", "aquaculture": "Nuôi tôm", "processing": "Chế biến dừa", "ocop": "Kẹo dừa",
          "community_tourism": "Du lịch cộng đồng", "agriculture": "Nông nghiệp", "trade_services": "Dịch vụ", "other": "Tổng hợp"}

def day(a, b):
    a, b = datetime.date.fromisoformat(a), datetime.date.fromisoformat(b)
    return (a + datetime.timedelta(days=rng.randrange((b - a).days + 1))).isoformat()

coops = []
for i in range(320):
    kind = rng.choices(["htx", "tht", "union"], [55, 43, 2])[0]
    new = rng.random() < 0.35
    est = day("2023-01-05", "2026-10-31") if new else day("2008-01-01", "2022-12-31")
    sector = rng.choice(SECTORS)
    women_led = rng.random() < (0.6 if new else 0.35)
    female_share = rng.uniform(0.55, 0.95) if women_led else rng.uniform(0.2, 0.75)
    wt = rng.randint(2, 12) if kind == "tht" else rng.randint(5, 80)
    wf = min(wt, round(wt * female_share))
    mt = rng.randint(2, 9) if kind == "tht" else (rng.randint(3, 8) if kind == "union" else rng.randint(5, 40))
    mf = min(mt, round(mt * female_share))
    managers = []
    if kind == "tht":
        managers.append({"role": "group_leader", "gender": "female" if women_led else "male", "trained": rng.random() < 0.8})
    else:
        managers.append({"role": "board_chair", "gender": "female" if women_led and rng.random() < 0.7 else "male", "trained": rng.random() < 0.85})
        managers.append({"role": "director", "gender": "female" if women_led and rng.random() < 0.5 else "male", "trained": rng.random() < 0.85})
        managers.append({"role": "supervisory_board_member", "gender": rng.choice(["female", "male"]), "trained": rng.random() < 0.7})
        if women_led and not any(m["gender"] == "female" for m in managers):
            managers[0]["gender"] = "female"
        managers.append({"role": "accountant", "gender": rng.choice(["female", "female", "male"])})
    rec = {
        "id": f"BT-{kind.upper()}-{i + 1:04d}",
        "name": f"{'HTX' if kind == 'htx' else 'THT' if kind == 'tht' else 'Liên hiệp HTX'} {TRADES[sector]} {rng.choice(PLACES)} (mẫu)",
        "kind": kind,
        "established_on": est,
        "members": {"total": mt, "female": mf},
        "workers": {"total": wt, "female": wf},
        "managers": managers,
        "sectors": sorted({sector, rng.choice(SECTORS)}) if rng.random() < 0.3 else [sector],
        "value_chain": rng.random() < 0.3,
        "processing_technology": rng.random() < 0.15,
        "traditional_craft": sector in ("handicraft", "weaving") or rng.random() < 0.05,
        "cultural_restoration": rng.random() < 0.03,
        "local_natural_resources": rng.random() < 0.1,
        "digital_transformation": rng.random() < 0.2,
        "planned_production_zone": rng.random() < 0.4,
        "craft_village": sector in ("handicraft", "weaving") and rng.random() < 0.6,
    }
    if rng.random() < 0.04:          # some registries are incomplete: decisions become unknown
        del rec["workers"]
    prog = {}
    if women_led and not new and rng.random() < 0.45:
        prog["consolidation_supported_on"] = day("2023-03-01", "2026-10-31")
    if new and women_led and rng.random() < 0.5:
        prog["founding_supported"] = True
    if prog or (women_led and rng.random() < 0.5):
        prog["stable_female_jobs"] = round(wf * rng.uniform(0.4, 1.0))
        prog["vocational_trained_female"] = round(wf * rng.uniform(0.2, 0.8))
        prog["restructuring_guided"] = rng.random() < 0.85
    if prog:
        rec["programme"] = prog
    coops.append(rec)

# III.4: certificates for the women managers (II.2 positions) of the HTX the Union helped found.
# Drawn from a generator of its own, so every other figure of the sample stays as it was.
LEADERSHIP = {"board_chair", "board_member", "general_director", "director", "supervisory_board_member", "supervisor"}
cert_rng = random.Random(34)
for c in coops:
    prog = c.get("programme", {})
    if c["kind"] == "htx" and prog.get("founding_supported"):
        women = sum(1 for m in c["managers"] if m["gender"] == "female" and m["role"] in LEADERSHIP)
        prog["certified_women_managers"] = sum(1 for _ in range(women) if cert_rng.random() < 0.75)

officials = [{"id": f"HLHPN-{i + 1:03d}", "supports_cooperatives": rng.random() < 0.6,
              "trained": rng.random() < 0.92, "skills_upgraded": rng.random() < 0.83} for i in range(140)]

persons = []
for i in range(400):
    female = rng.random() < 0.93
    p = {"id": f"P-{i + 1:04d}", "gender": "female" if female else "male",
         "union_member": female and rng.random() < 0.8, "union_official": rng.random() < 0.05,
         "cooperative_role": rng.choice(["member", "worker", "manager", "none", "none"]),
         "wants_to_join": rng.random() < 0.3,
         "disadvantaged_area": rng.random() < 0.15, "disability": rng.random() < 0.03, "reintegrated": rng.random() < 0.01,
         "trafficking_victim": rng.random() < 0.004, "domestic_violence_victim": rng.random() < 0.02,
         "sexual_abuse_victim": rng.random() < 0.005, "unsafe_migrant": rng.random() < 0.02,
         "laid_off_industrial_worker": rng.random() < 0.06,
         "household": {"area": rng.choice(["rural", "rural", "rural", "urban"]),
                       "income_per_person_month_vnd": rng.randrange(900_000, 6_000_000, 50_000),
                       "deprivations": rng.choice([0, 0, 1, 1, 2, 3, 4])}}
    if rng.random() < 0.2:
        p["poor_household"] = rng.random() < 0.3
    persons.append(p)

reg = {"province": "Bến Tre (dữ liệu mẫu / sample)", "synthetic": True,
       "note": "Dữ liệu hư cấu để minh họa, không phải số liệu thật. Invented data for demonstration; not real figures.",
       "cooperatives": coops, "union_officials": officials, "persons": persons}
out = pathlib.Path(__file__).resolve().parent.parent / "cli" / "data" / "sample-registry.json"
out.write_text(json.dumps(reg, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"wrote {out} ({len(coops)} cooperatives, {len(officials)} officials, {len(persons)} persons)")
