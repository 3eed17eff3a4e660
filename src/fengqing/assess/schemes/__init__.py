"""Indicator schemes as data (DESIGN §5): the built-in YAML files beside this module, or a user's file.

``load_scheme()`` gives the default scheme; ``load_scheme("fengqing-deduction-v1")`` a built-in one by id;
``load_scheme("my.yaml")`` reads and validates a file (``SchemeError`` naming every mistake otherwise).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from ...errors import SchemeError
from .model import Scheme
from .validate import SchemeProblems, parse_scheme

__all__ = ["BUILTIN", "DEFAULT_ID", "Scheme", "SchemeProblems", "load_scheme"]

HERE = Path(__file__).resolve().parent
DEFAULT_ID = "fengqing-default-v1"
DEDUCTION_ID = "fengqing-deduction-v1"
BUILTIN = {scheme_id: HERE / f"{scheme_id}.yaml" for scheme_id in (DEFAULT_ID, DEDUCTION_ID)}


def load_scheme(path: str | Path | None = None) -> Scheme:
    """The scheme in ``path``: None for the default scheme, a built-in id, or a YAML file."""
    if path is None:
        path = DEFAULT_ID
    if str(path) in BUILTIN:
        return _builtin(str(path))
    return _read(Path(path), str(path))


@cache
def _builtin(scheme_id: str) -> Scheme:
    return _read(BUILTIN[scheme_id], scheme_id)


def _read(path: Path, source: str) -> Scheme:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemeError(f"找不到指标方案文件“{source}”（内置方案：{'、'.join(BUILTIN)}）") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemeError(f"无法读取指标方案文件“{source}”：{exc}") from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise SchemeProblems(source, [_yaml_problem(exc)]) from None
    return parse_scheme(data, source)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (PyYAML silently keeps the last)."""


def _unique_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"键“{key}”重复", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列：" if mark else ""
    problem = getattr(exc, "problem", None) or str(exc)
    if "重复" not in problem:
        problem = f"不是有效的 YAML（{problem}）"
    return f"{where}{problem}"
