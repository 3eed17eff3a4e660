"""The 廉政档案: identity, the records by year, same-name petitions, who may open it, the audit of opening it,
and the command line. Expected entries are written out by hand from conftest.py."""

from __future__ import annotations

import json
from io import BytesIO

import docx
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from fengqing.accounts.models import Assignment, AuditEntry, Role
from fengqing.accounts.scope import Scope
from fengqing.dossier.api import open_file
from fengqing.dossier.common import find_person
from fengqing.dossier.file import build_file
from fengqing.dossier.links import decide
from fengqing.errors import DossierError
from fengqing.ledger.models import Petition
from tests.factories import D, unit


def test_the_file_lists_every_record_by_year_newest_first(world):
    f = build_file(world["people"]["吴七"])
    assert dict(f.identity)["所在机构"] == "办公室" and dict(f.identity)["工号"] == "S06"
    assert [(y, [(e.date, e.kind, e.text) for e in es]) for y, es in f.years()] == [
        (2023, [(D(2023, 11, 30), "党风廉政意见", "干部选拔任用，台账记载结论同意"),
                (D(2023, 4, 6), "谈话", "提醒谈话（谈话人：组长）"),
                # 15 of 16 votes: 93.75% rounds half up to 93.8%
                (D(2023, 1, 15), "述责述廉", "述责述廉（现场述责）；民主测评好10票、较好5票、一般1票、差0票，好和较好占93.8%")]),
        (2022, [(D(2022, 6, 1), "干部选任", "提拔（“凡提四必”未执行：个人事项必核）")]),
        (2021, [(D(2021, 3, 1), "挂职", "在某乡镇挂职（2021年3月1日至2022年2月28日）")]),
    ]


def test_petitions_are_linked_by_a_unique_name_only(world):
    f = build_file(world["people"]["周六"])
    assert [e.text for e in f.entries if e.kind == "信访举报"] == [
        "信访举报，编号XF-3；办理结果：属实；办结日期：2023年12月20日（自动关联）",
        "信访举报，编号XF-1；办理结果：在办（自动关联）",
        "信访举报，编号XF-2；办理结果：不属实；办结日期：2022年5月1日（自动关联）"]
    first, second = world["chen"]
    assert [e.kind for e in build_file(first).entries] == ["党风廉政意见"]
    assert [p.number for p in build_file(first).shared] == ["XF-4"] == [p.number for p in build_file(second).shared]


def test_the_group_corrects_an_automatic_link(world):
    pet = Petition.objects.get(number="XF-1")
    decide(pet, world["people"]["周六"], False, "jijian", "网页")
    decide(pet, world["people"]["李清"], True, "jijian", "网页")
    assert "XF-1" not in "".join(e.text for e in build_file(world["people"]["周六"]).entries)
    assert [e.text for e in build_file(world["people"]["李清"]).entries if e.kind == "信访举报"] == [
        "信访举报，编号XF-1；办理结果：在办（已确认）"]
    # confirming one 陈明 settles the namesake too
    decide(Petition.objects.get(number="XF-4"), world["chen"][0], True, "jijian", "网页")
    assert build_file(world["chen"][1]).shared == []


def test_opening_is_audited_and_renders_word_and_json(world):
    person = world["people"]["王二"]
    _, _, out = open_file(person, ["docx", "json"], "lingdao", "网页")
    data = json.loads(out["json"])
    assert data["title"] == "王二同志廉政档案" and data["person"]["姓名"] == "王二"
    assert [y["year"] for y in data["years"]] == [2023, 2022, 2019]
    d = docx.Document(BytesIO(out["docx"]))
    assert d.paragraphs[0].text == "王二同志廉政档案"
    cells = [c.text for t in d.tables[1:] for row in t.rows for c in row.cells]
    assert "第二种形态：党内警告处分（线索来源：信访举报）" in cells and "第三种形态：撤职" in cells
    entry = AuditEntry.objects.get(action="查阅")
    assert (entry.model, entry.object_id, entry.actor, entry.after["person"]) == (
        "廉政档案", str(person.pk), "lingdao", "王二")


