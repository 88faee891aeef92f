// Generated from the rule pack `ben-tre-2747` 2026.11.0 by `bindings-wasm/tests/entity_types.rs`: do not edit.
// After changing the pack, run `UPDATE_TYPES=1 cargo test -p htx-rules-wasm --test entity_types`.

/** An entity of the embedded pack; a custom pack may define others. */
export type EntityName = "calendar" | "progress" | "cooperative" | "person" | (string & {});

/** The facts of each entity of the embedded pack. */
export interface EntityFacts {
  "calendar": Calendar;
  "progress": Progress;
  "cooperative": Cooperative;
  "person": Person;
}

/** The output names of each entity of the embedded pack. */
export interface EntityDecisions {
  "calendar": CalendarDecisionName;
  "progress": ProgressDecisionName;
  "cooperative": CooperativeDecisionName;
  "person": PersonDecisionName;
}

/**
 * What evaluating a `calendar` outputs, in pack order:
 * - `next_report` (value, 2747/KH-UBND V, đoạn kết (sau V.11)): Báo cáo đến hạn tiếp theo — Next report due
 * - `next_report_due_before` (value, 2747/KH-UBND V, đoạn kết (sau V.11)): Hạn nộp báo cáo tiếp theo (trước ngày) — Next report due before
 */
export type CalendarDecisionName = "next_report" | "next_report_due_before";

/**
 * What evaluating a `progress` outputs, in pack order:
 * - `htx_consolidated` (decision, 2747/KH-UBND II.1.b): HTX củng cố — HTX consolidated
 * - `tht_consolidated` (decision, 2747/KH-UBND II.1.b): THT củng cố — THT consolidated
 * - `htx_stable_jobs_share` (decision, 2747/KH-UBND II.1.b): Tỷ lệ thành viên, lao động nữ HTX có việc làm ổn định — Share of female HTX members and workers with stable jobs
 * - `tht_stable_jobs_share` (decision, 2747/KH-UBND II.1.b): Tỷ lệ lao động nữ THT có việc làm ổn định — Share of female THT workers with stable jobs
 * - `htx_new` (decision, 2747/KH-UBND II.1.b): HTX thành lập mới — New HTX
 * - `tht_new` (decision, 2747/KH-UBND II.1.b): THT thành lập mới — New THT
 * - `women_leaders_trained_share` (decision, 2747/KH-UBND II.1.b): Tỷ lệ nữ lãnh đạo, quản lý HTX được đào tạo — Share of women HTX leaders trained
 * - `union_officials_trained_share` (decision, 2747/KH-UBND II.1.b): Tỷ lệ cán bộ Hội được tập huấn — Share of union officials trained
 * - `union_officials_skilled_share` (decision, 2747/KH-UBND II.1.b): Tỷ lệ cán bộ Hội được nâng cao kỹ năng — Share of union officials with upgraded skills
 * - `members_vocational_training_share` (decision, 2747/KH-UBND III.4): Tỷ lệ thành viên, lao động nữ được đào tạo nghề — Share of female members and workers given vocational training
 * - `htx_restructuring_guided_share` (decision, 2747/KH-UBND III.3): Tỷ lệ HTX được hướng dẫn sắp xếp, củng cố — Share of HTX guided through restructuring
 * - `htx_new_total_2023_2030` (decision, 2747/KH-UBND II.1.b): HTX thành lập mới 2023–2030 (toàn tỉnh) — New HTX 2023–2030 (whole province)
 * - `tht_new_total_2023_2030` (decision, 2747/KH-UBND II.1.b): THT thành lập mới 2023–2030 (toàn tỉnh) — New THT 2023–2030 (whole province)
 * - `new_with_women_leadership_share` (decision, 2747/KH-UBND II.1.b): Tỷ lệ HTX, THT mới có phụ nữ tham gia lãnh đạo — Share of new cooperatives with women in leadership
 */
export type ProgressDecisionName = "htx_consolidated" | "tht_consolidated" | "htx_stable_jobs_share" | "tht_stable_jobs_share" | "htx_new" | "tht_new" | "women_leaders_trained_share" | "union_officials_trained_share" | "union_officials_skilled_share" | "members_vocational_training_share" | "htx_restructuring_guided_share" | "htx_new_total_2023_2030" | "tht_new_total_2023_2030" | "new_with_women_leadership_share";

