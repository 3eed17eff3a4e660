"""Where the commands write: --out is a file for one format, else a folder; without it, the current folder,
and the JSON to standard output (the report command's convention)."""

from __future__ import annotations

from pathlib import Path

from ..errors import DossierError


def targets(title: str, formats: list[str], out: str | None) -> dict[str, Path]:
    if not out:
        return {f: Path.cwd() / f"{title}.{f}" for f in formats if f != "json"}
    path = Path(out)
    if path.suffix and not path.is_dir():
        if len(formats) > 1:
            raise DossierError(f"输出多种格式时 --out 应为文件夹，而不是文件“{path}”")
        if not path.parent.is_dir():
            raise DossierError(f"文件夹“{path.parent}”不存在")
        return {formats[0]: path}
    path.mkdir(parents=True, exist_ok=True)
    return {f: path / f"{title}.{f}" for f in formats}


def write(command, title: str, rendered: dict[str, bytes], out: str | None) -> None:
    paths = targets(title, list(rendered), out)
    to_stdout = "json" in rendered and "json" not in paths
    log = command.stderr if to_stdout else command.stdout
    for fmt, path in paths.items():
        path.write_bytes(rendered[fmt])
        log.write(f"已生成：{path}")
    if to_stdout:
        command.stdout.write(rendered["json"].decode("utf-8"), ending="")
