"""The 党风廉政意见 in a real browser (Debian's Chromium through Playwright): the discipline group opens a
request from the register, changes the proposed conclusion with a reason, and the register shows it replied."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from fengqing.accounts.models import Assignment, Role
from fengqing.dossier.models import Reply

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Fq-test-pass-2024"


def test_the_group_changes_a_proposal_with_a_reason(world, page, live_server):
    user = User.objects.create_user("jijian", password=PASSWORD)
    Assignment.objects.create(user=user, role=Role.DISCIPLINE).units.set([world["unit"]])
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "jijian")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    page.click("nav.main >> text=廉政档案")
    expect(page.locator("#register")).to_contain_text("待回复")
    page.click("#register >> text=孙五")
    expect(page.locator("#letter")).to_contain_text("不同意其提拔任用")
    box = page.locator(".opinion", has_text="孙五")
    expect(box).to_contain_text("规则建议：不同意")
    box.locator("select[name=conclusion]").select_option("暂缓")
    box.locator("input[name=reason]").fill("降级处分影响期已满，待考察期结束后再议")
    box.locator("button:has-text('确认')").click()
    expect(page.locator(".messages")).to_contain_text("已确认孙五的结论：暂缓")
    expect(page.locator("#letter")).to_contain_text("建议暂缓其提拔任用")
    reply = Reply.objects.get(request=world["requests"]["孙五"])
    assert (reply.proposed, reply.conclusion, reply.reason) == ("不同意", "暂缓", "降级处分影响期已满，待考察期结束后再议")
    page.goto(f"{live_server.url}/u/{world['unit'].pk}/opinions/?state=已回复")
    expect(page.locator("#register tbody tr")).to_have_count(1)
    expect(page.locator("#register")).to_contain_text("孙五")
