"""Assessments shared by every request that asks for them: the all-units one that the supervisor's overview
shows, a unit's own with its trend that its dashboard shows, a figure of a unit's report with the records
behind it that its fact page lists, and the reader's findings that 报告审读 shows.

At 1,000 units the assessment takes about a second; the overview is paged, filtered and sorted over it many
times between two changes of the data. So it is computed once per (state of the data, period, units) and kept,
and concurrent requests for the same key wait for the one computation instead of each starting its own. A
unit's dashboard is looked at again and again between two changes too: the same holds for it. A fact page is
read a page at a time, and a figure of a unit with 50,000 talks has 50,000 record references behind it: they are
computed once, not once per page (and for that figure only: ``report.facts.compute_fact``).

The state of the data is the data stamp (``web.datastamp``: triggers in the database give it a new value at
every committed change of the records, whichever process made it — another server worker, ``fengqing import``,
a script) together with a counter of the record saves and deletions made through the ORM in this process (which
also tells apart two states inside this process's own transactions, before they commit or after they roll back).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from django.db.models.signals import m2m_changed, post_delete, post_save

from ..analysis.api import Analysis, analyze
from ..assess.engine import assess, ranked
from ..assess.history import Total, assess_with_trend
from ..assess.results import UnitAssessment
from ..assess.schemes import load_scheme
from ..org.models import Unit
from ..periods import Period
from ..report import signoff
from ..report.facts import compute_fact
from ..report.models import SignedReport
from . import datastamp

_lock = threading.Lock()
_writes = 0


def _written(sender, **kwargs) -> None:
    global _writes
    if datastamp.is_data(sender):
        with _lock:
            _writes += 1


for _signal in (post_save, post_delete, m2m_changed):
    _signal.connect(_written, dispatch_uid=f"fengqing-shared-{_signal}")


def data_state() -> tuple:
    with _lock:
        writes = _writes
    return datastamp.version(), writes


class _Entry:
    def __init__(self):
        self.ready = threading.Event()
        self.value = None
        self.failed = False


class Shared:
    """The last ``keep`` values computed, by key."""

    def __init__(self, keep: int):
        self.keep = keep
        self.entries: OrderedDict[tuple, _Entry] = OrderedDict()

    def once(self, key: tuple, compute: Callable[[], object]):
        """``compute()``, or the value it gave for ``key`` before; concurrent callers with the same key wait for
        the first one. A failure is not kept: the waiting callers compute for themselves."""
        with _lock:
            entry = self.entries.get(key)
            owner = entry is None
            if owner:
                entry = self.entries[key] = _Entry()
                while len(self.entries) > self.keep:
                    self.entries.popitem(last=False)
            else:
                self.entries.move_to_end(key)
        if not owner:
            entry.ready.wait()
            return compute() if entry.failed else entry.value
        try:
            entry.value = compute()
        except BaseException:
            entry.failed = True
            with _lock:
                if self.entries.get(key) is entry:
                    del self.entries[key]
            raise
        finally:
            entry.ready.set()
        return entry.value

    def clear(self) -> None:
        with _lock:
            self.entries.clear()


#: one entry at 1,000 units is a few MB
ALL_UNITS = Shared(keep=4)
#: one entry is a few kB
ONE_UNIT = Shared(keep=500)
#: one figure of a report: about 100 bytes a record reference (5 MB for a figure of 50,000 talks)
FACTS = Shared(keep=8)
#: one entry holds the findings with their texts (a few MB at a city's reports)
READINGS = Shared(keep=4)
#: a signed version's figures, texts and values (parsing its JSON, which lists every record, is ~12 ms at 150,000
#: records); keyed by its id and SHA-256, as a signed version never changes
SIGNED_FIGURES = Shared(keep=16)
#: the ids a fact page lists, in the register's order, by (state, unit, period, 成文日期, fact, sees sensitive
#: records): about 36 bytes an id
FACT_IDS = Shared(keep=8)


def ranked_assessments(period: Period, unit_ids: frozenset[int]) -> list[UnitAssessment]:
    """``ranked(assess(period, units))`` of these units."""
    def compute() -> list[UnitAssessment]:
        # a supervisor of every unit (the usual case) is assessed without a list of 1,000 ids in each query
        every = len(unit_ids) >= Unit.objects.count()
        return ranked(assess(period, None if every else Unit.objects.filter(id__in=unit_ids).order_by("name")))

    return ALL_UNITS.once((data_state(), period.code, unit_ids), compute)


def signed_figures(signed: SignedReport) -> dict[str, dict]:
    """``signoff.signed_figures(signed)``."""
    return SIGNED_FIGURES.once((signed.pk, signed.document_sha256), lambda: signoff.signed_figures(signed))


def unit_with_trend(unit: Unit, period: Period, earlier: int) -> tuple[UnitAssessment, list[Total]]:
    """``assess_with_trend`` of the unit on the default scheme."""
    return ONE_UNIT.once((data_state(), unit.pk, period.code, earlier),
                         lambda: assess_with_trend(unit, period, load_scheme(), earlier))


def report_fact(unit: Unit, period: Period, fact_id: str, on: date) -> dict | None:
    """The fact of the unit's report of that id at the 成文日期 ``on`` (``Fact.as_dict()``: id, text, value,
    records), None if the report has none."""
    def compute() -> dict | None:
        found = compute_fact(unit, period, fact_id, on)
        return None if found is None else found.as_dict()

    return FACTS.once((data_state(), unit.pk, period.code, on, fact_id), compute)


def reading(period: Period, unit_ids: frozenset[int]) -> Analysis:
    """``analyze(period, unit_ids)``: the reader's findings over these units' texts."""
    return READINGS.once((data_state(), period.code, unit_ids),
                         lambda: analyze(period, unit_ids=sorted(unit_ids)))