@pytest.mark.parametrize("role, sees, replies", [
    (Role.CLERK, False, False), (Role.LEADERSHIP, True, False), (Role.DISCIPLINE, True, True),
    (Role.SUPERVISOR, True, False), (Role.SYSADMIN, False, False), (Role.SECADMIN, False, False),
    (Role.AUDITOR, False, False)])
def test_who_may_see_the_file_and_reply(world, role, sees, replies):
    other = unit("河川市交通局", "交通局")
    user = User.objects.create_user(role.value)
    Assignment.objects.create(user=user, role=role).units.set([world["unit"]])
    scope = Scope.of(user)
    assert scope.may_see_dossier(world["unit"].pk) is sees
    assert scope.may_reply_opinion(world["unit"].pk) is replies
    assert scope.may_see_dossier(other.pk) is False and scope.may_reply_opinion(other.pk) is False


def test_a_person_by_number_or_unique_name(world):
    u = world["unit"]
    assert find_person(u, "S02").name == "王二" and find_person(u, "王二").staff_no == "S02"
    with pytest.raises(DossierError, match="有2人名为“陈明”（工号 S07、S08），请改用工号"):
        find_person(u, "陈明")
    with pytest.raises(DossierError, match="没有工号或姓名为“无名”的人员"):
        find_person(u, "无名")


def test_dossier_command_writes_files_and_json(world, tmp_path, capsys):
    call_command("dossier", unit="水务局", person="S06", format="docx,json", out=str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["吴七（S06）廉政档案.docx", "吴七（S06）廉政档案.json"]
    capsys.readouterr()
    call_command("dossier", unit="W1", person="吴七", format="json")
    assert json.loads(capsys.readouterr().out)["years"][0]["year"] == 2023
    assert AuditEntry.objects.filter(action="查阅", via="命令行").count() == 2


def test_opinion_command_confirms_and_writes_the_letter(world, tmp_path):
    request = world["requests"]["周六"]
    target = tmp_path / "回复.json"
    call_command("opinion", unit="水务局", request=str(request.pk), format="json", out=str(target),
                 date="2023-12-05", confirm="暂缓")
    data = json.loads(target.read_text("utf-8"))
    assert data["date"] == "2023-12-05" and len(data["persons"]) == 6
    zhou = next(p for p in data["persons"] if p["name"] == "周六")
    assert (zhou["proposed"], zhou["conclusion"], zhou["confirmed"]) == ("暂缓", "暂缓", True)


@pytest.mark.parametrize("args, message", [
    ({"person": "陈明"}, "请改用工号"), ({"person": "S01", "format": "xls"}, "不支持的格式“xls”")])
def test_dossier_command_errors_are_one_chinese_line(world, capsys, args, message):
    with pytest.raises(SystemExit) as exit_:
        call_command("dossier", unit="水务局", **{"format": "json", **args})
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("错误：") and message in err[0]


def test_opinion_command_refuses_a_change_without_reason(world, capsys):
    with pytest.raises(SystemExit):
        call_command("opinion", unit="水务局", request=str(world["requests"]["周六"].pk), format="json",
                     confirm="同意")
    assert "须填写理由" in capsys.readouterr().err


def test_names_are_found_longest_first_and_once():
    from fengqing.dossier.links import Names

    names = Names.of(["王军", "王军华", "李", "张三"])
    assert names.found_in("反映王军华、张三及张三之妻") == ["王军华", "张三"]
    assert names.found_in("王军和王军华") == ["王军", "王军华"]
    assert names.found_in("李某") == []  # one-character names are never matched


def test_confirming_one_namesake_leaves_another_shared_name_open(world):
    from fengqing.org.models import Person

    u = world["unit"]
    for no in ("S09", "S10"):
        Person.objects.create(unit=u, staff_no=no, name="林海", category="公务员", status="在职", political_status="群众")
    pet = Petition.objects.create(unit=u, received=D(2023, 7, 1), number="XF-5", subject="陈明、林海", result="在办")
    decide(pet, world["chen"][1], True, "jijian", "网页")
    assert build_file(world["chen"][0]).shared == [Petition.objects.get(number="XF-4")]  # XF-5 settled for 陈明
    lin = Person.objects.get(staff_no="S09")
    assert [p.number for p in build_file(lin).shared] == ["XF-5"]  # 林海 is still to be confirmed
