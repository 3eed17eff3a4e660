"""The 党风廉政意见回复: each person's facts over the window, the proposal, confirmation, the letter's layout.
Expected texts are written out by hand from the records of conftest.py."""

from __future__ import annotations

import json
from io import BytesIO

import docx
import pytest

from fengqing.accounts.models import AuditEntry
from fengqing.dossier.api import write_letter
from fengqing.dossier.letter import confirm, draft, letter_document
from fengqing.dossier.links import decide
from fengqing.dossier.models import OpinionRules, Reply
from fengqing.errors import DossierError
from fengqing.ledger.models import Petition
from tests.factories import D
from tests.report.test_pdf import text_of

NONE_FORMS, NONE_TALKS, NONE_PETITIONS = ("未发现其受到第二至第四种形态处理", "未发现其受到诫勉、提醒谈话",
                                          "未发现反映其问题的信访举报")


def _opinion(world, name):
    batch = draft(world["unit"], world["requests"][name].pk)
    return batch, next(o for o in batch.opinions if o.person.name == name)


def _texts(opinion):
    return {c.code: [f.text for f in c.findings] for c in opinion.checks.checks}


def test_a_clean_person_gets_three_statements_of_nothing_found_and_agreement(world):
    _, o = _opinion(world, "李清")
    assert (o.checks.start, o.checks.end) == (D(2020, 11, 30), D(2023, 11, 30))
    # the 诫勉 of 2023-12-01 is after the request date: not read
    assert _texts(o) == {"forms": [], "talks": [], "petitions": [], "promotions": []}
    assert o.proposed == "同意" and o.reply is None


def test_a_handling_inside_the_window_is_stated_and_one_outside_is_not(world):
    _, o = _opinion(world, "王二")
    assert _texts(o)["forms"] == ["2022年3月1日受到第二种形态处理（党内警告处分），影响期至2023年3月1日"]
    assert o.checks.triggered == {"light_form"} and o.proposed == "同意"


def test_a_handling_within_its_influence_period_proposes_deferral(world):
    _, o = _opinion(world, "赵四")
    assert _texts(o)["forms"] == ["2023年1月10日受到第二种形态处理（党内严重警告处分），影响期至2024年7月10日，"
                                  "截至征求意见之日尚未届满"]
    assert o.proposed == "暂缓"


def test_a_third_form_in_the_window_proposes_disagreement(world):
    _, o = _opinion(world, "孙五")
    assert _texts(o)["forms"] == ["2021年5月1日受到第三种形态处理（降级处分），影响期至2023年5月1日"]
    assert o.checks.triggered == {"heavy_form"} and o.proposed == "不同意"


def test_a_pending_petition_proposes_deferral_and_a_later_one_is_ignored(world):
    _, o = _opinion(world, "周六")
    assert _texts(o)["petitions"] == [
        "2022年2月1日收到反映其问题的信访举报（编号XF-2），2022年5月1日办结，办理结果为不属实",
        "2023年10月1日收到反映其问题的信访举报（编号XF-1），截至征求意见之日仍在办理"]
    assert o.proposed == "暂缓"


def test_a_promotion_missing_a_check_is_stated(world):
    _, o = _opinion(world, "吴七")
    assert _texts(o)["promotions"] == ["2022年6月1日提拔时，“凡提四必”中个人事项必核未执行"]
    assert _texts(o)["talks"] == ["2023年4月6日受到提醒谈话"]
    assert o.checks.triggered == {"promotion_checks", "talk"} and o.proposed == "同意"


def test_a_shared_name_is_not_linked_until_the_group_confirms(world):
    chen = world["chen"]
    _, o = _opinion(world, "陈明")
    assert _texts(o)["petitions"] == ["另有1件信访举报的反映对象为“陈明”，因本单位有同名人员，尚未确认是否反映其本人"]
    assert o.proposed == "暂缓"
    decide(Petition.objects.get(number="XF-4"), chen[0], True, "jijian", "网页")
    _, o = _opinion(world, "陈明")
    assert _texts(o)["petitions"] == ["2023年6月1日收到反映其问题的信访举报（编号XF-4），截至征求意见之日仍在办理"]


def test_the_rules_are_the_groups_to_change(world):
    OpinionRules.objects.create(unit=world["unit"], window_years=1, conclusions={"promotion_checks": "暂缓"})
    _, o = _opinion(world, "吴七")
    # a one-year window (2022-11-30 …) leaves the 2022-06-01 promotion out; the 提醒谈话 stays
    assert o.checks.start == D(2022, 11, 30)
    assert _texts(o)["promotions"] == [] and o.proposed == "同意"
    OpinionRules.objects.filter(unit=world["unit"]).update(window_years=3)
    assert _opinion(world, "吴七")[1].proposed == "暂缓"
    _, o = _opinion(world, "王二")
    assert o.proposed == "同意"


