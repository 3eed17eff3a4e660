"""The permission matrix (DESIGN §7): every URL of the application × every role × own unit / other unit.

The URL list comes from the URL configuration, so a new view without an entry here fails the test; the
expected answers are written out by hand from DESIGN §7, not derived from the permission layer."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fengqing.accounts.models import Role
from fengqing.ledger.models import IntegrityOpinion, Talk
from fengqing.org.models import Person
from fengqing.rectify.models import Measure
from fengqing.web.kinds import KINDS
from fengqing.submission.models import Submission
from fengqing.web.models import Evidence
from tests.factories import D

CLERK, LEAD, DISC, SUP = "clerk", "leadership", "discipline", "supervisor"
SYS, SEC, AUD = "sysadmin", "secadmin", "auditor"
EVERYONE = {CLERK, LEAD, DISC, SUP, SYS, SEC, AUD}
RECORD_ROLES = {CLERK, LEAD, DISC, SUP}
ORG = {"department", "person", "partybranch"}
LEDGER = {"study", "meeting", "document", "dutytask", "liaison", "integrityopinion", "publicexpense", "education",
          "talk", "discipline", "promotion", "posting", "riskpoint", "dutyreport", "petition"}
#: DESIGN §7 "may change", by role, as record kinds
WRITES = {
    CLERK: ORG | LEDGER - {"discipline", "petition"},
    LEAD: {"problem", "measure"},
    DISC: {"discipline", "petition", "talk", "integrityopinion", "liaison", "problem", "measure"},
    SUP: {"problem"},
}

# url name → (method, roles allowed on their own unit (or at all, for URLs without a unit), status when allowed)
EXPECTED = {
    "home": ("GET", EVERYONE, 302),
    "login": ("GET", EVERYONE, 302),  # a logged-in user is sent on
    "logout": ("POST", EVERYONE, 302),
    "login_totp": ("GET", set(), 302),  # without a password step first it sends back to the log-in page
    "password": ("GET", EVERYONE, 200),
    "totp": ("GET", EVERYONE, 200),
    "totp_qr": ("GET", RECORD_ROLES, 200),  # the world's administrators are enrolled: no QR code any more
    "unit_switch": ("GET", EVERYONE, 302),
    "static": ("GET", EVERYONE, 200),
    "overview": ("GET", {SUP}, 200),
    "reading": ("GET", {SUP, DISC}, 200),
    "overview_report": ("GET", {SUP}, 200),
    "submissions": ("GET", {SUP}, 200),
    "submission_deadline": ("POST", {SUP}, 302),
    "submissions_zip": ("GET", {SUP}, 200),
    "submission": ("GET", RECORD_ROLES, 200),
    "submission_submit": ("POST", {LEAD}, 302),
    "submission_return": ("POST", {SUP}, 302),
    "submission_download": ("GET", RECORD_ROLES, 200),
    "audit": ("GET", {AUD}, 200),
    "audit_export": ("GET", {AUD}, 200),
    "template": ("GET", RECORD_ROLES, 200),
    "dashboard": ("GET", RECORD_ROLES, 200),
    "accept": ("POST", {LEAD, DISC}, 302),
    "records": ("GET", RECORD_ROLES, 200),
    "record_new": ("GET", "writes", 200),
    "record_edit": ("GET", "reads", 200),  # writers get the form, readers the record read-only
    "record_export": ("GET", RECORD_ROLES, 200),
    "record_delete": ("POST", "writes", 302),
    "transfer": ("GET", RECORD_ROLES, 200),
    "import_confirm": ("POST", {CLERK, DISC}, 302),
    "export": ("GET", {LEAD, DISC, SUP}, 200),
    "problems": ("GET", RECORD_ROLES, 200),
    "measure_status": ("POST", {LEAD, DISC}, 302),
    "evidence_upload": ("POST", {LEAD, DISC}, 302),
    "evidence": ("GET", RECORD_ROLES, 200),
    "evidence_delete": ("POST", {LEAD, DISC}, 302),
    "problems_export": ("GET", RECORD_ROLES, 200),
    "report": ("GET", RECORD_ROLES, 200),
    "narrative": ("POST", {LEAD}, 302),
    "signoff": ("POST", {LEAD}, 302),
    "signoff_withdraw": ("POST", {LEAD}, 302),
    "report_download": ("GET", RECORD_ROLES, 200),
    "report_fact": ("GET", RECORD_ROLES, 200),
    # 廉政档案 and 党风廉政意见 show sensitive records in detail; only the discipline group decides
    "dossier_people": ("GET", {LEAD, DISC, SUP}, 200),
    "dossier": ("GET", {LEAD, DISC, SUP}, 200),
    "dossier_download": ("GET", {LEAD, DISC, SUP}, 200),
    "petition_links": ("GET", {LEAD, DISC, SUP}, 200),
    "petition_link": ("POST", {DISC}, 302),
    "opinions": ("GET", {LEAD, DISC, SUP}, 200),
    "opinion_rules": ("GET", {LEAD, DISC, SUP}, 200),
    "opinion": ("GET", {LEAD, DISC, SUP}, 200),
    "opinion_confirm": ("POST", {DISC}, 302),
    "opinion_download": ("GET", {LEAD, DISC, SUP}, 200),
}
NO_LOGIN_NEEDED = {"login", "static"}


def _names(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace != "admin":  # the admin site is checked by test_admin
                yield from _names(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern):
            yield p.name, namespace, p.pattern.converters


def url_names() -> list[str]:
    return sorted(name for name, ns, _ in _names(get_resolver().url_patterns))


def test_every_url_has_an_expectation():
    assert set(url_names()) == set(EXPECTED)


def report_fact_id(unit) -> str:
    """A figure of the unit's 2023H1 report that counts records."""
    from fengqing.report.api import build_report

    return next(f["id"] for f in build_report(unit, "2023H1").facts if f["records"])


