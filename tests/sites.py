"""Small sites written inline, as MkDocs' `@tempdir(files=…)` and Hugo's txtar tests do."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

THEME = Path(__file__).resolve().parents[1] / "themes" / "default"

CONFIG = """\
site:
  name: 测试县人民政府
  kind: portal
  domain: www.test.gov.cn
  id_code: "5001000099"
  base_url: https://www.test.gov.cn/
  host_unit: 测试县人民政府办公室
  contact: {phone: 023-11112222, email: zfb@test.gov.cn, address: 测试县人民路1号}
  icp: 渝ICP备00000099号-1
  police_record: 渝公网安备50024202000099号
  error_report_url: https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5001000099
channels: [jgzn, ldxx, zcwj, jdhy, gzdt, hdjl, bsfw]
paginate: 3
"""


def column(name: str, type_: str, **extra: str) -> str:
    lines = [f"name: {name}", f"type: {type_}", f"description: {name}栏目", f"keywords: [{name}]"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


def item(
    title: str, date: str = "2024-03-05 09:30", source: str = "测试县人民政府办公室", body: str = "正文。", **extra: str
) -> str:
    lines = ["---", f"title: {title}", f"date: {date}", f"source: {source}"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return "\n".join([*lines, "---", "", body, ""])


def minimal_site() -> dict[str, str]:
    """A site written exactly per docs/content.md: every required column, a policy and its interpretation,
    an abolished policy, an archived item, a draft, leaders, units, a service guide, messages, and the
    信息公开 columns a portal needs (指南, a 年报 for 2023, 依申请公开)."""
    return {
        "config.yaml": CONFIG,
        "content/jgzn/_column.yaml": column("机构职能", "机构职能"),
        "content/jgzn/units.yaml": (
            "title: 机构设置\ndate: 2024-06-03 09:00\nsource: 测试县委编办\n"
            "units:\n  - {name: 县发展和改革委员会, duties: 拟订并组织实施国民经济和社会发展规划, head: 王一,"
            " phone: 023-11110001, address: 人民路2号, hours: 工作日 9:00-17:00}\n"
        ),
        "content/ldxx/_column.yaml": column("负责人信息", "负责人信息"),
        "content/ldxx/leaders.yaml": (
            "title: 县政府领导\ndate: 2024-06-03 09:00\nsource: 测试县人民政府办公室\n"
            "people:\n  - {name: 李县长, post: 县长, resume: 男，汉族，大学学历。, duties: 主持县政府全面工作。}\n"
        ),
        "content/zcwj/_column.yaml": column("政策文件", "政策文件"),
        "content/zcwj/2024-001.md": item(
            "关于印发旧办法的通知",
            "2024-01-10 10:00",
            doc_number="测府发〔2024〕1号",
            issuer="测试县人民政府",
            status="已废止",
            status_date="2025-01-01 00:00",
            replaced_by="zcwj/2025-001",
        ),
        "content/zcwj/2025-001.md": item(
            "关于印发新办法的通知",
            "2025-01-01 09:00",
            doc_number="测府发〔2025〕1号",
            issuer="测试县人民政府",
            status="有效",
            major="true",
            author="张三",
            keywords="[新办法, 通知]",
        ),
        "content/jdhy/_column.yaml": column("政策解读", "政策解读"),
        "content/jdhy/2025-01-03-jd.md": item("《新办法》政策解读", "2025-01-03 15:00", interprets="zcwj/2025-001"),
        "content/gzdt/_column.yaml": column("工作动态", "工作动态"),
        "content/gzdt/2024-02-01-a.md": item("一月工作会议召开", "2024-02-01 08:00"),
        "content/gzdt/2024-03-01-b.md": item("二月工作会议召开", "2024年3月1日 09：15"),
        "content/gzdt/2024-04-01-c.md": item("三月工作会议召开", "2024-04-01T10:20"),
        "content/gzdt/2024-05-01-d.md": item("四月工作会议召开", "2024-05-01", archived="2025-01-01 10:00"),
        "content/gzdt/2025-01-06-e.md": item("新年第一次工作会议召开", "2025-01-06 10:00"),
        "content/gzdt/2024-06-01-draft.md": item("草稿不应发布", "2024-06-01 10:00", draft="true"),
        "content/hdjl/_column.yaml": column("咨询投诉", "咨询投诉"),
        "content/hdjl/messages.yaml": (
            "title: 留言选登\ndate: 2024-06-10 09:00\nsource: 测试县人民政府办公室\nmessages:\n"
            "  - {title: 路灯不亮, asked: 2024-06-01 08:00, received: 2024-06-01 09:00, replied: 2024-06-03 16:00,"
            " dept: 县城市管理局, question: 人民路路灯不亮。, answer: 已于6月3日修复。}\n"
        ),
        "content/bsfw/_column.yaml": column("办事服务", "办事服务"),
        "content/bsfw/gtgsh.yaml": (
            "title: 个体工商户设立登记\ndate: 2024-01-05 09:00\nsource: 测试县市场监督管理局\n"
            "basis: 《促进个体工商户发展条例》\nconditions: 有经营能力的公民\n"
            "materials:\n  - {name: 登记申请书, basis: 条例第八条, format: 原件, copies: '1', note: 无}\n"
            "steps: [申请, 受理, 审核, 发照]\ntime_limit: 1个工作日\nfee: 不收费\noffice: 县市场监督管理局\n"
            "address: 县政务服务中心\nhours: 工作日 9:00-17:00\nphone: 023-11110002\nonline_level: 全程网办\n"
            "apply_url: https://zwfw.test.gov.cn/gtgsh\n"
        ),
        # 政府信息公开 (a portal's COL-REQUIRED): the 指南, the 2023 年报 (due at NOW) and how to apply
        "content/xxgkzn/_column.yaml": column("信息公开指南", "信息公开指南"),
        "content/xxgkzn/zhinan.md": item("测试县人民政府政府信息公开指南", "2024-01-02 09:00"),
        "content/xxgknb/_column.yaml": column("信息公开年报", "信息公开年报"),
        "content/xxgknb/2023-ndbg.md": item("测试县人民政府2023年政府信息公开工作年度报告", "2024-01-25 10:00"),
        "content/ysqgk/_column.yaml": column("依申请公开", "依法申请公开"),
        "content/ysqgk/shenqing.md": item("依申请公开办理说明", "2024-01-02 09:30"),
    }


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


Edit = dict[str, str | bytes | Callable[[str], str] | None]


def edited(files: dict[str, str], edit: Edit) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = dict(files)
    for rel, change in edit.items():
        if change is None:
            for key in [k for k in out if k == rel or k.startswith(rel + "/")]:
                del out[key]
        elif callable(change):
            if rel not in out and rel.startswith("themes/default/"):  # overriding a file of the default theme
                out[rel] = (THEME.parent.parent / rel).read_text("utf-8")
            out[rel] = change(out[rel])  # type: ignore[arg-type]
        else:
            out[rel] = change
    return out


def replace(old: str, new: str) -> Callable[[str], str]:
    def apply(text: str) -> str:
        assert old in text, old
        return text.replace(old, new)

    return apply


def repacked(package: bytes, parts: dict[str, bytes | str]) -> bytes:
    """`package` with `parts` added or replaced, as an editor's tool (or an attacker) would."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            if entry.filename not in parts:
                target.writestr(entry, source.read(entry))
        for name, body in parts.items():
            target.writestr(name, body)
    return out.getvalue()
