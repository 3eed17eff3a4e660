"""Finding a unit the way users name it."""

from __future__ import annotations

from django.db.models import Q

from ..errors import UnknownUnitError
from .models import Unit


def find_unit(ref: str) -> Unit:
    """The unit named by 单位名称, 单位简称 or 单位代码 (DESIGN §8)."""
    matches = list(Unit.objects.filter(Q(name=ref) | Q(short_name=ref) | Q(code=ref) & ~Q(code="")))
    if not matches:
        names = "、".join(Unit.objects.values_list("name", flat=True)[:10]) or "（数据库中还没有单位）"
        raise UnknownUnitError(f"找不到单位“{ref}”：请填写单位名称、简称或代码。现有单位：{names}")
    if len(matches) > 1:
        raise UnknownUnitError(f"“{ref}”对应多个单位（{'、'.join(u.name for u in matches)}），请改用单位名称")
    return matches[0]