/**
 * What evaluating a `cooperative` outputs, in pack order:
 * - `women_managed` (decision, 2747/KH-UBND II.2): HTX do phụ nữ tham gia quản lý — Women-managed cooperative
 * - `female_labour_share` (value, 2747/KH-UBND II.1.b): Tỷ lệ lao động nữ — Female labour share
 * - `many_female_jobs` (decision, 2747/KH-UBND II.1.b): Tạo nhiều việc làm cho lao động nữ — Creates many jobs for women
 * - `counts_as_new` (decision, 2747/KH-UBND II.1.b): Được tính là thành lập mới theo chỉ tiêu — Counts as newly founded towards the targets
 * - `priority_cooperative` (decision, 2747/KH-UBND II.2): HTX thuộc diện ưu tiên — Priority cooperative
 * - `priority_cooperative_i2` (decision, 2747/KH-UBND I.2): HTX được ưu tiên theo I.2 (khoa học công nghệ, đổi mới sáng tạo, chuyển đổi số, sản phẩm OCOP) — Cooperative favoured under I.2 (science and technology, innovation, digital transformation, OCOP products)
 * - `priority_sector` (decision, 2747/KH-UBND III.2): Ngành nghề được chú trọng — Favoured sector
 * - `priority_locality` (decision, 2747/KH-UBND I.2; III.3): Địa phương được ưu tiên — Priority locality
 * - `meets_membership_minimum` (decision, Luật HTX 23/2012/QH13 Điều 3 khoản 1, 2; Luật HTX 17/2023/QH15 Điều 4 khoản 7, 21; NĐ 77/2019/NĐ-CP Điều 3 Điều 3 / Điều 4): Đủ số thành viên tối thiểu — Meets the membership minimum
 */
export type CooperativeDecisionName = "women_managed" | "female_labour_share" | "many_female_jobs" | "counts_as_new" | "priority_cooperative" | "priority_cooperative_i2" | "priority_sector" | "priority_locality" | "meets_membership_minimum";

/**
 * What evaluating a `person` outputs, in pack order:
 * - `priority_woman` (decision, 2747/KH-UBND II.2): Phụ nữ thuộc đối tượng ưu tiên — Woman in a priority group
 * - `target_group` (decision, 2747/KH-UBND II.2): Thuộc đối tượng của Kế hoạch — In the plan's target group
 * - `poor_household` (decision, NĐ 07/2021/NĐ-CP; NĐ 351/2025/NĐ-CP Điều 3): Hộ nghèo — Poor household
 * - `near_poor_household` (decision, NĐ 07/2021/NĐ-CP; NĐ 351/2025/NĐ-CP Điều 3): Hộ cận nghèo — Near-poor household
 */
export type PersonDecisionName = "priority_woman" | "target_group" | "poor_household" | "near_poor_household";

/** A decision (or value) name of the embedded pack, of any entity. */
export type DecisionName = CalendarDecisionName | ProgressDecisionName | CooperativeDecisionName | PersonDecisionName;

/** Facts of entity `calendar`. Any field may be absent; null means unknown. */
export interface Calendar extends JsonObject {
  /** Ngày — Date. `date` */
  on?: string | null;
}

/** Facts of entity `progress`. Any field may be absent; null means unknown. */
export interface Progress extends JsonObject {
  /** Giai đoạn — Phase. `integer`, at least 1, at most 2 */
  phase?: number | null;
  /** HTX củng cố — HTX consolidated. `integer`, at least 0 */
  htx_consolidated?: number | null;
  /** THT củng cố — THT consolidated. `integer`, at least 0 */
  tht_consolidated?: number | null;
  /** Tỷ lệ thành viên, lao động nữ HTX có việc làm ổn định — Share of female HTX members and workers with stable jobs. `share`, at least 0, at most 1 */
  htx_stable_jobs_share?: number | string | null;
  /** Tỷ lệ lao động nữ THT có việc làm ổn định — Share of female THT workers with stable jobs. `share`, at least 0, at most 1 */
  tht_stable_jobs_share?: number | string | null;
  /** HTX thành lập mới — New HTX. `integer`, at least 0 */
  htx_new?: number | null;
  /** THT thành lập mới — New THT. `integer`, at least 0 */
  tht_new?: number | null;
  /** Tỷ lệ nữ lãnh đạo, quản lý HTX được đào tạo — Share of women HTX leaders trained. `share`, at least 0, at most 1 */
  women_leaders_trained_share?: number | string | null;
  /** Tỷ lệ cán bộ Hội được tập huấn — Share of union officials trained. `share`, at least 0, at most 1 */
  union_officials_trained_share?: number | string | null;
  /** Tỷ lệ cán bộ Hội được nâng cao kỹ năng — Share of union officials with upgraded skills. `share`, at least 0, at most 1 */
  union_officials_skilled_share?: number | string | null;
  /** Tỷ lệ thành viên, lao động nữ được đào tạo nghề — Share of female members and workers given vocational training. `share`, at least 0, at most 1 */
  members_vocational_training_share?: number | string | null;
  /** Tỷ lệ HTX được hướng dẫn sắp xếp, củng cố — Share of HTX guided through restructuring. `share`, at least 0, at most 1 */
  htx_restructuring_guided_share?: number | string | null;
  /** HTX thành lập mới 2023–2030 (toàn tỉnh) — New HTX 2023–2030 (whole province). `integer`, at least 0 */
  htx_new_total_2023_2030?: number | null;
  /** THT thành lập mới 2023–2030 (toàn tỉnh) — New THT 2023–2030 (whole province). `integer`, at least 0 */
  tht_new_total_2023_2030?: number | null;
  /** Tỷ lệ HTX, THT mới có phụ nữ tham gia lãnh đạo — Share of new cooperatives with women in leadership. `share`, at least 0, at most 1 */
  new_with_women_leadership_share?: number | string | null;
  /** Tỷ lệ HTX, THT mới có phụ nữ giữ chức danh quản lý — Share of new cooperatives with a woman manager. `share`, at least 0, at most 1 */
  new_women_managed_share?: number | string | null;
  /** Tỷ lệ nữ trong lãnh đạo, quản lý của HTX, THT mới — Share of women among leaders of new cooperatives. `share`, at least 0, at most 1 */
  new_women_leaders_share?: number | string | null;
}

