"""Interface text in English and Chinese: a small message catalogue and the rule that picks the language."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request

LANGUAGES = ("en", "zh")
LANG_COOKIE = "lang"

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "app_name": "Sales structure advisor",
        "nav_chat": "Chat",
        "nav_org": "Org",
        "nav_kb": "Knowledge",
        "nav_evals": "Evals",
        "nav_api": "API",
        "logout": "Log out",
        "login": "Log in",
        "login_title": "Sign in",
        "login_key": "API key",
        "login_failed": "That key is not valid.",
        "chat_title": "Ask the advisor",
        "chat_placeholder": "Ask about sales structure, turnover, span of control...",
        "chat_send": "Ask",
        "chat_new": "New conversation",
        "chat_conversations": "Conversations",
        "chat_none": "No conversations yet.",
        "chat_org": "Using org",
        "chat_sources": "Sources",
        "chat_thinking": "Thinking...",
        "chat_refused": "The advisor could not answer this from its sources.",
        "chat_error": "The request failed",
        "chat_open_doc": "Open document",
        "close": "Close",
        "org_title": "Your organisation",
        "org_upload": "Upload a roster",
        "org_upload_help": "CSV, XLSX or JSON export of your sales roster. It is stored under a private, random id.",
        "org_file": "Roster file",
        "org_profile": "Org profile (optional YAML)",
        "org_dayfirst": "Dates are day-first (31/12/2024)",
        "org_submit": "Upload and analyse",
        "org_mapping_title": "Match your columns",
        "org_mapping_help": "Some headers were not recognised. Choose which of your columns holds each field.",
        "org_mapping_none": "(not in my file)",
        "org_mapping_submit": "Apply mapping",
        "org_report": "Validation report",
        "org_rows": "Rows",
        "org_set_aside": "Rows set aside",
        "org_columns_mapped": "Columns mapped",
        "org_unmapped": "Columns ignored",
        "org_issues": "Issues",
        "org_row": "Row",
        "org_column": "Column",
        "org_value": "Value",
        "org_reason": "Reason",
        "org_no_issues": "No issues: every row was usable.",
        "org_metrics": "Metrics",
        "org_findings": "Findings",
        "org_no_findings": "No findings: every metric is within its benchmark.",
        "org_charts": "Charts",
        "org_chat": "Ask about this org",
        "org_scenario": "What-if scenario",
        "org_plan": "Restructuring plan",
        "metric": "Metric",
        "value": "Value",
        "formula": "Formula",
        "severity": "Severity",
        "benchmark": "Benchmark",
        "chart_turnover_by_role": "Turnover by role",
        "chart_span_by_manager": "Span of control per manager",
        "chart_tenure": "Tenure distribution (years)",
        "chart_mix": "Inside / field mix",
        "chart_attainment": "Quota attainment distribution",
        "chart_empty": "No data for this chart.",
        "scenario_title": "What-if scenario",
        "scenario_help": "Describe the change as JSON (the same spec the API and CLI accept).",
        "scenario_spec": "Scenario spec",
        "scenario_run": "Run scenario",
        "scenario_before": "Before",
        "scenario_after": "After",
        "scenario_delta": "Change",
        "plan_title": "Restructuring plan",
        "plan_goal": "Goal (optional)",
        "plan_draft": "Draft the plan",
        "plan_download": "Download",
        "plan_none": "No plan drafted yet.",
        "kb_title": "Knowledge base",
        "kb_search": "Search",
        "kb_search_placeholder": "Search the knowledge base",
        "kb_documents": "Documents",
        "kb_upload": "Add a document",
        "kb_upload_help": "Markdown, text, HTML, PDF or DOCX. It is cleaned, chunked and indexed.",
        "kb_upload_submit": "Upload and ingest",
        "kb_chunks": "Chunks",
        "kb_results": "Results",
        "kb_no_results": "Nothing matched.",
        "kb_lang": "Language",
        "kb_topics": "Topics",
        "kb_ingested": "Ingested",
        "evals_title": "Evaluations",
        "evals_suites": "Suites",
        "evals_run": "Run",
        "evals_runs": "Runs",
        "evals_status": "Status",
        "evals_progress": "Progress",
        "evals_report": "Report",
        "evals_download_json": "JSON",
        "error_title": "Something went wrong",
        "error_back": "Back to the start",
    },
    "zh": {
        "app_name": "销售架构顾问",
        "nav_chat": "对话",
        "nav_org": "组织",
        "nav_kb": "知识库",
        "nav_evals": "评测",
        "nav_api": "接口",
        "logout": "退出",
        "login": "登录",
        "login_title": "登录",
        "login_key": "API 密钥",
        "login_failed": "密钥无效。",
        "chat_title": "向顾问提问",
        "chat_placeholder": "询问销售架构、人员流失、管理幅度……",
        "chat_send": "提问",
        "chat_new": "新对话",
        "chat_conversations": "对话记录",
        "chat_none": "还没有对话。",
        "chat_org": "使用组织数据",
        "chat_sources": "来源",
        "chat_thinking": "思考中……",
        "chat_refused": "顾问无法依据资料回答这个问题。",
        "chat_error": "请求失败",
        "chat_open_doc": "打开文档",
        "close": "关闭",
        "org_title": "您的组织",
        "org_upload": "上传花名册",
        "org_upload_help": "销售花名册的 CSV、XLSX 或 JSON 导出文件，保存在一个私有的随机编号下。",
        "org_file": "花名册文件",
        "org_profile": "组织概况（可选 YAML）",
        "org_dayfirst": "日期为日在前（31/12/2024）",
        "org_submit": "上传并分析",
        "org_mapping_title": "匹配列",
        "org_mapping_help": "部分表头无法识别。请为每个字段选择对应的列。",
        "org_mapping_none": "（文件中没有）",
        "org_mapping_submit": "应用映射",
        "org_report": "校验报告",
        "org_rows": "行数",
        "org_set_aside": "搁置的行",
        "org_columns_mapped": "已映射的列",
        "org_unmapped": "忽略的列",
        "org_issues": "问题",
        "org_row": "行",
        "org_column": "列",
        "org_value": "值",
        "org_reason": "原因",
        "org_no_issues": "没有问题：每一行都可用。",
        "org_metrics": "指标",
        "org_findings": "发现",
        "org_no_findings": "没有发现：所有指标都在基准范围内。",
        "org_charts": "图表",
        "org_chat": "就此组织提问",
        "org_scenario": "假设情景",
        "org_plan": "重组方案",
        "metric": "指标",
        "value": "数值",
        "formula": "公式",
        "severity": "严重程度",
        "benchmark": "基准",
        "chart_turnover_by_role": "按岗位的流失率",
        "chart_span_by_manager": "每位经理的管理幅度",
        "chart_tenure": "司龄分布（年）",
        "chart_mix": "内勤 / 外勤构成",
        "chart_attainment": "业绩达成率分布",
        "chart_empty": "此图表没有数据。",
        "scenario_title": "假设情景",
        "scenario_help": "用 JSON 描述变化（与接口和命令行相同的格式）。",
        "scenario_spec": "情景定义",
        "scenario_run": "运行情景",
        "scenario_before": "之前",
        "scenario_after": "之后",
        "scenario_delta": "变化",
        "plan_title": "重组方案",
        "plan_goal": "目标（可选）",
        "plan_draft": "起草方案",
        "plan_download": "下载",
        "plan_none": "尚未起草方案。",
        "kb_title": "知识库",
        "kb_search": "搜索",
        "kb_search_placeholder": "搜索知识库",
        "kb_documents": "文档",
        "kb_upload": "添加文档",
        "kb_upload_help": "Markdown、文本、HTML、PDF 或 DOCX，会被清洗、分块并建立索引。",
        "kb_upload_submit": "上传并导入",
        "kb_chunks": "分块",
        "kb_results": "结果",
        "kb_no_results": "没有匹配的内容。",
        "kb_lang": "语言",
        "kb_topics": "主题",
        "kb_ingested": "已导入",
        "evals_title": "评测",
        "evals_suites": "评测集",
        "evals_run": "运行",
        "evals_runs": "运行记录",
        "evals_status": "状态",
        "evals_progress": "进度",
        "evals_report": "报告",
        "evals_download_json": "JSON",
        "error_title": "出错了",
        "error_back": "返回首页",
    },
}


def _from_accept_language(header: str) -> str | None:
    """The first supported language in an Accept-Language header, honouring q-values."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()[:2]))
    for _quality, _position, code in sorted(ranked):
        if code in LANGUAGES:
            return code
    return None


def pick_language(request: Request) -> str:
    """Interface language: `?lang=`, else the `lang` cookie, else Accept-Language, else English."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return _from_accept_language(request.headers.get("accept-language", "")) or "en"


def translator(lang: str) -> Callable[[str], str]:
    """A `t(key)` function for templates; unknown keys fall back to English, then to the key itself."""
    catalogue = MESSAGES.get(lang, MESSAGES["en"])

    def t(key: str) -> str:
        return catalogue.get(key) or MESSAGES["en"].get(key, key)

    return t
