"""Problems vs measures, 纸面销号 (completion notes and evidence files with the same SHA-256), and the figures
of an uploaded .docx against the unit's records (issue 13, items 4 and 6)."""

from __future__ import annotations

import hashlib
import json
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from docx import Document

from fengqing.analysis.api import analyze
from fengqing.analysis.closure import ClosureInput, closure_findings
from fengqing.doctext import document_text
from fengqing.analysis.figures import StatedText, figure_findings
from fengqing.analysis.measures import MeasureInput, ProblemInput, measure_findings, relevance
from fengqing.analysis.sources import record_facts
from fengqing.analysis.text import paragraphs
from fengqing.errors import DocumentError
from fengqing.ledger.models import Talk
from fengqing.rectify.models import Measure, Problem
from fengqing.web.models import Evidence
from tests import factories as F
from tests.factories import D


def kinds(findings):
    return sorted((f.subkind, f.sources[-1].key) for f in findings)


def test_problem_and_measure_checks():
    p = ProblemInput("p1", "水务局问题1", "党组理论学习中心组学习次数不足", "上半年只学习2次", "水务局", "2023H1", [
        MeasureInput("good", "每月召开1次中心组专题学习会，全年不少于12次", "局办公室", D(2023, 12, 31)),
        MeasureInput("vague", "进一步提高思想认识", "局办公室", D(2023, 12, 31)),
        MeasureInput("owner", "制定中心组年度学习计划", "", D(2023, 12, 31)),
        MeasureInput("restate", "切实加强党组理论学习中心组学习", "局办公室", D(2023, 12, 31)),
        MeasureInput("nodate", "制定中心组学习考勤制度", "局办公室", None),
    ])
    found = kinds(measure_findings([p]))
    assert found == sorted([("vague", "vague"), ("no_owner", "owner"), ("restates", "restate"),
                            ("vague", "restate"), ("no_deadline", "nodate")])


def test_measures_that_miss_their_problem():
    # the measures speak of 三公经费 while the problem is about 风险点: none of its words is taken up
    problem = "廉政风险点排查不全面，部分科室未排查"
    measures = ["规范公务接待审批，严控三公经费支出", "每季度通报1次公务用车使用情况"]
    assert relevance(problem, measures) == 0
    p = ProblemInput("p", "档案馆问题2", "廉政风险点排查不全面", "部分科室未排查", "档案馆", "2023H1",
                     [MeasureInput(f"m{i}", m, "馆办公室", D(2023, 9, 30)) for i, m in enumerate(measures)])
    irrelevant = [f for f in measure_findings([p]) if f.subkind == "irrelevant"]
    assert len(irrelevant) == 1 and irrelevant[0].score == 0
    # a measure that addresses it takes up all three of the problem's meaningful words (廉政风险点, 排查, 科室;
    # 不全面 and 部分 are generic), so no finding
    assert relevance(problem, ["组织各科室重新排查廉政风险点"]) == 1.0
    p.measures.append(MeasureInput("m9", "组织各科室重新排查廉政风险点", "馆办公室", D(2023, 9, 30)))
    assert not [f for f in measure_findings([p]) if f.subkind == "irrelevant"]


def test_closure_same_note_and_same_file_plain():
    pdf = b"%PDF-1.4 same scan"
    items = [ClosureInput("m1", "措施1", "整改A", notes=["已召开专题会议研究整改，问题已整改到位"],
                          files=[("a.pdf", hashlib.sha256(pdf).hexdigest())]),
             ClosureInput("m2", "措施2", "整改B", notes=["已召开专题会议研究整改，问题已整改到位。"],
                          files=[("b.pdf", hashlib.sha256(pdf).hexdigest())]),
             ClosureInput("m3", "措施3", "整改C", notes=["已完成"], files=[("c.pdf", hashlib.sha256(b"other").hexdigest())])]
    found = closure_findings(items)
    assert sorted((f.subkind, tuple(s.key for s in f.sources)) for f in found) == [
        ("same_file", ("m1", "m2")), ("same_note", ("m1", "m2"))]
    same_file = next(f for f in found if f.subkind == "same_file")
    assert same_file.detail["shared"] == hashlib.sha256(pdf).hexdigest()


