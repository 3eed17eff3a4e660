"""docs/assessment.md documents every catalogue id and every scheme key (declare once, document everything)."""

from pathlib import Path

import pytest

from fengqing.assess.catalogue import METRICS
from fengqing.assess.schemes.validate import (DIMENSION_KEYS, INDICATOR_KEYS, PLACEHOLDERS, TEMPLATE_KEYS,
                                              TOP_KEYS)

DOC = (Path(__file__).resolve().parents[2] / "docs" / "assessment.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("metric_id", sorted(METRICS))
def test_every_metric_is_in_the_catalogue_table(metric_id):
    assert f"| `{metric_id}` | {METRICS[metric_id].name} | {METRICS[metric_id].kind} |" in DOC


def test_every_scheme_key_and_placeholder_is_documented():
    keys = TOP_KEYS | set().union(*DIMENSION_KEYS.values(), *INDICATOR_KEYS.values(), TEMPLATE_KEYS)
    missing = [k for k in sorted(keys) if f"| `{k}` |" not in DOC and f"`{k}`" not in DOC]
    assert missing == []
    assert all(f"`{{{p}}}`" in DOC for p in PLACEHOLDERS)
