"""The application in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import re
from datetime import date

import pyotp
import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from fengqing.accounts.models import THREE_ROLES, Assignment, Role
from fengqing.ledger.models import Study, Talk
from fengqing.rectify.models import Measure
from tests.factories import TOTP_SECRET, forget_used_codes, person
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button:has-text('登录')")
    if Role(username) in THREE_ROLES:  # enrolled by the world fixture: the second step asks for the code
        forget_used_codes(username)
        page.fill("input[name=code]", pyotp.TOTP(TOTP_SECRET).now())
        page.click("button:has-text('确认')")
    expect(page.locator(".who .user")).to_contain_text(Role(username).label)


def _report_talks(page, live_server, unit) -> str:
    page.goto(f"{live_server.url}/u/{unit.id}/report/?period=2023H1")
    return page.locator("#report").inner_text()


def test_clerk_adds_an_integrity_talk_and_sees_the_report_and_indicator_change(world, page, live_server):
    own = world["own"]
    newcomer = person(own, "李四")  # not yet talked to: coverage is 1 of 2
    log_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/u/{own.id}/?period=2023H1")
    coverage = page.locator("#ind-integrity_talk_coverage .value")
    expect(coverage).to_have_text("50.0%")
    assert re.search(r"廉洁纪律谈话\s*1\s*人", _report_talks(page, live_server, own))

    page.goto(f"{live_server.url}/u/{own.id}/records/talk/?period=2023H1")
    page.click("text=新增谈话")
    page.fill("input[name=date]", "2023-05-06")
    page.select_option("select[name=subject]", str(newcomer.pk))
    page.select_option("select[name=kind]", "廉洁纪律谈话")
    page.fill("input[name=talker]", "党组书记")
    page.click("button:has-text('保存')")
    expect(page.locator(".messages")).to_contain_text("已新增谈话记录")
    expect(page.locator("table.grid")).to_contain_text("李四")
    assert Talk.objects.filter(unit=own, subject=newcomer, kind="廉洁纪律谈话").count() == 1

    assert re.search(r"廉洁纪律谈话\s*2\s*人", _report_talks(page, live_server, own))
    page.goto(f"{live_server.url}/u/{own.id}/?period=2023H1")
    expect(coverage).to_have_text("100.0%")


def test_a_bad_workbook_shows_the_error_list_and_imports_nothing(world, page, live_server, tmp_path):
    own = world["own"]
    wb = Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(["单位名称", "单位简称", "党组织名称"])
    ws.append([own.name, own.short_name, own.party_org_name])
    study = wb.create_sheet("学习")
    study.append(["日期", "类型", "主题"])
    study.append(["2023年2月30日", "党组理论学习中心组", "坏日期"])
    study.append(["2023-03-01", "党组理论学习中心组", ""])
    path = tmp_path / "坏工作簿.xlsx"
    wb.save(path)
    before = Study.objects.count()

    log_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/u/{own.id}/transfer/")
    page.set_input_files("input[name=workbook]", str(path))
    page.click("button:has-text('上传并预览')")
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("未导入任何记录")
    expect(errors.locator("tbody tr")).to_have_count(2)
    expect(errors).to_contain_text("2023年2月30日")
    expect(page.locator("#import-preview")).to_have_count(0)
    assert Study.objects.count() == before


def test_supervisor_sees_the_ranking(world, page, live_server):
    Assignment.objects.get(role=Role.SUPERVISOR).units.set([world["own"], world["other"]])
    log_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/overview/?period=2023H1")
    rows = page.locator("#ranking tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td").nth(0)).to_have_text("1")
    expect(page.locator("#ranking")).to_contain_text("河川市水务局")
    expect(page.locator("#ranking")).to_contain_text("河川市交通局")
    expect(page.locator("#ranking td.score").first).to_have_attribute("style", re.compile(r"background:#[0-9a-f]{6}"))
    page.click("#ranking thead >> text=单位")  # sorted by name: 交通局 before 水务局
    expect(rows.nth(0)).to_contain_text("河川市交通局")
    page.click("#ranking >> text=河川市交通局")  # drill down
    expect(page.locator("h1")).to_contain_text("河川市交通局")


def test_auditor_finds_the_clerks_change(world, page, live_server):
    own = world["own"]
    log_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/u/{own.id}/records/study/new/")
    page.fill("input[name=date]", "2023-04-08")
    page.select_option("select[name=kind]", "专题读书班")
    page.fill("input[name=topic]", "读书班第一期")
    page.click("button:has-text('保存')")
    expect(page.locator(".messages")).to_contain_text("已新增学习记录")
    page.click("button:has-text('退出')")

    log_in(page, live_server, "auditor")
    page.goto(f"{live_server.url}/audit/")
    page.fill("input[name=actor]", "clerk")
    page.fill("input[name=object]", "学习")
    page.click("button:has-text('查找')")
    row = page.locator("table.audit > tbody > tr").first
    expect(row).to_contain_text("clerk")
    expect(row).to_contain_text("新增")
    row.locator("summary").click()
    expect(row.locator("table.diff")).to_contain_text("读书班第一期")


def test_leadership_signs_off_the_report_and_withdraws_it(world, page, live_server):
    own = world["own"]
    log_in(page, live_server, "leadership")
    page.goto(f"{live_server.url}/u/{own.id}/report/?period=2023H1")
    expect(page.locator("#report")).to_contain_text("政治生态分析研判情况的报告")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#signoff button:has-text('签发')")
    expect(page.locator("#signoff")).to_contain_text("已签发（单位领导，")
    expect(page.locator(".narratives textarea")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#signoff button:has-text('撤回签发')")
    expect(page.locator("#signoff")).to_contain_text("未签发")
    expect(page.locator(".narratives textarea").first).to_be_attached()


def test_leadership_signs_the_report_at_the_date_it_previews(world, page, live_server):
    """One 成文日期 on the page: the one the preview is at is the one signed, and the confirmation says it."""
    own = world["own"]
    log_in(page, live_server, "leadership")
    page.goto(f"{live_server.url}/u/{own.id}/report/?period=2023H1")
    expect(page.locator("input[type=date]")).to_have_count(1)
    page.fill(".periodpick input[name=date]", "2023-07-15")
    page.click(".periodpick button:has-text('查看')")  # the preview at that date
    expect(page).to_have_url(re.compile(r"date=2023-07-15"))
    asked = []
    page.once("dialog", lambda dialog: asked.append(dialog.message) or dialog.accept())
    page.click("#signoff button:has-text('签发')")
    expect(page.locator("#signoff")).to_contain_text("成文日期2023年7月15日）")
    assert "按成文日期2023年7月15日签发" in asked[0]


def test_leadership_uploads_the_report_and_the_supervisor_sends_it_back(world, page, live_server, tmp_path):
    own = world["own"]
    from fengqing.submission.models import Submission

    Submission.objects.all().update(returned_at="2023-07-01T00:00:00Z", comment="旧")  # none in force
    report = tmp_path / "水务局报告.txt"
    report.write_text("我局2023年上半年政治生态分析研判报告。", "utf-8")
    log_in(page, live_server, "leadership")
    page.goto(f"{live_server.url}/u/{own.id}/submission/?period=2023H1")
    page.set_input_files("input[name=file]", str(report))
    page.click("button:has-text('上传并报送')")
    expect(page.locator(".messages")).to_contain_text("已报送2023年上半年报告")

    page.context.clear_cookies()
    log_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/submissions/?period=2023H1")
    row = page.locator("#submissions tr", has_text=own.name)
    expect(row.locator(".pill")).to_have_text("已报送")
    row.locator("input[name=comment]").fill("请补充问题清单")
    page.once("dialog", lambda d: d.accept())
    row.locator("button:has-text('退回')").click()
    expect(page.locator(".messages")).to_contain_text("已退回")
    expect(page.locator("#submissions tr", has_text=own.name).locator(".pill")).to_have_text("未报送")

    page.context.clear_cookies()
    log_in(page, live_server, "leadership")
    page.goto(f"{live_server.url}/u/{own.id}/submission/?period=2023H1")
    expect(page.locator("#versions")).to_contain_text("退回意见：请补充问题清单")


def test_clerk_filters_sorts_and_exports_a_standing_register(world, page, live_server, tmp_path):
    from openpyxl import load_workbook

    own = world["own"]
    person(own, "王退休", status="退休", status_date=date(2019, 5, 1))
    person(own, "李调出", status="调出", status_date=date(2023, 2, 1))
    log_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/u/{own.id}/records/person/")
    table = page.locator("#records tbody tr")
    expect(table).to_have_count(3)  # everyone, whatever the period
    expect(page.locator("#period-note")).to_have_count(0)
    page.select_option("#filters select[name=status]", "退休")
    page.click("#filters button:has-text('筛选')")
    expect(table).to_have_count(1)
    expect(table.first).to_contain_text("王退休")
    page.select_option("#filters select[name=status]", "")
    page.click("#filters button:has-text('筛选')")
    page.click("#records th >> text=姓名")  # ascending by name, then descending
    page.click("#records th >> text=姓名")
    expect(page.locator("#records th >> text=姓名")).to_contain_text("↓")
    names = [t.strip() for t in page.locator("#records tbody tr td:nth-child(2)").all_inner_texts()]
    assert names == sorted(["张三", "王退休", "李调出"], reverse=True)
    page.select_option("#filters select[name=status]", "调出")
    page.click("#filters button:has-text('筛选')")
    with page.expect_download() as download:
        page.click("#export")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "水务局-人员-全部-筛选.xlsx"
    rows = list(load_workbook(path, read_only=True)["人员"].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["李调出"]


def test_a_dated_register_says_which_period_it_shows(world, page, live_server):
    own = world["own"]
    Study.objects.create(unit=own, date=date(2022, 9, 1), kind="其他", topic="去年的学习")
    log_in(page, live_server, "leadership")
    page.goto(f"{live_server.url}/u/{own.id}/records/study/?period=2023H1")
    expect(page.locator("#period-note")).to_contain_text("显示2023年上半年的记录（按“日期”），共 1 条；全部期间共 2 条。")
    expect(page.locator("#filters select[name=period] option:checked")).to_have_text("2023年上半年")
    page.click("#period-note >> text=查看全部期间")
    expect(page.locator("#records tbody tr")).to_have_count(2)
    page.click("#records tbody tr >> nth=0 >> td >> nth=0 >> a")  # the leadership reads it, not edits
    expect(page.locator("#record")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("只读")
    expect(page.locator("form.record")).to_have_count(0)


def test_print_shows_the_content_only_with_the_unit_and_period(world, page, live_server):
    own = world["own"]
    page.add_init_script("window.print = function () { window.__printed = true; };")
    log_in(page, live_server, "leadership")
    page.goto(f"{live_server.url}/u/{own.id}/report/?period=2023H1")
    page.click("#print")
    assert page.evaluate("window.__printed") is True
    page.emulate_media(media="print")
    for hidden in (".top", ".narratives", ".downloads", ".crumbs", "#print", "#signoff", "main > .head"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator(".printhead")).to_be_visible()
    expect(page.locator(".printhead")).to_contain_text("河川市水务局 · 2023年上半年")
    expect(page.locator("#report")).to_be_visible()
    page.goto(f"{live_server.url}/u/{own.id}/problems/")
    for hidden in (".top", "#filters", "form.status", "form.evidence", ".pager"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator(".printhead")).to_contain_text("问题整改")
    expect(page.locator("section.problem").first).to_contain_text("推进中")  # the status as text
    page.emulate_media(media="screen")
    expect(page.locator(".printhead")).to_be_hidden()
    expect(page.locator(".top")).to_be_visible()


def test_breadcrumbs_lead_back_and_a_measure_edit_keeps_its_problem(world, page, live_server):
    own = world["own"]
    measure = Measure.objects.get(problem__unit=own)
    log_in(page, live_server, "leadership")
    page.goto(f"{live_server.url}/u/{own.id}/problems/?aspect=纪律作风")
    page.click("section.problem >> a.small:has-text('修改')")
    crumbs = page.locator("nav.crumbs")
    expect(crumbs).to_have_text(re.compile(r"首页\s*›?\s*水务局\s*›?\s*问题整改\s*›?\s*修改"))
    expect(page.locator("select[name=problem] option:checked")).to_have_text(re.compile("W1-P1"))
    page.fill("input[name=owner]", "办公室主任")
    page.click("button:has-text('保存')")
    expect(page.locator(".messages")).to_contain_text("已修改整改措施记录")
    assert "aspect=" in page.url  # back on the list as it was filtered
    measure.refresh_from_db()
    assert (measure.problem.code, measure.owner) == ("W1-P1", "办公室主任")
    page.goto(f"{live_server.url}/u/{own.id}/records/talk/")
    page.click("nav.crumbs >> text=水务局")
    expect(page.locator("h1")).to_contain_text("工作台")


@pytest.mark.parametrize("width", [1920, 1366, 1024])
def test_the_menu_never_breaks_inside_its_items(world, page, live_server, width):
    """The supervisor of several units inside one has the longest menu: every item on one line (no 工作/台) and
    wholly on the screen."""
    Assignment.objects.get(role=Role.SUPERVISOR).units.set([world["own"], world["other"]])
    page.set_viewport_size({"width": width, "height": 700})
    log_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/u/{world['own'].id}/?period=2023H1")
    items = page.locator("nav.main a")
    assert items.count() >= 10
    for i in range(items.count()):
        item = items.nth(i)
        # the line boxes of the item's text: two for 工作/台
        lines = item.evaluate("a => { const r = document.createRange(); r.selectNodeContents(a); "
                              "return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }")
        box = item.bounding_box()
        assert lines == 1, item.inner_text()
        assert 0 <= box["x"] and box["x"] + box["width"] <= width, item.inner_text()
    # and none is hidden in the menu's scrolling overflow
    assert page.locator("nav.main").evaluate("n => n.scrollWidth <= n.clientWidth")
