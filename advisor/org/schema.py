"""The canonical roster: its columns, the header synonyms we recognise (English and Chinese) and value vocabularies."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ROLES = ("sdr", "ae", "am", "se", "manager", "director", "other")
CHANNELS = ("inside", "field", "hybrid")
SEGMENTS = ("smb", "mid_market", "enterprise")
EXIT_REASONS = ("voluntary", "involuntary", "promotion", "transfer")
# Exits with these reasons (or none) leave the company; the others move people inside it.
SEPARATION_REASONS = ("voluntary", "involuntary")
QUOTA_ROLES = ("ae", "am")
REP_ROLES = ("sdr", "ae", "am")


@dataclass(frozen=True)
class Column:
    """One canonical column: what it holds, whether it is required, and the headers that map to it."""

    name: str
    description: str
    required: str  # "yes", "no" or a condition in words
    synonyms: tuple[str, ...]


# fmt: off
COLUMNS: tuple[Column, ...] = (
    Column(
        "rep_id",
        "Unique id of the person. When the file has no id column, ids are generated from the row number.",
        "yes (unique)",
        ("rep id", "id", "employee id", "employee number", "employee no", "emp id", "emp no", "staff id",
         "person id", "worker id", "user id", "工号", "员工编号", "员工号", "编号", "员工id", "人员编号"),
    ),
    Column(
        "name",
        "Display name.",
        "no",
        ("name", "full name", "employee name", "rep name", "姓名", "名字", "员工姓名"),
    ),
    Column(
        "role",
        "Job role; normalised to sdr, ae, am, se, manager, director or other.",
        "yes",
        ("role", "job role", "title", "job title", "position", "job", "sales role", "职位", "岗位", "角色", "职务"),
    ),
    Column(
        "manager_id",
        "rep_id of the person's direct manager (empty for the top of the tree).",
        "no",
        ("manager id", "manager", "reports to", "supervisor", "supervisor id", "line manager",
         "manager employee id", "上级", "上级工号", "直属上级", "直接上级", "汇报对象", "经理工号", "上级编号"),
    ),
    Column(
        "channel",
        "inside, field or hybrid.",
        "no",
        ("channel", "sales channel", "motion", "selling motion", "渠道", "销售渠道", "销售方式"),
    ),
    Column(
        "segment",
        "smb, mid_market or enterprise.",
        "no",
        ("segment", "market segment", "customer segment", "细分市场", "客户细分", "市场细分", "客户分层"),
    ),
    Column(
        "territory",
        "Territory or region name.",
        "no",
        ("territory", "region", "area", "sales territory", "sales region", "区域", "销售区域", "辖区", "地区"),
    ),
    Column(
        "product_line",
        "Product line the person sells.",
        "no",
        ("product line", "product", "product family", "产品线", "产品"),
    ),
    Column(
        "hire_date",
        "Date the person joined.",
        "yes, unless tenure_months or tenure_years is given",
        ("hire date", "start date", "date of hire", "date hired", "joined", "join date", "joining date",
         "date joined", "入职日期", "入职时间", "入职"),
    ),
    Column(
        "exit_date",
        "Date the person left; empty means active.",
        "no",
        ("exit date", "termination date", "term date", "leave date", "end date", "separation date",
         "date of termination", "last day", "leaving date", "离职日期", "离职时间"),
    ),
    Column(
        "exit_reason",
        "voluntary, involuntary, promotion or transfer (promotions and transfers are not separations).",
        "no",
        ("exit reason", "termination reason", "reason for leaving", "separation reason", "termination type",
         "exit type", "离职原因", "离职类型"),
    ),
    Column(
        "quota",
        "Quota for the period, in USD.",
        "no",
        ("quota", "annual quota", "quota usd", "target", "sales target", "配额", "销售指标", "业绩指标", "指标"),
    ),
    Column(
        "bookings",
        "Bookings in the same period as the quota, in USD.",
        "no",
        ("bookings", "bookings usd", "revenue", "sales", "closed won", "actual", "actuals", "业绩", "销售额",
         "实际业绩", "签约额"),
    ),
    Column(
        "pipeline",
        "Open pipeline at the as-of date: the unweighted value of the person's open opportunities, in USD.",
        "no",
        ("pipeline", "open pipeline", "pipeline usd", "pipeline value", "pipeline amount", "open pipeline usd",
         "销售管道", "管道金额", "在途商机", "商机金额", "在途商机金额"),
    ),
    Column(
        "tenure_months",
        "Months of service (instead of hire_date).",
        "no",
        ("tenure months", "months of service", "months at company", "司龄月", "司龄 月"),
    ),
    Column(
        "tenure_years",
        "Years of service (instead of hire_date).",
        "no",
        ("tenure years", "years at company", "years of service", "tenure", "司龄", "司龄 年", "工龄"),
    ),
    Column(
        "attrition",
        "Left/stayed flag of a status export (Yes/No, 1/0, left/active, 是/否, 离职/在职); used only when there is no exit_date column.",
        "no",
        ("attrition", "left", "has left", "terminated", "employment status", "status", "是否离职", "在职状态",
         "离职状态", "状态"),
    ),
    Column(
        "department",
        "Department; only used to filter rows (e.g. --where department=Sales).",
        "no",
        ("department", "dept", "部门"),
    ),
)

COLUMN_NAMES = tuple(column.name for column in COLUMNS)

ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "sdr":
        ("sdr", "bdr", "ldr", "mdr", "sales development representative", "sales development rep",
         "business development representative", "business development rep",
         "lead development representative", "market development representative", "sales development",
         "business development", "销售发展代表", "业务发展代表", "销售开发代表", "商机开发代表", "线索开发代表", "商务拓展代表"),
    "ae":
        ("ae", "account executive", "sales executive", "sales representative", "sales rep", "rep", "closer",
         "sales", "销售代表", "客户执行", "销售专员", "客户代表", "销售顾问", "大客户销售"),
    "am":
        ("am", "account manager", "key account manager", "kam", "customer success manager", "csm", "客户经理",
         "大客户经理", "关键客户经理", "客户成功经理"),
    "se":
        ("se", "sales engineer", "solutions engineer", "solution engineer", "solutions consultant",
         "solution consultant", "presales", "pre sales", "presales engineer", "售前", "售前工程师", "解决方案工程师",
         "售前顾问"),
    "manager":
        ("manager", "sales manager", "first line manager", "frontline manager", "team lead", "team leader",
         "sdr manager", "bdr manager", "ae manager", "regional sales manager", "district manager", "销售经理",
         "经理", "主管", "销售主管", "团队主管", "组长", "团队负责人"),
    "director":
        ("director", "sales director", "vp", "vp sales", "vp of sales", "vice president", "head of sales",
         "cro", "chief revenue officer", "regional director", "总监", "销售总监", "副总裁", "销售副总裁", "销售负责人", "区域总监"),
    "other":
        ("other", "ops", "sales ops", "sales operations", "revops", "revenue operations", "enablement",
         "sales enablement", "admin", "sales support", "coordinator", "其他", "运营", "销售运营", "销售支持", "助理"),
}
CHANNEL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "inside":
        ("inside", "inside sales", "remote", "virtual", "telesales", "tele sales", "phone", "inbound",
         "内部销售", "电话销售", "电销", "线上销售", "远程销售"),
    "field":
        ("field", "field sales", "outside", "outside sales", "in person", "on site", "现场销售", "外勤", "外勤销售",
         "外部销售", "地面销售", "实地销售"),
    "hybrid":
        ("hybrid", "mixed", "both", "混合", "混合销售"),
}
SEGMENT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "smb":
        ("smb", "small business", "small and medium business", "small medium business", "sme", "small",
         "中小企业", "中小客户", "小企业"),
    "mid_market":
        ("mid market", "midmarket", "mm", "mid", "mid size", "medium", "commercial", "中型企业", "中端市场", "中型客户",
         "中型"),
    "enterprise":
        ("enterprise", "ent", "large enterprise", "large", "strategic", "key accounts", "major accounts",
         "global accounts", "大型企业", "大客户", "企业级", "战略客户"),
}
EXIT_REASON_SYNONYMS: dict[str, tuple[str, ...]] = {
    "voluntary":
        ("voluntary", "resigned", "resignation", "quit", "主动离职", "辞职", "主动"),
    "involuntary":
        ("involuntary", "terminated", "termination", "dismissed", "fired", "laid off", "layoff", "rif",
         "被动离职", "辞退", "解雇", "裁员", "被动"),
    "promotion":
        ("promotion", "promoted", "晋升", "升职"),
    "transfer":
        ("transfer", "transferred", "internal transfer", "internal move", "调岗", "转岗", "内部调动", "调动"),
}
LEFT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "left":
        ("yes", "y", "true", "1", "left", "leaver", "terminated", "exited", "inactive", "是", "离职", "已离职"),
    "stayed":
        ("no", "n", "false", "0", "stayed", "active", "current", "employed", "否", "在职"),
}
# fmt: on
VOCABULARIES: dict[str, dict[str, tuple[str, ...]]] = {
    "role": ROLE_SYNONYMS,
    "channel": CHANNEL_SYNONYMS,
    "segment": SEGMENT_SYNONYMS,
    "exit_reason": EXIT_REASON_SYNONYMS,
    "attrition": LEFT_SYNONYMS,
}
DATE_FORMATS_DOC = (
    "YYYY-MM-DD (ISO, optionally with a time), YYYY/M/D, YYYY.M.D, M/D/YYYY (D/M/YYYY with --dayfirst), "
    "YYYY年M月D日, and Excel serial day numbers"
)

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s_\-./()\[\]:：、#]+")


def normalise_label(text: str) -> str:
    """Fold a header or value for matching: NFKC, split camelCase, lower case, punctuation to single spaces."""
    folded = unicodedata.normalize("NFKC", str(text)).replace("\ufeff", "")
    folded = _CAMEL.sub(" ", folded).lower()
    return _SEPARATORS.sub(" ", folded).strip()


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {
        normalise_label(synonym): canonical for canonical, synonyms in table.items() for synonym in synonyms
    } | {normalise_label(canonical): canonical for canonical in table}


def header_lookup() -> dict[str, str]:
    """Normalised header synonym -> canonical column name."""
    lookup = {}
    for column in COLUMNS:
        lookup[normalise_label(column.name)] = column.name
        for synonym in column.synonyms:
            lookup.setdefault(normalise_label(synonym), column.name)
    return lookup


def value_lookup(column: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Normalised value synonym -> canonical value for a vocabulary column, with user additions winning."""
    lookup = _lookup(VOCABULARIES[column])
    for source, canonical in (extra or {}).items():
        lookup[normalise_label(source)] = canonical
    return lookup


def map_headers(
    headers: list[str], explicit: dict[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Map source headers to canonical columns: explicit pairs first, then synonyms; returns (mapping, unmapped)."""
    from advisor.errors import InputError

    explicit = explicit or {}
    mapping: dict[str, str] = {}
    by_folded = {normalise_label(header): header for header in headers}
    for source, canonical in explicit.items():
        if canonical not in COLUMN_NAMES:
            raise InputError(
                f"Cannot map {source!r} to {canonical!r}: not a roster column. "
                f"Use one of {', '.join(COLUMN_NAMES)} (see `advisor schema`)."
            )
        header = source if source in headers else by_folded.get(normalise_label(source))
        if header is None:
            raise InputError(
                f"--map names column {source!r}, which is not in the file. Columns found: {', '.join(headers)}."
            )
        mapping[header] = canonical
    taken = set(mapping.values())
    lookup = header_lookup()
    for header in headers:
        if header in mapping:
            continue
        guess = lookup.get(normalise_label(header))
        if guess is not None and guess not in taken:
            mapping[header] = guess
            taken.add(guess)
    unmapped = [header for header in headers if header not in mapping]
    return mapping, unmapped
