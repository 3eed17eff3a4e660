import pytest

from fengqing.periods import parse_period

from .edge import build_edge_unit
from .sample import build_unit


@pytest.fixture
def h1():
    return parse_period("2023H1")


@pytest.fixture
def sample_unit(db):
    return build_unit()


@pytest.fixture
def edge_unit(db):
    return build_edge_unit()


@pytest.fixture(scope="module")
def sample_report(django_db_setup, django_db_blocker):
    """Renderings of the sample unit's 2023H1 report (with the appendix), built once per module: the data is
    created inside a transaction that is rolled back."""
    from django.db import transaction

    from fengqing.report.api import build_report, render_all
    from fengqing.report.render import html

    with django_db_blocker.unblock(), transaction.atomic():
        u = build_unit()
        doc = build_report(u, parse_period("2023H1"), appendix=True)
        out = render_all(doc, ["docx", "md", "html", "json"])
        out["print_html"] = html.render(doc, for_print=True)
        transaction.set_rollback(True)
    return out