/** Facts of entity `cooperative`. Any field may be absent; null means unknown. */
export interface Cooperative extends JsonObject {
  /** Mã — ID. `string` */
  id?: string | null;
  /** Tên — Name. `string` */
  name?: string | null;
  /** Loại hình — Kind. `coop_kind`, required by validation */
  kind?: CoopKind | null;
  /** Ngày thành lập — Founding date. `date` */
  established_on?: string | null;
  /** Thành viên — Members. `headcount` */
  members?: Headcount | null;
  /** Người lao động — Workers. `headcount` */
  workers?: Headcount | null;
  /** Người quản lý — Managers. `list<manager>` */
  managers?: Manager[] | null;
  /** Ngành nghề — Sectors. `list<sector>` */
  sectors?: Sector[] | null;
  /** Sản xuất theo chuỗi giá trị — Value chain. `bool` */
  value_chain?: boolean | null;
  /** Ứng dụng công nghệ chế biến — Processing technology. `bool` */
  processing_technology?: boolean | null;
  /** Phát huy ngành nghề truyền thống — Traditional craft. `bool` */
  traditional_craft?: boolean | null;
  /** Khôi phục văn hóa — Cultural restoration. `bool` */
  cultural_restoration?: boolean | null;
  /** Khai thác tài nguyên thiên nhiên địa phương — Local natural resources. `bool` */
  local_natural_resources?: boolean | null;
  /** Ứng dụng khoa học công nghệ — Applies science and technology. `bool` */
  science_technology?: boolean | null;
  /** Đổi mới sáng tạo — Innovation. `bool` */
  innovation?: boolean | null;
  /** Chuyển đổi số — Digital transformation. `bool` */
  digital_transformation?: boolean | null;
  /** Ở địa phương có quy hoạch vùng sản xuất hàng hóa — In a locality with a planned commodity production zone. `bool` */
  planned_production_zone?: boolean | null;
  /** Ở địa phương có làng nghề — In a locality with a craft village. `bool` */
  craft_village?: boolean | null;
}

/** Facts of entity `person`. Any field may be absent; null means unknown. */
export interface Person extends JsonObject {
  /** Mã — ID. `string` */
  id?: string | null;
  /** Giới tính — Gender. `gender`, required by validation */
  gender?: Gender | null;
  /** Hội viên Hội LHPN — Women's Union member. `bool` */
  union_member?: boolean | null;
  /** Cán bộ Hội LHPN — Women's Union official. `bool` */
  union_official?: boolean | null;
  /** Vai trò trong HTX/THT — Role in a cooperative. `coop_role` */
  cooperative_role?: CoopRole | null;
  /** Có nhu cầu tham gia HTX — Wants to join a cooperative. `bool` */
  wants_to_join?: boolean | null;
  /** Ở vùng khó khăn — Lives in a disadvantaged area. `bool` */
  disadvantaged_area?: boolean | null;
  /** Hộ nghèo (được xác nhận) — Poor household (certified). `bool` */
  poor_household?: boolean | null;
  /** Hộ cận nghèo (được xác nhận) — Near-poor household (certified). `bool` */
  near_poor_household?: boolean | null;
  /** Khuyết tật — Disability. `bool` */
  disability?: boolean | null;
  /** Hoàn lương — Reintegrated after prison. `bool` */
  reintegrated?: boolean | null;
  /** Nạn nhân bị mua bán — Trafficking victim. `bool` */
  trafficking_victim?: boolean | null;
  /** Bị bạo lực gia đình — Domestic violence victim. `bool` */
  domestic_violence_victim?: boolean | null;
  /** Bị xâm hại tình dục — Sexual abuse victim. `bool` */
  sexual_abuse_victim?: boolean | null;
  /** Di cư lao động không an toàn — Unsafe labour migrant. `bool` */
  unsafe_migrant?: boolean | null;
  /** Công nhân mất việc làm trong khu công nghiệp — Laid-off industrial-zone worker. `bool` */
  laid_off_industrial_worker?: boolean | null;
  /** Hộ gia đình — Household. `household` */
  household?: Household | null;
}

