"""The web pages of the 廉政档案 and the 党风廉政意见: who sees what, the confirmation and rules forms, the
register's state and time taken, the audit of every opening."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from fengqing.accounts.models import Assignment, AuditEntry, Role
from fengqing.dossier.models import OpinionRules, Reply
from fengqing.ledger.models import Discipline, Petition


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def as_role(world, client):
    def login(role):
        user = User.objects.create_user(f"u-{role.value}")
        Assignment.objects.create(user=user, role=role).units.set([world["unit"]])
        client.force_login(user)
        return client
    return login


def test_the_file_page_shows_the_records_and_is_audited(world, as_role):
    c = as_role(Role.LEADERSHIP)
    wu = world["people"]["吴七"]
    page = c.get(reverse("web:dossier", args=[world["unit"].pk, wu.pk])).content.decode()
    assert "吴七同志廉政档案" in page and "提拔（“凡提四必”未执行：个人事项必核）" in page
    assert AuditEntry.objects.filter(action="查阅", object_id=str(wu.pk), actor="u-leadership").count() == 1
    assert AuditEntry.objects.get(action="查阅", object_id=str(wu.pk)).after["formats"] == ["网页"]
    # the page lists no records, so its figures link nowhere (no dangling #f- anchors)
    assert 'href="#f-' not in page and "<body>" not in page.split("吴七同志廉政档案")[1]
    data = json.loads(c.get(reverse("web:dossier_download", args=[world["unit"].pk, wu.pk, "json"])).content)
    assert data["person"]["姓名"] == "吴七"
    assert AuditEntry.objects.filter(action="查阅", object_id=str(wu.pk)).count() == 2


def test_a_clerk_may_not_open_a_file(world, as_role):
    c = as_role(Role.CLERK)
    assert c.get(reverse("web:dossier", args=[world["unit"].pk, world["people"]["王二"].pk])).status_code == 403
    assert c.get(reverse("web:opinions", args=[world["unit"].pk])).status_code == 403
    assert "廉政档案" not in c.get(reverse("web:dashboard", args=[world["unit"].pk])).content.decode()
    assert not AuditEntry.objects.filter(action="查阅").exists()


def test_the_register_shows_state_and_days_taken(world, as_role):
    request = world["requests"]["周六"]
    Reply.objects.create(unit=world["unit"], request=request, proposed="暂缓", conclusion="暂缓", decided_by="x",
                         decided_at=datetime(2023, 12, 6, 2, 0, tzinfo=UTC))  # 10:00 in Asia/Shanghai
    c = as_role(Role.SUPERVISOR)
    url = reverse("web:opinions", args=[world["unit"].pk])
    page = c.get(url).content.decode()
    assert page.count("待回复</span>") == 6 and page.count("已回复</span>") == 1
    assert "6 天" in page  # 2023-11-30 → 2023-12-06
    replied = c.get(url + "?state=已回复").content.decode()
    assert "周六" in replied and "李清" not in replied


def test_the_group_confirms_a_conclusion_and_only_the_group(world, as_role, client):
    u, request = world["unit"], world["requests"]["赵四"]
    url = reverse("web:opinion_confirm", args=[u.pk, request.pk])
    lead = as_role(Role.LEADERSHIP)
    assert lead.post(url, {"request": request.pk, "conclusion": "暂缓"}).status_code == 403
    disc = as_role(Role.DISCIPLINE)
    page = disc.post(url, {"request": request.pk, "conclusion": "同意"}, follow=True).content.decode()
    assert "规则建议“暂缓”，改为“同意”须填写理由" in page and not Reply.objects.exists()
    disc.post(url, {"request": request.pk, "conclusion": "暂缓"})
    reply = Reply.objects.get(request=request)
    assert (reply.conclusion, reply.decided_by) == ("暂缓", "u-discipline")
    letter = disc.get(reverse("web:opinion", args=[u.pk, request.pk])).content.decode()
    assert "关于李清等6名同志党风廉政意见的回复" in letter and "已确认：暂缓" in letter
    # the statement links to its record in the page's 数据来源 list; a 未发现 lists none
    handling = Discipline.objects.get(subject=world["people"]["赵四"])
    assert (f'<li id="f-3.forms">2023年1月10日受到第二种形态处理（党内严重警告处分），影响期至2024年7月10日，'
            f'截至征求意见之日尚未届满：四种形态#{handling.pk}</li>') in letter
    assert '<li id="f-1.forms">未发现其受到第二至第四种形态处理：—</li>' in letter
    assert 'style="text-indent: 0; text-align: right; padding-right: 2em">' in letter  # the date, right-aligned
    # the page was shown after the refused confirmation (follow=True) and once more above: read, not written
    assert AuditEntry.objects.filter(action="查阅", model="党风廉政意见回复").count() == 2
    disc.get(reverse("web:opinion_download", args=[u.pk, request.pk, "docx"]))
    assert AuditEntry.objects.filter(action="生成", model="党风廉政意见回复").count() == 1


def test_the_rules_page_reads_for_all_and_changes_for_the_group(world, as_role):
    u = world["unit"]
    url = reverse("web:opinion_rules", args=[u.pk])
    form = {"window_years": "2", "influence": "警告=6\n开除=长期", **{f"rule_{c}": v for c, v in (
        ("heavy_form", "不同意"), ("influence", "暂缓"), ("light_form", "暂缓"), ("admonition", "暂缓"),
        ("talk", "同意"), ("petition_pending", "暂缓"), ("petition_substantiated", "暂缓"),
        ("petition_unconfirmed", "暂缓"), ("promotion_checks", "同意"))}}
    sup = as_role(Role.SUPERVISOR)
    assert "查阅年限" in sup.get(url).content.decode()
    assert sup.post(url, form).status_code == 403
    disc = as_role(Role.DISCIPLINE)
    bad = disc.post(url, {**form, "influence": "警告=半年"}).content.decode()
    assert "影响期第1行的月数“半年”应为整数或“长期”" in bad and not OpinionRules.objects.exists()
    disc.post(url, form)
    rules = OpinionRules.objects.get(unit=u)
    assert (rules.window_years, rules.influence, rules.conclusions["light_form"]) == (2, {"警告": 6, "开除": None},
                                                                                    "暂缓")
    # 王二's 党内警告 of 2022-03-01 is now in a 2-year window with a 6-month influence: light_form → 暂缓
    page = disc.get(reverse("web:opinion", args=[u.pk, world["requests"]["王二"].pk])).content.decode()
    assert "2022年3月1日受到第二种形态处理（党内警告处分），影响期至2022年9月1日" in page
    assert AuditEntry.objects.filter(model="党风廉政意见规则", action="新增").count() == 1


def test_the_group_settles_a_shared_name_on_the_links_page(world, as_role):
    u = world["unit"]
    first, second = world["chen"]
    pet = Petition.objects.get(number="XF-4")
    disc = as_role(Role.DISCIPLINE)
    page = disc.get(reverse("web:petition_links", args=[u.pk])).content.decode()
    assert page.count("同名待确认") == 2 and "XF-1" not in page  # only the open ones by default
    disc.post(reverse("web:petition_link", args=[u.pk]), {"petition": pet.pk, "person": second.pk, "linked": "1"})
    assert "XF-4" in disc.get(reverse("web:dossier", args=[u.pk, second.pk])).content.decode()
    assert "同名待确认" not in disc.get(reverse("web:petition_links", args=[u.pk])).content.decode()
