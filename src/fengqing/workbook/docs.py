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
    return "\n".join(lines)


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqing.settings")
    django.setup()
    print(schema_markdown(), end="")