/**
 * Enum `area` of the pack:
 * - `rural`: Nông thôn — Rural
 * - `urban`: Thành thị — Urban
 */
export type Area = "rural" | "urban";

/**
 * Enum `coop_kind` of the pack:
 * - `htx`: Hợp tác xã — Cooperative
 * - `tht`: Tổ hợp tác — Cooperative group
 * - `union`: Liên hiệp hợp tác xã — Union of cooperatives
 */
export type CoopKind = "htx" | "tht" | "union";

/**
 * Enum `coop_role` of the pack:
 * - `manager`: Quản lý — Manager
 * - `member`: Thành viên — Member
 * - `worker`: Người lao động — Worker
 * - `none`: Không — None
 */
export type CoopRole = "manager" | "member" | "worker" | "none";

/**
 * Enum `gender` of the pack:
 * - `female`: Nữ — Female
 * - `male`: Nam — Male
 */
export type Gender = "female" | "male";

/** Record `headcount` of the pack. Any field may be absent; null means unknown. */
export interface Headcount extends JsonObject {
  /** Tổng số — Total. `integer`, at least 0 */
  total?: number | null;
  /** Số nữ — Women. `integer`, at least 0 */
  female?: number | null;
}

/** Record `household` of the pack. Any field may be absent; null means unknown. */
export interface Household extends JsonObject {
  /** Khu vực — Area. `area` */
  area?: Area | null;
  /** Thu nhập bình quân đầu người mỗi tháng — Income per person per month. `money`, at least 0 */
  income_per_person_month_vnd?: number | string | null;
  /** Số chỉ số thiếu hụt dịch vụ xã hội cơ bản — Deprivations of basic social services. `integer`, at least 0, at most 12 */
  deprivations?: number | null;
}

/** Record `manager` of the pack. Any field may be absent; null means unknown. */
export interface Manager extends JsonObject {
  /** Chức danh — Role. `manager_role`, required by validation */
  role?: ManagerRole | null;
  /** Giới tính — Gender. `gender`, required by validation */
  gender?: Gender | null;
  /** Đã được đào tạo, bồi dưỡng — Trained. `bool` */
  trained?: boolean | null;
  /** Họ tên — Name. `string` */
  name?: string | null;
}

/**
 * Enum `manager_role` of the pack:
 * - `board_chair`: Chủ tịch HĐQT — Board chair
 * - `board_member`: Thành viên HĐQT — Board member
 * - `general_director`: Tổng giám đốc — General director
 * - `director`: Giám đốc — Director
 * - `supervisory_board_member`: Thành viên Ban kiểm soát — Supervisory board member
 * - `supervisor`: Kiểm soát viên — Supervisor
 * - `group_leader`: Tổ trưởng THT — Group leader
 * - `deputy_director`: Phó giám đốc — Deputy director
 * - `chief_accountant`: Kế toán trưởng — Chief accountant
 * - `accountant`: Kế toán — Accountant
 * - `other`: Khác — Other
 */
export type ManagerRole = "board_chair" | "board_member" | "general_director" | "director" | "supervisory_board_member" | "supervisor" | "group_leader" | "deputy_director" | "chief_accountant" | "accountant" | "other";

/**
 * Enum `sector` of the pack:
 * - `agriculture`: Nông nghiệp — Agriculture
 * - `livestock`: Chăn nuôi — Livestock
 * - `crops`: Trồng trọt — Crops
 * - `aquaculture`: Thủy sản — Aquaculture
 * - `handicraft`: Thủ công mỹ nghệ — Handicraft
 * - `weaving`: Đan đát — Weaving
 * - `garment`: May mặc — Garment
 * - `processing`: Chế biến — Processing
 * - `trade_services`: Thương mại, dịch vụ — Trade and services
 * - `community_tourism`: Du lịch cộng đồng — Community tourism
 * - `ocop`: Sản phẩm OCOP — OCOP products
 * - `other`: Khác — Other
 */
export type Sector = "agriculture" | "livestock" | "crops" | "aquaculture" | "handicraft" | "weaving" | "garment" | "processing" | "trade_services" | "community_tourism" | "ocop" | "other";
