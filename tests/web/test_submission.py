"""报送 pages: the leadership uploads or submits the signed report, the supervisor lists, sends back with a
comment the unit then sees, and downloads all reports of the period as one .zip."""

from __future__ import annotations

import zipfile
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fengqing.accounts.models import Role
from fengqing.submission.models import Submission


def test_upload_list_send_back_and_see_the_comment(world, login):
    own = world["own"]
    Submission.objects.all().update(returned_at="2023-07-01T00:00:00Z", comment="旧")  # start with none in force
    lead = login(world, Role.LEADERSHIP)
    page = reverse("web:submission", args=[own.id])
    response = lead.post(reverse("web:submission_submit", args=[own.id]) + "?period=2023H1",
                         {"kind": "upload", "file": SimpleUploadedFile("水务局报告.txt", "我局上半年的报告。".encode())},
                         follow=True)
    assert "已报送2023年上半年报告（第2次报送）" in response.content.decode()
    # the supervisor's list: 已报送 for the own unit, with the file
    sup = login(world, Role.SUPERVISOR)
    listing = sup.get(reverse("web:submissions"), {"period": "2023H1"}).content.decode()
    row = listing.split(own.name)[1].split("</tr>")[0]
    assert '<span class="pill green">已报送</span>' in row and "水务局报告.txt" in row
    assert "交通局" not in listing  # another unit is not the supervisor's
    # the .zip holds it
    z = zipfile.ZipFile(BytesIO(b"".join(sup.get(reverse("web:submissions_zip"), {"period": "2023H1"}).streaming_content)))
    assert [(n, z.read(n).decode()) for n in z.namelist()] == [
        (f"{own.name}/水务局-2023H1-报送第2版-水务局报告.txt", "我局上半年的报告。")]
    # sent back with a comment, which the unit's leadership then reads on its page
    sup.post(reverse("web:submission_return", args=[own.id]) + "?period=2023H1",
             {"comment": "请补充整改措施的完成时限", "next": "list"})
    unit_page = login(world, Role.LEADERSHIP).get(page, {"period": "2023H1"}).content.decode()
    assert "已退回" in unit_page and "退回意见：请补充整改措施的完成时限" in unit_page
    assert "上传并报送" in unit_page  # and may submit again


def test_submitting_the_signed_report_needs_a_signoff_and_clerks_may_not_submit(world, login):
    own = world["own"]
    Submission.objects.all().update(returned_at="2023-07-01T00:00:00Z", comment="旧")
    lead = login(world, Role.LEADERSHIP)
    response = lead.post(reverse("web:submission_submit", args=[own.id]) + "?period=2023H1", {"kind": "signed"},
                         follow=True)
    assert "2023年上半年报告尚未签发：请先签发，或上传在风清之外撰写的报告" in response.content.decode()
    assert login(world, Role.CLERK).post(reverse("web:submission_submit", args=[own.id]),
                                         {"kind": "signed"}).status_code == 403


def test_the_supervisor_is_told_why_a_deadline_is_refused(world, login):
    sup = login(world, Role.SUPERVISOR)
    url = reverse("web:submission_deadline") + "?period=2023H1"
    assert "请填写有效的报送截止日期" in sup.post(url, {"due": "七月中旬"}, follow=True).content.decode()
    page = sup.post(url, {"due": "2023-06-01"}, follow=True).content.decode()
    assert "报送截止日期不能早于2023年上半年的最后一天（2023年6月30日）" in page
    page = sup.post(url, {"due": "2023-07-15"}, follow=True).content.decode()
    assert "2023年上半年报告的报送截止日期设为2023年7月15日" in page


def test_a_report_sent_back_is_said_on_the_unit_s_dashboard_until_submitted_again(world, login):
    own = world["own"]
    Submission.objects.all().update(returned_at="2023-07-01T00:00:00Z", comment="旧")  # start with none in force
    dashboard = reverse("web:dashboard", args=[own.id])
    submit = reverse("web:submission_submit", args=[own.id]) + "?period=2023H1"

    def upload():
        login(world, Role.LEADERSHIP).post(submit, {"kind": "upload", "file": SimpleUploadedFile(
            "水务局报告.txt", "我局上半年的报告。".encode())})

    upload()
    assert "已被退回" not in login(world, Role.CLERK).get(dashboard, {"period": "2023H1"}).content.decode()
    login(world, Role.SUPERVISOR).post(reverse("web:submission_return", args=[own.id]) + "?period=2023H1",
                                       {"comment": "请补充整改措施的完成时限", "next": "list"})
    page = login(world, Role.CLERK).get(dashboard, {"period": "2023H1"}).content.decode()
    assert "2023年上半年报告已被退回" in page and "退回意见：请补充整改措施的完成时限" in page
    assert "已被退回" not in login(world, Role.CLERK).get(dashboard, {"period": "2023H2"}).content.decode()
    upload()  # submitted again
    assert "已被退回" not in login(world, Role.CLERK).get(dashboard, {"period": "2023H1"}).content.decode()


def test_withdrawing_a_submitted_sign_off_says_the_submission_stays_and_the_new_version_waits(world, login):
    own = world["own"]
    Submission.objects.all().update(returned_at="2023-07-01T00:00:00Z", comment="旧")  # start with none in force
    lead = login(world, Role.LEADERSHIP)
    report, h1 = reverse("web:report", args=[own.id]), "?period=2023H1"
    lead.post(reverse("web:signoff", args=[own.id]) + h1, {"date": "2023-06-30"})
    lead.post(reverse("web:submission_submit", args=[own.id]) + h1, {"kind": "signed"})
    submitted = Submission.objects.get(unit=own, returned_at__isnull=True)
    assert 'id="not-in-force"' not in lead.get(reverse("web:submission", args=[own.id]), {"period": "2023H1"}
                                               ).content.decode()  # the version submitted is the one in force
    page = lead.get(report, {"period": "2023H1"}).content.decode()
    assert f"本期报告已报送上级纪委（第{submitted.version}次报送），撤回签发不会撤回报送" in page
    lead.post(reverse("web:signoff_withdraw", args=[own.id]) + h1)
    state = lead.get(reverse("web:submission", args=[own.id]), {"period": "2023H1"}).content.decode()
    assert "报送的是签发的第1版，该版已撤回签发" in state
    lead.post(reverse("web:signoff", args=[own.id]) + h1, {"date": "2023-06-30"})
    state = lead.get(reverse("web:submission", args=[own.id]), {"period": "2023H1"}).content.decode()
    assert "报送的是签发的第1版，现行有效的签发为第2版。如需报送新的版本，请上级纪委先退回本次报送。" in state