@pytest.mark.django_db
def test_paper_closure_from_evidence_files_in_storage(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    unit = F.unit()
    problems = [Problem.objects.create(unit=unit, code=f"P{i}", period="2023H1", aspect="问题整改", title=f"问题{i}")
                for i in range(3)]
    measures = [Measure.objects.create(problem=p, text=f"措施{i}", deadline=D(2023, 6, 30), status="已完成")
                for i, p in enumerate(problems)]
    scan = b"%PDF-1.4 one scan for two measures"
    for m, data, note in ((measures[0], scan, "会议纪要"), (measures[1], scan, "整改报告"),
                          (measures[2], b"%PDF-1.4 another file", "整改报告")):
        Evidence.objects.create(measure=m, file=ContentFile(data, name="e.pdf"), name=f"{m.text}.pdf",
                                size=len(data), note=note, uploaded_by="test")
    found = analyze("2023H1").by_kind()["paper_closure"]
    # notes 整改报告 are too short to count; the same file closes measures 0 and 1, not 2
    assert [(f.subkind, [s.key for s in f.sources]) for f in found] == [
        ("same_file", [f"measure:{measures[0].pk}", f"measure:{measures[1].pk}"])]
    assert found[0].detail["shared"] == hashlib.sha256(scan).hexdigest()


def _docx(lines: list[str]) -> bytes:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.mark.django_db
def test_figures_of_an_uploaded_docx_against_the_records():
    unit = F.unit()
    staff = [F.person(unit) for _ in range(70)]
    # 61 廉洁纪律谈话 in 2023H1, 3 任前廉政谈话; one 廉洁纪律谈话 outside the period
    for i in range(61):
        Talk.objects.create(unit=unit, date=D(2023, 3, 1), subject=staff[i], kind="廉洁纪律谈话")
    for i in range(3):
        Talk.objects.create(unit=unit, date=D(2023, 5, 1), subject=staff[i], kind="任前廉政谈话")
    Talk.objects.create(unit=unit, date=D(2023, 8, 1), subject=staff[0], kind="廉洁纪律谈话")
    data = _docx(["中共河川市水务局党组关于2023年上半年政治生态分析研判情况的报告",
                  "坚持抓早抓小，上半年开展廉洁纪律谈话98人（次）、任前廉政谈话3人（次）。",
                  "现有在编在职人员70人。"])
    texts = [StatedText(f"upload:{i}", f"上传报告第{i + 1}段", p, unit.name, "2023H1")
             for i, p in enumerate(paragraphs(document_text("报告.docx", data)))]
    facts = record_facts(unit, "2023H1")
    found = figure_findings(texts, facts)
    # 98 differs from the 61 recorded; 任前廉政谈话 3 and 在编在职人员 70 agree
    assert len(found) == 1
    f = found[0]
    assert f.detail["fact"] == "talk.integrity"
    assert (f.detail["stated"], f.detail["recorded"]) == (98, 61)
    assert len(f.detail["records"]) == 61
    (a, b), = f.sources[0].spans
    assert f.sources[0].text[a:b] == "廉洁纪律谈话98"
    # the records' fact says 人次; the uploaded text's 人（次） is read as the same unit
    assert "上传报告第2段称“廉洁纪律谈话98人（次）”，台账记录为廉洁纪律谈话61人次" == f.message


def test_unreadable_documents_are_refused_in_chinese():
    with pytest.raises(DocumentError, match="无法读取文件“坏.docx”"):
        document_text("坏.docx", b"not a zip")
    with pytest.raises(DocumentError, match="不支持的文件类型"):
        document_text("表.xlsx", b"")
    assert document_text("a.txt", "第一段\n第二段".encode("gb18030")) == "第一段\n第二段"


@pytest.mark.django_db
def test_command_json_and_model_texts(tmp_path, capsys):
    unit = F.unit()
    other = F.unit("河川市林业局", "林业局")
    body = ("我局紧盯水利工程建设领域，对三个在建项目的招投标和资金拨付开展专项监督检查。"
            "检查发现合同变更审批不规范等问题五个，已全部督促整改到位。")
    from fengqing.report.models import Narrative
    Narrative.objects.create(unit=unit, period="2023H1", section="discipline", text=body)
    Narrative.objects.create(unit=other, period="2023H1", section="power", text="林业局围绕森林防火开展日常监督，"
                             "组织护林员队伍开展廉洁从业培训两期，对补偿资金发放情况进行抽查。")
    models = tmp_path / "范文"
    models.mkdir()
    (models / "范文一.docx").write_bytes(_docx(["某单位研判报告", body]))
    call_command("analyze", "--period", "2023H1", "--corpus", str(models), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["period"] == "2023H1"
    assert out["counts"] == {"texts": 2, "reports": 2, "model_texts": 1}
    copies = [f for f in out["findings"] if f["kind"] == "copy"]
    assert [(f["subkind"], f["sources"][0]["key"], f["sources"][1]["label"]) for f in copies] == [
        ("model_text", "corpus:范文一.docx:1", "水务局2023年上半年报告“纪律作风”第1段")]
    assert copies[0]["score"] == 1.0 and copies[0]["sources"][1]["spans"] == [[0, 38], [38, len(body)]]


@pytest.mark.django_db
def test_command_refuses_a_missing_corpus_folder(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("analyze", "--corpus", str(tmp_path / "无"))
    assert exit_.value.code == 2
    assert f"错误：范文文件夹“{tmp_path / '无'}”不存在" in capsys.readouterr().err
