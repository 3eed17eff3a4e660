"""What the reader reads from the database (and a folder of model texts): the plain inputs of :mod:`.api`.

Scoping is the caller's: it passes the ids of the units the user may see (``None``: all, for the operator's
command line).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.apps import apps

from ..errors import AnalysisError, PeriodError
from ..org.models import Unit
from ..periods import parse_period
from ..report.models import Narrative
from ..report.sections import BY_KEY
from ..rectify.models import Measure, Problem
from .closure import ClosureInput
from ..doctext import SUFFIXES, document_text
from ..submission.models import Submission
from .figures import FactInput, StatedText
from .measures import MeasureInput, ProblemInput
from .text import Text, paragraphs


def _units(unit_ids) -> dict[int, Unit]:
    qs = Unit.objects.all() if unit_ids is None else Unit.objects.filter(id__in=unit_ids)
    return {u.pk: u for u in qs}


def _label(unit: Unit, period: str) -> str:
    try:
        return f"{unit.short_name}{parse_period(period).label}"
    except PeriodError:  # a period code stored before periods were checked: show it as it is
        return f"{unit.short_name}{period}"


def unit_texts(unit_ids=None) -> list[Text]:
    """Every paragraph the units' people wrote: the leadership's report texts, problems and measures."""
    units = _units(unit_ids)
    texts = []
    for n in Narrative.objects.filter(unit_id__in=units).order_by("unit_id", "period", "section"):
        unit = units[n.unit_id]
        for i, para in enumerate(n.paragraphs()):
            texts.append(Text(f"narrative:{n.pk}:{i}", "narrative", para, unit.name, n.period,
                              f"{_label(unit, n.period)}报告“{BY_KEY[n.section].name}”第{i + 1}段"))
    for p in Problem.objects.filter(unit_id__in=units).order_by("unit_id", "period", "code"):
        unit = units[p.unit_id]
        body = p.title + (f"。{p.description}" if p.description else "")
        texts.append(Text(f"problem:{p.pk}", "problem", body, unit.name, p.period,
                          f"{_label(unit, p.period)}问题{p.code}"))
    for m in Measure.of_units(units).select_related("problem") \
            .order_by(Measure.unit_path, "problem__period", "problem__code", "pk"):
        unit = units[m.problem.unit_id]
        texts.append(Text(f"measure:{m.pk}", "measure", m.text, unit.name, m.problem.period,
                          f"{_label(unit, m.problem.period)}问题{m.problem.code}的整改措施"))
    return texts


def _uploads(unit_ids, until=None):
    """Reports submitted as files, in force (not sent back): (submission, unit)."""
    units = _units(unit_ids)
    qs = (Submission.objects.filter(unit_id__in=units, kind=Submission.UPLOAD, returned_at__isnull=True)
          .order_by("unit_id", "period").defer("content"))
    for s in qs:
        if until is None or until(s.period):
            yield s, units[s.unit_id]


def upload_texts(unit_ids=None, until=None) -> list[Text]:
    """The paragraphs of the reports units uploaded instead of writing them in fengqing."""
    texts = []
    for s, unit in _uploads(unit_ids, until):
        for i, para in enumerate(paragraphs(s.text)):
            texts.append(Text(f"upload:{s.pk}:{i}", "upload", para, unit.name, s.period,
                              f"{_label(unit, s.period)}上传报告《{s.file_name}》第{i + 1}段"))
    return texts


def upload_figures(unit_ids=None, until=None) -> list[tuple[list[StatedText], list[FactInput]]]:
    """Each uploaded report's paragraphs with the facts the unit's records give for its period."""
    out = []
    for s, unit in _uploads(unit_ids, until):
        stated = [StatedText(f"upload:{s.pk}:{i}", f"{_label(unit, s.period)}上传报告第{i + 1}段", para, unit.name,
                             s.period) for i, para in enumerate(paragraphs(s.text))]
        out.append((stated, record_facts(unit, s.period)))
    return out


def corpus_texts(folder: str | Path) -> list[Text]:
    """The paragraphs of every .txt, .docx and .pdf file in the folder (and its subfolders): model texts."""
    root = Path(folder)
    if not root.is_dir():
        raise AnalysisError(f"范文文件夹“{folder}”不存在")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not files:
        raise AnalysisError(f"范文文件夹“{folder}”中没有 .txt、.docx 或 .pdf 文件")
    texts = []
    for path in files:
        name = str(path.relative_to(root))
        for i, para in enumerate(paragraphs(document_text(name, path.read_bytes()))):
            texts.append(Text(f"corpus:{name}:{i}", "corpus", para, label=f"范文《{name}》第{i + 1}段"))
    return texts


def problem_inputs(unit_ids=None) -> list[ProblemInput]:
    units = _units(unit_ids)
    problems: dict[int, ProblemInput] = {}
    for p in Problem.objects.filter(unit_id__in=units).order_by("unit_id", "period", "code"):
        problems[p.pk] = ProblemInput(f"problem:{p.pk}", f"{_label(units[p.unit_id], p.period)}问题{p.code}",
                                      p.title, p.description, units[p.unit_id].name, p.period)
    for m in Measure.objects.filter(problem_id__in=problems).order_by("problem_id", "deadline", "pk"):
        problems[m.problem_id].measures.append(MeasureInput(f"measure:{m.pk}", m.text, m.owner, m.deadline))
    return list(problems.values())


def closure_inputs(unit_ids=None) -> list[ClosureInput]:
    """Completed measures with their evidence files' notes and SHA-256 (read from storage)."""
    units = _units(unit_ids)
    measures: dict[int, ClosureInput] = {}
    # evidence files are kept by the web application (web.Evidence); looked up by name so the core does not
    # import the web layer
    evidence = apps.get_model("web", "Evidence")
    for ev in evidence.objects.filter(measure__in=Measure.of_units(units)).select_related("measure__problem") \
            .order_by("measure_id", "pk"):
        m = ev.measure
        item = measures.get(m.pk)
        if item is None:
            unit = units[m.problem.unit_id]
            item = measures[m.pk] = ClosureInput(f"measure:{m.pk}",
                                                 f"{_label(unit, m.problem.period)}问题{m.problem.code}的整改措施",
                                                 m.text, unit.name, m.problem.period)
        if ev.note:
            item.notes.append(ev.note)
        item.files.append((ev.name, _sha256(ev.file)))
    return list(measures.values())


def _sha256(field) -> str:
    digest = hashlib.sha256()
    with field.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def record_facts(unit: Unit, period: str) -> list[FactInput]:
    """The facts of the unit's report for the period, as the records give them (comparison bases left out)."""
    from ..report.facts import compute_facts

    return [FactInput(f.id, f.label, f.value, f.measure_word, f.kind, list(f.records))
            for f in compute_facts(unit, parse_period(period)) if f.kind != "titles"]