def test_confirming_another_conclusion_needs_a_reason_and_is_recorded(world):
    u, request = world["unit"], world["requests"]["赵四"]
    with pytest.raises(DossierError, match="须填写理由"):
        confirm(u, request.pk, "同意", "", "jijian", "网页")
    assert not Reply.objects.exists()
    reply = confirm(u, request.pk, "不同意", "影响期内且另有问题线索", "jijian", "网页")
    assert (reply.proposed, reply.conclusion, reply.reason) == ("暂缓", "不同意", "影响期内且另有问题线索")
    request.refresh_from_db()
    assert request.conclusion == "不同意"  # the ledger now holds what was replied
    logged = AuditEntry.objects.filter(model__in=["党风廉政意见回复", "廉政意见"]).values_list("model", "action")
    assert sorted(logged) == [("党风廉政意见回复", "新增"), ("廉政意见", "修改")]
    _, o = _opinion(world, "赵四")
    assert o.conclusion == "不同意" and o.proposed == "暂缓"


def test_the_batch_is_one_letter_with_a_paragraph_per_person(world):
    batch = draft(world["unit"], world["requests"]["王二"].pk)
    assert [o.person.name for o in batch.opinions] == ["李清", "王二", "赵四", "孙五", "周六", "吴七"]
    doc, persons = letter_document(batch, D(2023, 12, 5))
    assert doc.title_text == "关于李清等6名同志党风廉政意见的回复"
    texts = [b for b in doc.blocks if b.type == "paragraph"]
    assert texts[0].indent is False and "".join(r.text for r in texts[0].runs) == "中共河川市水务局党组："
    first = "".join(r.text for r in texts[2].runs)
    assert first == (f"1．李清同志（办公室科员）：经查，{NONE_FORMS}；{NONE_TALKS}；{NONE_PETITIONS}。"
                     "综上，同意其提拔任用。")
    fourth = "".join(r.text for r in texts[5].runs)
    assert fourth.endswith("综上，不同意其提拔任用。")
    closing = doc.blocks[-1]
    assert (closing.signer, closing.date) == ("驻局纪检监察组", "2023年12月5日")
    # every statement names its records; 未发现 names none and carries its window
    facts = {f["id"]: f for f in doc.facts}
    assert facts["1.forms"]["records"] == [] and facts["1.forms"]["window"] == ["2020-11-30", "2023-11-30"]
    assert facts["2.forms"]["records"] == [f"discipline:{_discipline_id(world)}"]
    assert persons[4]["rules"] == [{"code": "petition_pending", "text": "有反映其问题、截至征求意见之日仍在办理的信访举报",
                                    "conclusion": "暂缓"}]


def _discipline_id(world):
    from fengqing.ledger.models import Discipline

    return Discipline.objects.get(subject=world["people"]["王二"], date=D(2022, 3, 1)).pk


def test_the_letter_in_word_json_and_the_audit_log(world):
    batch, _, out = write_letter(world["unit"], world["requests"]["陈明"].pk, ["docx", "json"], "jijian", "网页",
                              D(2023, 12, 1))
    data = json.loads(out["json"])
    assert data["title"] == "关于陈明同志党风廉政意见的回复"
    assert data["window"] == {"years": 3, "start": "2020-11-20", "end": "2023-11-20"}
    assert data["persons"][0]["proposed"] == "暂缓" and data["persons"][0]["confirmed"] is False
    unsure = Petition.objects.get(number="XF-4")
    assert data["persons"][0]["checks"][2]["found"][0]["records"] == [f"petition:{unsure.pk}"]
    d = docx.Document(BytesIO(out["docx"]))
    paras = [p for p in d.paragraphs if p.text]
    assert paras[0].text == "关于陈明同志党风廉政意见的回复"
    assert paras[-2].text == "驻局纪检监察组" and paras[-1].text == "2023年12月1日"
    assert paras[-1].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    # GB/T 9704: the date (6.5 characters wide) two characters in; the signer (7) starts two characters left of
    # the date's start, so it ends 2 + 6.5 + 2 − 7 = 3.5 characters in
    right = [p._p.pPr.ind.get(docx.oxml.ns.qn("w:rightChars")) for p in paras[-2:]]
    assert right == ["350", "200"]
    entry = AuditEntry.objects.get(action="生成")
    assert (entry.model, entry.actor, entry.unit_name) == ("党风廉政意见回复", "jijian", "河川市水务局")


def test_unknown_request_is_a_clear_error(world):
    with pytest.raises(DossierError, match="没有编号为“99999”的廉政意见记录"):
        draft(world["unit"], 99999)


def test_the_letter_as_pdf(world, tmp_path):
    _, _, out = write_letter(world["unit"], world["requests"]["李清"].pk, ["docx", "pdf"], "jijian", "网页",
                          D(2023, 12, 5))
    path = tmp_path / "letter.pdf"
    path.write_bytes(out["pdf"])
    text = text_of(path)
    assert "关于李清等6名同志党风廉政意见的回复" in text
    assert "1．李清同志（办公室科员）：经查，未发现其受到第二至第四种形态处理" in text
    assert "特此函复。驻局纪检监察组2023年12月5日—2—" in text  # 落款 and date, then the page number
