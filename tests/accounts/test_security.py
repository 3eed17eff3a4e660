"""等保 level 3 for people: password rules, forced change and expiry, idle and absolute session end, the second
factor, the atomic lock-out, the 三员 command line, and the audit entry of each security event."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pyotp
import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from fengqing.errors import AccountError
from django.db import connections
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from fengqing.accounts import audit, lockout
from fengqing.accounts.models import (
    Assignment, AuditEntry, Credential, LoginThrottle, PasswordHistory, Role, SecurityPolicy,
)
from tests.factories import forget_used_codes, second_factor

PASSWORD = "Fq-test-pass-2024"


def _user(name="clerk", role=Role.CLERK, password=PASSWORD):
    user = User.objects.create_user(name, password=password)
    Assignment.objects.create(user=user, role=role)
    return user


def _entries(action, **kw):
    audit.drain()  # the log as the auditor reads it: the log-in path's waiting entries chained first
    return AuditEntry.objects.filter(action=action, **kw)


# -- password rules --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("password,message", [
    ("Ab1-xyz", "至少 10 个字符"),           # 7 characters
    ("zqwmxnbvcl", "至少 3 类"),             # one class only (the example)
    ("abcdefgh12", "至少 3 类"),             # two classes
    ("Clerkclerk-2024", "用户名"),           # contains the user name
])
def test_password_rules_in_chinese(db, password, message):
    user = User(username="clerk")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    assert any(message in m for m in exc.value.messages), exc.value.messages


def test_a_password_of_three_classes_and_ten_characters_is_accepted(db):
    validate_password("Hx7-river-mouth", User(username="clerk"))  # raises if refused


def test_none_of_the_last_five_passwords(db):
    user = _user()
    used = [f"Hx7-river-{i}a" for i in range(6)]
    for p in used:
        validate_password(p, user)
        user.set_password(p)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    for p in used[1:]:  # the last five, the current one included
        with pytest.raises(ValidationError, match="最近 5 次"):
            validate_password(p, user)
    validate_password(used[0], user)  # six changes ago: allowed again


# -- the user's own password page, forced change, expiry -------------------------------------------------------

def test_every_user_changes_their_own_password_on_a_page_and_it_is_audited(db, client):
    user = _user()
    client.force_login(user)
    url = reverse("web:password")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"old_password": PASSWORD, "new_password1": "zqwmxnbvcl", "new_password2": "zqwmxnbvcl"})
    assert bad.status_code == 200 and "至少 3 类" in bad.content.decode()
    new = "Hx7-river-mouth"
    assert client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}).status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    ok = _entries("修改密码", outcome="成功").get()
    assert (ok.actor, ok.role) == ("clerk", "单位填报员") and new not in str(ok.after) and PASSWORD not in str(ok.after)
    assert _entries("修改密码", outcome="失败").count() == 1
    client.get("/")
    assert client.session["_auth_user_id"] == str(user.pk)  # still logged in: the session follows the password


def test_an_initial_password_must_be_changed_before_anything_else(db, client):
    user = _user()
    Credential.objects.create(user=user, must_change_password=True)
    client.force_login(user)
    for url in ("/", reverse("web:audit"), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("web:password"), url
    new = "Hx7-river-mouth"
    client.post(reverse("web:password"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert not Credential.objects.get(user=user).must_change_password
    assert client.get("/").status_code != 302 or client.get("/")["Location"] != reverse("web:password")


def test_an_expired_password_must_be_changed(db, client):
    user = _user()
    policy = SecurityPolicy.current()
    policy.password_max_age_days = 90
    policy.save()
    Credential.objects.create(user=user, password_changed_at=timezone.now() - timedelta(days=91))
    client.force_login(user)
    assert client.get("/")["Location"] == reverse("web:password")
    Credential.objects.filter(user=user).update(password_changed_at=timezone.now() - timedelta(days=89))
    assert client.get("/").get("Location") != reverse("web:password")


# -- sessions ----------------------------------------------------------------------------------------------------

def _age_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def test_a_session_ends_after_the_idle_time(db, client):
    _user()
    client.post(reverse("web:login"), {"username": "clerk", "password": PASSWORD})
    _age_session(client, fq_seen=29 * 60)
    client.get("/")
    assert "_auth_user_id" in client.session  # 29 minutes: still there
    _age_session(client, fq_seen=31 * 60)
    response = client.get("/u/1/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session
    out = _entries("退出").get()
    assert out.after == {"原因": "空闲超过 30 分钟"} and out.actor == "clerk"


def test_the_idle_time_is_the_security_policys(db, client):
    _user()
    SecurityPolicy.objects.update_or_create(pk=1, defaults={"idle_minutes": 5})
    client.post(reverse("web:login"), {"username": "clerk", "password": PASSWORD})
    _age_session(client, fq_seen=6 * 60)
    client.get("/")
    assert "_auth_user_id" not in client.session


def test_a_session_ends_eight_hours_after_log_in_however_busy(db, client):
    _user()
    client.post(reverse("web:login"), {"username": "clerk", "password": PASSWORD})
    _age_session(client, fq_login_at=8 * 3600 + 60, fq_seen=10)
    client.get("/")
    assert "_auth_user_id" not in client.session
    assert _entries("退出").get().after == {"原因": "会话已超过 8 小时"}


# -- second factor -------------------------------------------------------------------------------------------

def test_totp_enrolment_then_log_in_with_the_code(db, client):
    user = _user()
    client.force_login(user)
    page = client.get(reverse("web:totp")).content.decode()
    secret = Credential.objects.get(user=user).totp_secret
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page
    qr = client.get(reverse("web:totp_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert client.post(reverse("web:totp"), {"code": "000000"}).status_code == 200
    assert not Credential.objects.get(user=user).totp_confirmed
    assert client.post(reverse("web:totp"), {"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert Credential.objects.get(user=user).totp_confirmed
    assert _entries("绑定动态口令", actor="clerk").count() == 1
    client.logout()

    # log-in: the password is not enough any more
    response = client.post(reverse("web:login"), {"username": "clerk", "password": PASSWORD})
    assert response["Location"] == reverse("web:login_totp") and "_auth_user_id" not in client.session
    wrong = client.post(reverse("web:login_totp"), {"code": "123456"})
    assert "动态口令不正确" in wrong.content.decode() and "_auth_user_id" not in client.session
    assert _entries("登录失败").get().after == {"原因": "动态口令错误"}
    # the code of the previous 30 s step: enrolment used the current one, which may not be used twice
    code = pyotp.TOTP(secret).at(timezone.now() - timedelta(seconds=30))
    forget_used_codes(user.username)
    assert client.post(reverse("web:login_totp"), {"code": code}).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    client.post(reverse("web:login"), {"username": "clerk", "password": PASSWORD})
    replay = client.post(reverse("web:login_totp"), {"code": code})
    assert replay.status_code == 200 and "_auth_user_id" not in client.session


def test_the_three_administrators_must_enrol_the_second_factor(db, client):
    for role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR):
        client.force_login(_user(role.value, role))
        assert client.get("/")["Location"] == reverse("web:totp"), role
        assert client.get(reverse("web:totp")).status_code == 200


def test_the_security_policy_may_require_it_of_a_business_role(db, client):
    clerk, lead = _user(), _user("lead", Role.LEADERSHIP)
    SecurityPolicy.objects.update_or_create(pk=1, defaults={"totp_roles": [Role.CLERK.value]})
    client.force_login(clerk)
    assert client.get("/")["Location"] == reverse("web:totp")
    client.force_login(lead)
    assert client.get("/").get("Location") != reverse("web:totp")


# -- lock-out ------------------------------------------------------------------------------------------------

def _request(address="10.0.0.1"):
    return RequestFactory().post("/login/", REMOTE_ADDR=address)


def test_lockout_counts_per_name_and_address_and_is_audited(db, client):
    _user()
    for _ in range(5):
        assert authenticate(_request(), username="clerk", password="wrong") is None
    assert authenticate(_request(), username="clerk", password=PASSWORD) is None  # locked here
    assert authenticate(_request("10.0.0.2"), username="clerk", password=PASSWORD) is not None  # not there
    assert _entries("锁定", address="10.0.0.1").count() == 1
    reasons = list(_entries("登录失败").order_by("id").values_list("after", flat=True))
    assert reasons == [{"原因": "密码错误"}] * 5 + [{"原因": "账号已锁定"}]


def test_the_same_message_for_a_locked_name_that_does_not_exist(db, client):
    for _ in range(6):
        response = client.post(reverse("web:login"), {"username": "nobody", "password": "wrong"},
                               REMOTE_ADDR="10.0.0.9")
    assert "登录失败次数过多" in response.content.decode()
    assert _entries("登录失败", actor="nobody").first().after in ({"原因": "用户不存在"}, {"原因": "账号已锁定"})


def test_rows_of_names_that_stopped_failing_are_pruned(db):
    LoginThrottle.objects.create(username="ghost", address="10.0.0.5", failures=2,
                                 last_attempt=timezone.now() - timedelta(hours=1))
    lockout.reserve("someone", "10.0.0.6")
    lockout.failed("someone", "10.0.0.6")
    assert not LoginThrottle.objects.filter(username="ghost").exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_wrong_passwords_cannot_pass_the_limit():
    User.objects.create_user("target", password=PASSWORD)
    attempts, results = 30, []

    def attempt():
        try:
            results.append(authenticate(_request(), username="target", password=PASSWORD + "x"))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=attempt) for _ in range(attempts)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert results == [None] * attempts
    reasons = [e["原因"] for e in _entries("登录失败").values_list("after", flat=True)]
    checked, refused = reasons.count("密码错误"), reasons.count("账号已锁定")
    assert (checked, refused) == (5, attempts - 5)
    assert lockout.locked_until("target", "10.0.0.1") is not None
    # and the right password is refused too while locked
    assert authenticate(_request(), username="target", password=PASSWORD) is None


def test_the_secadmin_unlocks_and_it_is_audited(db, client):
    sec = _user("sec", Role.SECADMIN)
    second_factor(sec)
    _user()
    for _ in range(5):
        authenticate(_request(), username="clerk", password="wrong")
    row = LoginThrottle.objects.get(username="clerk")
    client.force_login(sec)
    url = reverse("admin:accounts_loginthrottle_delete", args=[row.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not LoginThrottle.objects.exists()
    e = _entries("解锁").get()
    assert (e.actor, e.object_id, e.after["客户端地址"]) == ("sec", "clerk", "10.0.0.1")
    assert authenticate(_request(), username="clerk", password=PASSWORD) is not None


# -- the three administrators on the command line ----------------------------------------------------------------

def test_admins_create_and_reset_on_the_command_line(db, client, capsys):
    call_command("admins", "create", "auditor", "shenji")
    out = capsys.readouterr().out
    password = out.split("一次性密码：")[1].split()[0]
    user = User.objects.get(username="shenji")
    assert user.assignment.role == Role.AUDITOR and user.check_password(password) and not user.is_superuser
    assert Credential.objects.get(user=user).must_change_password
    created = _entries("创建管理员").get()
    assert created.actor.startswith("命令行（") and created.object_id == "shenji" and created.role == "审计管理员"
    with pytest.raises(SystemExit):  # one account per administrator role
        call_command("admins", "create", "auditor", "shenji2")
    assert "已由“shenji”担任" in capsys.readouterr().err
    second_factor(user)
    call_command("admins", "reset-password", "auditor", "shenji", "--reset-totp")
    new = capsys.readouterr().out.split("一次性密码：")[1].split()[0]
    user.refresh_from_db()
    assert user.check_password(new) and not user.check_password(password)
    assert not Credential.objects.get(user=user).totp_confirmed
    assert _entries("重设密码", object_id="shenji").get().after["动态口令"].startswith("已解绑")
    with pytest.raises(SystemExit):
        call_command("admins", "create", "root", "x")


def test_createsuperuser_is_refused_once_the_three_exist(db):
    for role, name in (("sysadmin", "xitong"), ("secadmin", "anquan")):
        call_command("admins", "create", role, name)
    call_command("createsuperuser", username="boot", email="", interactive=False)  # not yet: two of three
    call_command("admins", "create", "auditor", "shenji")
    with pytest.raises(AccountError, match="三员"):
        call_command("createsuperuser", username="root", email="", interactive=False)
    assert not User.objects.filter(username="root").exists()


# -- the audit of the remaining event kinds ----------------------------------------------------------------------

def test_log_in_log_out_and_denied_requests_are_audited_once(db, client, caplog):
    _user()
    client.post(reverse("web:login"), {"username": "clerk", "password": "nope"}, REMOTE_ADDR="10.1.1.1")
    failed = _entries("登录失败").get()
    assert (failed.outcome, failed.after, failed.address) == ("失败", {"原因": "密码错误"}, "10.1.1.1")
    assert "nope" not in str(list(AuditEntry.objects.values_list("before", "after")))
    client.post(reverse("web:login"), {"username": "clerk", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    login = _entries("登录").get()
    assert (login.actor, login.role, login.address, login.outcome) == ("clerk", "单位填报员", "10.1.1.1", "成功")
    with caplog.at_level("WARNING"):
        assert client.get(reverse("web:audit")).status_code == 403
    denied = _entries("拒绝访问").get()
    assert (denied.actor, denied.role, denied.object_id, denied.outcome) == ("clerk", "单位填报员", "GET /audit/",
                                                                           "拒绝")
    lines = [r for r in caplog.records if "/audit/" in r.getMessage()]
    assert len(lines) == 1 and lines[0].exc_info is None and "clerk" in lines[0].getMessage()
    client.post(reverse("web:logout"))
    assert _entries("退出").get().after == {"原因": "本人退出"}


def test_role_assignment_and_policy_changes_are_audited(db, client):
    sec = _user("sec", Role.SECADMIN)
    second_factor(sec)
    newcomer = User.objects.create_user("newcomer", password=PASSWORD)
    client.force_login(sec)
    assert client.post(reverse("admin:accounts_assignment_add"),
                       {"user": newcomer.pk, "role": Role.CLERK.value, "units": []}).status_code == 302
    e = _entries("分配角色").get()
    assert (e.actor, e.object_id, e.after) == ("sec", "newcomer", {"角色": "单位填报员", "单位": []})
    SecurityPolicy.current()
    response = client.post(reverse("admin:accounts_securitypolicy_change", args=[1]), {
        "idle_minutes": 15, "password_max_age_days": 90, "max_failures": 5, "lock_minutes": 30,
        "totp_roles": [Role.DISCIPLINE.value]})
    assert response.status_code == 302
    p = _entries("修改安全策略").get()
    assert (p.before["idle_minutes"], p.after["idle_minutes"], p.after["totp_roles"]) == (30, 15, ["discipline"])


def test_entries_carry_role_and_address_of_the_request(db, client):
    with audit.acting("单位填报员", "192.0.2.7"):
        audit.event("clerk", "网页", AuditEntry.EXPORT, "记录", "x")
    e = AuditEntry.objects.get()
    assert (e.role, e.address) == ("单位填报员", "192.0.2.7")


def test_an_account_that_never_changed_its_password_expires_from_its_creation(db, client):
    user = _user()
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=100))
    SecurityPolicy.objects.update_or_create(pk=1, defaults={"password_max_age_days": 90})
    client.force_login(user)
    assert client.get("/")["Location"] == reverse("web:password")
