"""The ``fengqing`` console script: the project's manage.py (every Django command works) plus fengqing's own
commands (template, import, export, demo, report, score …), which live in the apps' management packages."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqing.settings")
    from django.core.management import execute_from_command_line

    from .errors import FengqingError

    try:
        execute_from_command_line(argv or sys.argv)
    except FengqingError as exc:  # raised while settings load, before any command runs
        for line in exc.lines():
            print(f"错误：{line}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
