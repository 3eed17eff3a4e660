"""docs/workbook.md, generated from the schema (a test keeps the file in step):
``python -m fengqing.workbook.docs > docs/workbook.md``."""

from __future__ import annotations


def schema_markdown() -> str:
    from .schema import SHEETS
    from .template import GENERAL_RULES

    lines = ["# 交换格式（第1版）", "",
             "本文件由 `python -m fengqing.workbook.docs` 根据工作簿模式生成，请勿手工修改。", ""]
    lines += list(GENERAL_RULES) + [""]
    for sheet in SHEETS:
        key = "、".join(sheet.key) if sheet.key else "整行"
        if sheet.key_optional:
            key += "（未填时按整行）"
        lines += [f"## {sheet.name}", ""]
        if sheet.note:
            lines += [sheet.note + "。", ""]
        lines += [f"键：{key}" + ("；只填一行" if sheet.single_row else ""), "",
                  "| 列 | 必填 | 填写要求 |", "|---|---|---|"]
        lines += [f"| {c.header} | {'是' if c.required else '否'} | {c.help} |" for c in sheet.columns]
        lines.append("")
    lines += ["## 导入的过程", "", *PROCESS, ""]
    return "\n".join(lines)


#: how an import runs, for administrators (not in the template's instructions: a clerk filling it needs none)
PROCESS = (
    "导入边读边写：各工作表按“单位、机构、党支部、人员、其余台账”的顺序逐行读取、检查，没有发现问题时每 1,000 行写入一批"
    "（PostgreSQL 用 COPY 写入记录和审计日志），全部在同一个事务中。发现第一个问题时撤销已写入的部分并释放数据库，"
    "其余各行只检查、不写入，最后列出全部问题；试导入（网页上的预览）同样做完整个导入再撤销。",
    "",
    "内存不随台账行数增长：读过的行不保留；与本单位已有记录的比对只保留每条已有记录的摘要（约一百字节）；"
    "按键匹配的工作表（人员、机构、问题等）的键和被引用的名称逐行保留，这些表在实际单位中只有几百行。"
    "网页服务在每次导入（含预览）后把释放的内存交还系统（glibc 的 malloc_trim），常驻内存回到接近导入前的水平。"
    "实测数字见 README 的性能一节（`bench/import_memory_bench.py`、`bench/import_bench.py`）。",
)


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqing.settings")
    django.setup()
    print(schema_markdown(), end="")
