"""Redaction (--redact): every rendering leaks no digit but a year, no person's name and no unit or domain word."""

import json
import re
from io import BytesIO

import docx
import pytest

from fengqing.org.models import Person
from fengqing.report.api import build_report, render_all
from fengqing.report.redact import Redactor

from .sample import build_unit

YEAR = re.compile(r"\d{4}(?=年)")
# list numbering (1．) is structure, not a figure: the reader can count the items anyway
LABEL = re.compile(r"(?<![\d.])\d{1,2}．")
# words of the sample unit's names: full name, short name, region, domain word (as in 水务系统)
UNIT_WORDS = ("河川市水务局", "水务局", "河川", "水务")


@pytest.fixture
def redacted(db, h1):
    u = build_unit()
    out = render_all(build_report(u, h1, redact=True, appendix=True), ["docx", "md", "html", "json"])
    return u, out


def texts(out) -> dict[str, str]:
    html = out["html"].decode("utf-8")
    html = re.sub(r"<style>.*?</style>|<[^>]+>", " ", html, flags=re.S)
    data = json.loads(out["json"])

    def strings(v):
        # identifiers (period codes such as 2023H1, the scheme's id) are no figures
        if isinstance(v, dict):
            return " ".join(strings(x) for k, x in v.items() if k not in ("level", "id", "period", "scheme"))
        if isinstance(v, list):
            return " ".join(strings(x) for x in v)
        return str(v)

    d = docx.Document(BytesIO(out["docx"]))
    body = [p.text for p in d.paragraphs] + [c.text for t in d.tables for row in t.rows for c in row.cells]
    return {"md": out["md"].decode("utf-8"), "html": html, "json": strings(data), "docx": "\n".join(body)}


def test_no_digits_but_years(redacted):
    _, out = redacted
    for fmt, text in texts(out).items():
        left = LABEL.sub("", YEAR.sub("", text))
        assert re.findall(r"\d", left) == [], fmt


def test_no_names(redacted):
    u, out = redacted
    people = set(Person.objects.filter(unit=u).values_list("name", flat=True))
    assert len(people) > 50
    for fmt, text in texts(out).items():
        assert [w for w in UNIT_WORDS if w in text] == [], fmt
        assert [p for p in people if p in text] == [], fmt


def test_redacted_the_way_the_seed_was_published(redacted):
    _, out = redacted
    md = out["md"].decode("utf-8").replace("\\*", "*")
    assert md.startswith("# 中共**局党组关于2023年上半年政治生态分析研判情况的报告")
    assert "**局机关设有**个科（室），*个下属单位。" in md  # 10 departments, 4 subunits
    assert "《**局党组2023年党组理论学习中心组专题学习计划》《2023年**系统党建工作要点》" in md
    assert "责任人：***" in md
    assert "完成时限：2023年，" in md  # dates keep only the year
    data = json.loads(out["json"])
    assert data["unit"] == "**局"
    assert data["basic"]["科室"] == "**" and data["basic"]["下属单位"] == "*"
    assert all(f["records"] == [] for f in data["facts"])


def test_identifiers_are_kept(redacted, h1):
    u, out = redacted
    data = json.loads(out["json"])
    assessment = data["assessment"]
    assert (data["period"], assessment["period"], assessment["scheme"]) == ("2023H1", "2023H1", "fengqing-default-v1")
    plain_doc = build_report(u, h1, appendix=True)
    assert [i["id"] for i in assessment["indicators"]] == [i["id"] for i in plain_doc.assessment["indicators"]]
    assert [f["id"] for f in data["facts"]] == [f["id"] for f in plain_doc.facts]
    # the names and numbers beside them are still masked
    assert assessment["unit"] == "**局"
    assert {type(i["value"]) for i in assessment["indicators"] if i["value"] is not None} == {str}
    assert all(set(i["value"]) == {"*"} for i in assessment["indicators"] if i["value"] is not None)
    # an identifier keeps its digits, not a name in it
    assert Redactor(u).value({"scheme": "水务局-2023-v1", "total": 81.5}) == {"scheme": "**局-2023-v1", "total": "**"}