def _pk(name, kind, unit):
    if name in ("measure_status", "evidence_upload"):
        return Measure.objects.get(problem__unit=unit).pk
    if name in ("evidence", "evidence_delete"):
        return Evidence.objects.get(measure__problem__unit=unit).pk
    if name == "submission_download":
        return Submission.objects.get(unit=unit).pk
    if name.startswith("dossier"):
        return Person.objects.filter(unit=unit).first().pk
    if name.startswith("opinion"):
        return IntegrityOpinion.objects.get_or_create(unit=unit, date=D(2023, 5, 1), matter="干部选拔任用",
                                                      subject=Person.objects.filter(unit=unit).first(),
                                                      defaults={"conclusion": "同意"})[0].pk
    qs = kind.model.objects.filter(**({"problem__unit": unit} if kind.slug == "measure" else {"unit": unit}))
    if kind.model is Talk:
        qs = qs.exclude(kind__in=("提醒谈话", "谈话提醒", "诫勉谈话", "谈话函询"))
    return qs.first().pk


def _cases(world):
    """(name, kind slug or None, which unit, url, method)."""
    for name, ns, converters in _names(get_resolver().url_patterns):
        method = EXPECTED[name][0]
        kinds = [None]
        if "kind" in converters:  # every kind; those needing a record, every kind that has one
            kinds = [k for k in KINDS if "pk" not in converters or k.model.objects.exists()]
        for which in ("own", "other") if "unit" in converters else ("-",):
            u = world["other" if which == "other" else "own"]
            for kind in kinds:
                kwargs = {}
                if "unit" in converters:
                    kwargs["unit"] = u.id
                if "kind" in converters:
                    kwargs["kind"] = kind.slug
                if "pk" in converters:
                    kwargs["pk"] = _pk(name, kind, u)
                if "path" in converters:
                    kwargs["path"] = "web/fengqing.css"
                if "fmt" in converters:
                    kwargs["fmt"] = "json" if name in ("dossier_download", "opinion_download") else "md"
                if "fact_id" in converters:
                    kwargs["fact_id"] = report_fact_id(u)
                url = reverse(f"{ns}:{name}", kwargs=kwargs) + "?period=2023H1"
                if name == "unit_switch":
                    url += f"&unit={world['own'].id}"
                yield name, kind.slug if kind else None, which, url, method


def _expected(role, name, kind, which):
    _, allowed, ok = EXPECTED[name]
    if allowed == "writes":
        allowed = {r for r, kinds in WRITES.items() if kind in kinds}
    if allowed == "reads":  # a sensitive record is not found for the clerk, who sees it as a count only
        if role == CLERK and kind in ("discipline", "petition") and which == "own":
            return 404
        allowed = RECORD_ROLES
    if role is None:
        return 200 if name == "static" else (200 if name == "login" else 302)
    if which == "other":
        return 403
    if name == "login_totp":
        return ok
    return ok if role in allowed else 403


def _request(client, method, url):
    with transaction.atomic():  # each request sees the same data, whatever the one before it changed
        response = client.post(url) if method == "POST" else client.get(url)
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.parametrize("role", [None, *[r.value for r in Role]])
def test_permission_matrix(world, client, role):
    if role:
        client.force_login(world["users"][Role(role)])
    wrong, seen = [], set()
    # logging out ends the session, so it comes last
    for name, kind, which, url, method in sorted(_cases(world), key=lambda case: case[0] == "logout"):
        if role is None and name == "logout":
            continue
        want = _expected(role, name, kind, which)
        got = _request(client, method, url)
        seen.add((name, kind))
        if got != want:
            wrong.append(f"{method} {url} ({name}, {kind}, {which}): {got}, expected {want}")
    assert {name for name, _ in seen} == set(EXPECTED) - ({"logout"} if role is None else set())
    assert {kind for name, kind in seen if name == "record_edit"} >= {"study", "talk", "discipline", "person",
                                                                     "problem", "measure", "petition"}
    assert wrong == []


def test_records_of_another_unit_are_not_found_through_ones_own(world, login):
    c = login(world, Role.CLERK)
    own, other = world["own"], world["other"]
    study = other.study_set.first()
    assert c.get(reverse("web:record_edit", args=[own.id, "study", study.pk])).status_code == 404
    assert c.post(reverse("web:record_delete", args=[own.id, "study", study.pk])).status_code == 404
    assert other.study_set.filter(pk=study.pk).exists()


def test_clerk_cannot_open_a_sensitive_talk(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    secret = Talk.objects.get(unit=own, kind="诫勉谈话")
    assert c.get(reverse("web:record_edit", args=[own.id, "talk", secret.pk])).status_code == 404
    assert c.post(reverse("web:record_delete", args=[own.id, "talk", secret.pk])).status_code == 404
    assert Talk.objects.filter(pk=secret.pk).exists()
