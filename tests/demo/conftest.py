import pytest

from fengqing.demo.builder import build_demo
from fengqing.org.models import Unit


@pytest.fixture
def demo(db):
    """The demo built with its default seed; returns the three units by short name."""
    build_demo()
    return {u.short_name: u for u in Unit.objects.filter(short_name__in=("水务局", "林业局", "档案馆"))}
