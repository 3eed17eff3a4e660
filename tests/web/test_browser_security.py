"""三员 and authentication in a real browser (Debian's Chromium through Playwright): the sysadmin creates a
business user, the secadmin gives it a role, the user must change the initial password, the auditor sees it all
in a chain that verifies; each administrator logs in with the second factor; pages obey the CSP."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import expect

from fengqing.accounts.models import Assignment, Role
from tests.factories import TOTP_SECRET, forget_used_codes
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _admin_log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/admin/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    expect(page.locator("h1")).to_have_text("动态口令")
    forget_used_codes(username)
    page.fill("input[name=code]", pyotp.TOTP(TOTP_SECRET).now())
    page.click("button:has-text('确认')")
    expect(page).to_have_url(f"{live_server.url}/admin/")


def _log_out_of_admin(page):
    page.click("#logout-form button")


def test_the_three_administrators_and_a_new_user(world, page, live_server):
    own = world["own"]
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    # the sysadmin creates a business user; the three administrators are not in the list
    _admin_log_in(page, live_server, "sysadmin")
    page.goto(f"{live_server.url}/admin/auth/user/")
    listed = page.locator("#result_list").inner_text()
    assert "clerk" in listed and "auditor" not in listed and "secadmin" not in listed
    page.goto(f"{live_server.url}/admin/auth/user/add/")
    page.fill("input[name=username]", "xiaoli")
    page.fill("input[name=password1]", "Hx7-first-pass")
    page.fill("input[name=password2]", "Hx7-first-pass")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("xiaoli")
    _log_out_of_admin(page)

    # the new user has no access until a role is assigned
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "xiaoli")
    page.fill("input[name=password]", "Hx7-first-pass")
    page.click("button:has-text('登录')")
    expect(page.locator("h1")).to_have_text("修改密码")  # the initial password first
    page.fill("input[name=old_password]", "Hx7-first-pass")
    page.fill("input[name=new_password1]", "xiaoli-Pass-2025")
    page.fill("input[name=new_password2]", "xiaoli-Pass-2025")
    page.click("button:has-text('修改密码')")
    expect(page.locator("main")).to_contain_text("密码不能包含用户名")
    page.fill("input[name=old_password]", "Hx7-first-pass")
    page.fill("input[name=new_password1]", "Hx7-second-pass")
    page.fill("input[name=new_password2]", "Hx7-second-pass")
    page.click("button:has-text('修改密码')")
    expect(page.locator("main")).to_contain_text("未分配角色")
    page.click("button:has-text('退出')")

    # the secadmin assigns the role and the unit
    _admin_log_in(page, live_server, "secadmin")
    page.goto(f"{live_server.url}/admin/accounts/assignment/add/")
    page.select_option("select[name=user]", label="xiaoli")
    options = page.locator("select[name=role] option").all_inner_texts()
    assert "系统管理员" not in options and "审计管理员" not in options
    page.select_option("select[name=role]", label="单位填报员")
    page.select_option("select#id_units_from", label=own.name)
    page.click("#id_units_add")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("xiaoli")
    _log_out_of_admin(page)
    assert Assignment.objects.get(user__username="xiaoli").role == Role.CLERK

    # now the user works in their unit
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "xiaoli")
    page.fill("input[name=password]", "Hx7-second-pass")
    page.click("button:has-text('登录')")
    expect(page).to_have_url(f"{live_server.url}/u/{own.id}/")
    page.click("button:has-text('退出')")

    # the auditor finds the assignment and the password change, and the chain holds
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "auditor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    forget_used_codes("auditor")
    page.fill("input[name=code]", pyotp.TOTP(TOTP_SECRET).now())
    page.click("button:has-text('确认')")
    page.goto(f"{live_server.url}/audit/?action=分配角色")
    expect(page.locator("table.audit > tbody")).to_contain_text("secadmin")
    expect(page.locator("table.audit > tbody")).to_contain_text("xiaoli")
    page.goto(f"{live_server.url}/audit/?actor=xiaoli&action=修改密码")
    expect(page.locator("table.audit > tbody > tr")).to_have_count(2)  # one refused, one done
    page.click("text=校验哈希链")
    expect(page.locator(".messages")).to_contain_text("哈希链完整")
    assert violations == []


def test_locked_after_five_wrong_passwords_with_the_same_message_everywhere(world, page, live_server):
    for _ in range(5):
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "clerk")
        page.fill("input[name=password]", "wrong-password")
        page.click("button:has-text('登录')")
    page.goto(f"{live_server.url}/admin/")  # the admin site's log-in is the same page
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    expect(page.locator(".error")).to_contain_text("登录失败次数过多")


def test_error_pages_are_chinese_without_detail(world, page, live_server):
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404 and response.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("h1")).to_have_text("页面不存在")
