"""Prepared queries: a queryset built and compiled once per process, then run again and again with new values of
its variable inputs (a unit id, a period's dates, the 成文日期, a list of period codes).

Building and compiling a filtered queryset costs Django far more than running it on one unit's rows: a report's
hundred-odd figures took about ten times as long to compile as to run. The rules stay where they are declared
(the Q objects of ``assess.sources`` and the report's specs): a query is still written as a queryset, by a
function of its inputs ``v`` (``lambda v: Talk.objects.filter(unit=v.unit, date__lte=v.end)``), and
:func:`run` gives what iterating that queryset gives.

How an input is bound: the function is called twice with stand-ins for the inputs (two sets of values that no
record holds, the second set in the reverse order of the first), and both querysets are compiled. Their SQL must
be the same text, and their parameters the same but where a stand-in stands: there, each later run puts its own
input (adapted as Django adapts it, e.g. a date as text on SQLite). A query whose text differs for the two sets,
a parameter computed from an input (``end.year``, ``end - 365 days``, ``kind.strip()``), or an input that is not
a parameter at all, fails at once (:class:`PreparationError`). The stand-ins are chosen so that common
computations change them: a date's year is never an int stand-in, the first int input's first stand-in is
negative (``max(v, 0)``), a string has mixed case, spaces at both ends, ``%``, ``_``, ``\\`` and a full-width
character (``strip()``, ``upper()``, the LIKE escaping of ``iexact``). What two stand-ins cannot show is not
caught when compiling: a branch on an input's value both sets take the same way (``end.month == 6``), a floor
of a later int input. :data:`VERIFY` (on for the test suite, off in production for its cost) checks each run
against the queryset built from the real inputs.

What does shape the SQL is part of the cache key: the function's code with its file and qualified name, every
value it closes over (with its type: ``True`` is not ``1``), the current values of the module-level constants it
reads, the number of elements of each list input, the database. A closed-over model instance or object hashed
by its identity (a queryset) is refused: what the query needs of it must be an input. Attributes of modules and
classes it reads (``C.KINDS``) are taken to be constants.

``off()`` runs the functions on the real inputs through the ORM instead: what the prepared queries are
tested against.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import BuiltinFunctionType, CodeType, FunctionType, MethodType, ModuleType, SimpleNamespace
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Model, QuerySet
from django.db.models.query import FlatValuesListIterable, ValuesIterable, ValuesListIterable

Input = int | str | date | tuple  # a tuple of inputs: an IN list (its length is part of the query's shape)
Build = Callable[[SimpleNamespace], QuerySet]

#: how many prepared queries a process keeps (a report needs about sixty, per number of periods compared)
CACHE_SIZE = 1024

_ENABLED: ContextVar[bool] = ContextVar("fengqing_prepared", default=True)

#: check every prepared run against the queryset built from the real inputs (its SQL and parameters must be
#: the ones run): on for the test suite (tests/conftest.py), off in production, where it would cost the
#: building and compiling that preparing saves
VERIFY = False


class PreparationError(RuntimeError):
    """A query that cannot be prepared: its SQL would not be right for other values of its inputs."""


@contextmanager
def off() -> Iterator[None]:
    """Within it, :func:`run` builds each queryset from the real inputs and lets the ORM run it."""
    token = _ENABLED.set(False)
    try:
        yield
    finally:
        _ENABLED.reset(token)


class Rows(list):
    """The rows of a query, and the model it reads."""

    def __init__(self, rows, model: type[Model]):
        super().__init__(rows)
        self.model = model


def run(build: Build, key: Any = (), **inputs: Input) -> Rows:
    """What iterating ``build(v)`` gives (dicts of ``values()``, tuples of ``values_list()``, or its flat
    values), ``v`` holding ``inputs`` as attributes. ``key``: whatever else the queryset depends on, when it is
    not in ``build``'s code and closure."""
    return run_keyed((key_of(build), key_of(key)), build, **inputs)


def run_keyed(key: Any, build: Build, **inputs: Input) -> Rows:
    """:func:`run`, ``build`` known by ``key`` alone: for a caller that builds several queries from the same
    values and says what they are (``key`` must tell apart every queryset ``build`` may make from the same
    inputs)."""
    if not _ENABLED.get():
        qs = build(SimpleNamespace(**inputs))
        return Rows(qs, qs.model)
    found = _prepared(build, key, inputs)
    params = found.params(inputs)
    if VERIFY:
        _verify(found.compiled, params, build, inputs)
    return Rows(found.compiled.execute(params), found.compiled.model)


def _verify(compiled: Compiled, params: list, build: Build, inputs: dict[str, Input]) -> None:
    """Raise unless the queryset built from the real inputs compiles to the SQL and parameters about to run."""
    if any(_has_duplicates(v) for v in inputs.values()):
        return  # Django drops the duplicates of an IN list: the SQL differs, the rows do not
    real = Compiled.of(build(SimpleNamespace(**inputs)))
    if real.sql != compiled.sql or (real.sql is not None and not _same_params(real.params, params)):
        raise PreparationError(f"a prepared query is not the one its inputs build: {compiled.sql} {params} / "
                               f"{real.sql} {list(real.params)}")


def _has_duplicates(value: Input) -> bool:
    if not isinstance(value, tuple):
        return False
    leaves = [leaf for _, leaf in _leaves(value)]
    return len(set(leaves)) < len(leaves) or any(_has_duplicates(v) for v in value)


def _same_params(one, two) -> bool:
    a, b = list(_params(one)), list(_params(two))
    return len(a) == len(b) and all(p == q and _same(x, y) for (p, x), (q, y) in zip(a, b))


def key_of(obj: Any) -> Any:
    """A hashable key for what a function (with what it closes over), a method, a partial or a value makes: two
    functions with the same code (from the same file, of the same name), the same closed-over values and the same
    values of the module-level names they read build the same queries. Modules, classes and functions a function
    reads are taken to be constants (so are attributes read from them: ``C.KINDS``), and so are module-level
    values that are not hashed by value (a list, a dict)."""
    if isinstance(obj, functools.partial):
        return ("partial", key_of(obj.func), key_of(obj.args), key_of(sorted(obj.keywords.items())))
    if isinstance(obj, MethodType):  # Talk.of_unit and Measure.of_unit share their code, not their class
        return ("method", key_of(obj.__func__), key_of(obj.__self__))
    code = getattr(obj, "__code__", None)
    if code is not None:
        cells = tuple(key_of(c.cell_contents) for c in obj.__closure__ or ())
        return ("function", code, code.co_filename, code.co_qualname, cells, _globals_read(obj),
                key_of(obj.__defaults__ or ()), key_of(obj.__kwdefaults__ or {}))
    if isinstance(obj, (list, tuple)):
        return (type(obj).__name__, *map(key_of, obj))
    if isinstance(obj, dict):
        return ("dict", *((k, key_of(v)) for k, v in obj.items()))
    if isinstance(obj, (type, ModuleType)):
        return obj
    if isinstance(obj, Model) or type(obj).__hash__ is object.__hash__:  # its key would be its identity
        raise PreparationError(f"a prepared query closes over {obj!r}, a model instance or an object without a "
                               f"value of its own: give what the query needs of it as an input")
    try:
        hash(obj)
    except TypeError:
        raise PreparationError(f"a prepared query depends on an unhashable value: {obj!r}") from None
    return (type(obj), obj)  # True and 1 are equal, but need not build the same query


#: for each function's code and module, the module-level names it (or a function defined in it) reads whose
#: values are part of its key
_GLOBAL_NAMES: dict[tuple[CodeType, int], tuple[str, ...]] = {}


def _globals_read(fn) -> tuple:
    """The values of the module-level names ``fn`` reads, as part of its key: a changed constant builds another
    query. Which names count is worked out once per code and module; their values are read at each call."""
    space = fn.__globals__
    names = _GLOBAL_NAMES.get((fn.__code__, id(space)))
    if names is None:
        names = _GLOBAL_NAMES[fn.__code__, id(space)] = tuple(
            name for name in sorted(_names_read(fn.__code__)) if name in space and _by_value(space[name]))
    return tuple((name, type(space[name]), space[name]) for name in names if name in space)


def _names_read(code: CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):  # a lambda or comprehension within it
            names |= _names_read(const)
    return names


def _by_value(value) -> bool:
    if isinstance(value, (type, ModuleType, FunctionType, BuiltinFunctionType, MethodType, functools.partial)):
        return False
    if type(value).__hash__ is object.__hash__:
        return False
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _shape(value: Input) -> Any:
    if isinstance(value, tuple):
        return tuple(_shape(v) for v in value)
    if value is None or isinstance(value, (bool, datetime)) or not isinstance(value, (int, str, date)):
        raise PreparationError(f"a prepared query's input must be an int, str, date or tuple: {value!r}")
    return type(value).__name__


class Span(NamedTuple):
    """A period's dates as an input (``report.tally.in_periods`` reads nothing else of a period)."""

    start: date
    end: date


def spans(periods) -> tuple[Span, ...]:
    return tuple(Span(p.start, p.end) for p in periods)


_CACHE: OrderedDict[Any, _Prepared] = OrderedDict()
_LOCK = threading.Lock()  # the server's threads share the cache


def clear() -> None:
    """Forget every prepared query (tests: the next run of each compiles it again)."""
    with _LOCK:
        _CACHE.clear()


def _prepared(build: Build, key: Any, inputs: dict[str, Input]) -> _Prepared:
    full = (key, tuple((k, _shape(v)) for k, v in inputs.items()), connection.alias, connection.vendor)
    with _LOCK:
        found = _CACHE.get(full)
        if found is not None:
            _CACHE.move_to_end(full)
            return found
    found = _compile(build, inputs)  # outside the lock: two threads may both compile it, the same way
    with _LOCK:
        _CACHE[full] = found
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return found


def _stand_ins(inputs: dict[str, Input], second: bool) -> dict[str, Input]:
    """Values no record holds, each of its own, in the reverse order in the second set, so that a query that
    compares two inputs, or one with a constant, compiles differently for the two sets."""
    count = iter(range(10**6))
    negative = [not second]  # the first int of the first set is yet to come

    def one(value: Input) -> Input:
        if isinstance(value, tuple):
            items = [one(v) for v in value]
            return type(value)(*items) if hasattr(value, "_fields") else tuple(items)  # a named tuple stays one
        k = next(count)
        if isinstance(value, date):
            # years 1000–1099 and 9899 down to 9000: never an int stand-in, so a parameter computed from a date
            # (its year) is not taken for an int input
            return date(9899, 12, 31) - timedelta(days=k) if second else date(1000, 1, 1) + timedelta(days=k)
        if isinstance(value, int):
            # years too (1101 up, 8999 down): a query may make a period of one; but the first int of the first
            # set (the unit id, in today's callers) is negative, so that a floor (``max(v, 0)``) changes it
            if negative[0]:
                negative[0] = False
                return -1101 - k
            return 8999 - k if second else 1101 + k
        # changed by strip(), upper(), lower(), NFKC and the escaping of LIKE patterns (iexact on SQLite)
        return f" Zy%_\\Ｑ~{9999 - k:04d} " if second else f" aB%_\\Ｐ!{k:04d} "

    return {name: one(value) for name, value in inputs.items()}


def _leaves(value: Input, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(value, tuple):
        for i, v in enumerate(value):
            yield from _leaves(v, (*path, i))
    else:
        yield path, value


def _params(params, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Each parameter with its place (a backend may pass an IN list as one list parameter)."""
    for i, p in enumerate(params):
        if isinstance(p, (list, tuple)):
            yield from _params(p, (*path, i))
        else:
            yield (*path, i), p


def _adapters(param) -> list[Callable[[Any], Any]]:
    """How Django may have turned an input into ``param``: as it is, a date as the backend adapts it (text on
    SQLite), or wrapped in the parameter's own type (psycopg's ``Int4`` of an integer field on PostgreSQL)."""
    return [_as_is, connection.ops.adapt_datefield_value, str, functools.partial(_wrapped, type(param))]


def _as_is(x):
    return x


def _wrapped(kind: type, x):
    try:
        return kind(x)
    except (TypeError, ValueError):
        return None


@dataclass
class Compiled:
    """A queryset's SQL and how its rows are read, to run again with other parameters in its place."""

    model: type[Model]
    sql: str | None  # None: the query selects nothing whatever the parameters (``none()``, an empty IN list)
    params: tuple
    form: str  # dicts, tuples or flat: as iterating the queryset gives its rows
    names: list[str]
    columns: int
    #: (column, its converters, its expression); a backend's converter as the name of its method, looked up on
    #: the connection of the thread that runs the query (a thread has its own)
    converters: list[tuple[int, list[str | Callable], Any]]

    @classmethod
    def of(cls, qs: QuerySet) -> Compiled:
        if qs.db != connection.alias:
            raise PreparationError(f"a prepared query runs on the default database, not {qs.db}")
        form = _form(qs)
        query = qs.query
        names = [*query.selected] if query.selected else [*query.extra_select, *query.values_select,
                                                           *query.annotation_select]
        compiler = query.get_compiler(using=qs.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return cls(qs.model, None, (), form, names, 0, [])
        expressions = [s[0] for s in compiler.select[:compiler.col_count]]
        converters = [(pos, [_unbound(f) for f in functions], expression)
                      for pos, (functions, expression) in compiler.get_converters(expressions).items()]
        return cls(qs.model, sql, tuple(params), form, names, compiler.col_count, converters)

    def execute(self, params) -> list:
        """The rows as iterating the queryset gives them, its SQL run with ``params``."""
        if self.sql is None:
            return []
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if not rows:
            return []
        columns: list = list(zip(*rows))[:self.columns]  # converted a column at a time
        for pos, functions, expression in self.converters:
            for named in functions:
                convert = getattr(connection.ops, named) if isinstance(named, str) else named
                columns[pos] = [convert(value, expression, connection) for value in columns[pos]]
        if self.form == "flat":
            return list(columns[0])
        if self.form == "dicts":
            return [dict(zip(self.names, values)) for values in zip(*columns)]
        return list(zip(*columns))


def _unbound(convert: Callable) -> str | Callable:
    """A converter bound to the compiling thread's connection, by its name; any other as it is."""
    owner = getattr(convert, "__self__", None)
    if isinstance(owner, BaseDatabaseOperations) and getattr(owner, convert.__name__, None) == convert:
        return convert.__name__
    return convert


@dataclass
class _Prepared:
    compiled: Compiled
    #: (place of the parameter, input name, place in the input, adapter)
    slots: list[tuple[tuple, str, tuple, Callable]]

    def params(self, inputs: dict[str, Input]) -> list:
        """The compiled parameters, each input's own value in its place."""
        return _substituted(self.compiled.params, {
            place: adapt(_at(inputs[name], where)) for place, name, where, adapt in self.slots})


def _at(value: Input, where: tuple):
    for i in where:
        value = value[i]  # type: ignore[index]
    return value


def _substituted(params, values: dict[tuple, Any], path: tuple = ()):
    if not path and all(len(place) == 1 for place in values) and not any(isinstance(p, (list, tuple))
                                                                         for p in params):
        out = list(params)  # the common case: no list parameter
        for (i,), value in values.items():
            out[i] = value
        return out
    out = []
    for i, p in enumerate(params):
        place = (*path, i)
        out.append(type(p)(_substituted(p, values, place)) if isinstance(p, (list, tuple))
                   else values.get(place, p))
    return out


def _compile(build: Build, inputs: dict[str, Input]) -> _Prepared:
    first = _stand_ins(inputs, False)
    compiled = Compiled.of(build(SimpleNamespace(**first)))
    if not inputs:  # nothing to bind: the key (the function and what it closes over) says it all
        return _Prepared(compiled, [])
    second = _stand_ins(inputs, True)
    other = Compiled.of(build(SimpleNamespace(**second)))
    if compiled.sql != other.sql:
        raise PreparationError(f"the SQL of a prepared query depends on its inputs' values: {compiled.sql} / "
                               f"{other.sql}")
    if compiled.sql is None:
        return _Prepared(compiled, [])
    leaves = {(name, where): (a, b) for name in inputs
              for (where, a), (_, b) in zip(_leaves(first[name]), _leaves(second[name]))}
    slots = _slots(compiled.params, other.params, leaves)
    missing = set(leaves) - {(name, where) for _, name, where, _ in slots}
    if missing:
        raise PreparationError(f"inputs that are no parameter of the query: {sorted(missing)}")
    return _Prepared(compiled, slots)


def _slots(params: tuple, other_params: tuple, leaves: dict) -> list[tuple[tuple, str, tuple, Callable]]:
    """Where each input stands among the parameters: where the two compilations' parameters differ, each must
    be the same input's two stand-ins, as Django adapted them."""
    one, two = list(_params(params)), list(_params(other_params))
    if [place for place, _ in one] != [place for place, _ in two]:
        raise PreparationError("the parameters of a prepared query depend on its inputs' values")
    # the first stand-in of each input, and of each way it may be adapted → the input (looked up, not searched:
    # a query may bind a thousand unit ids)
    index: dict[Any, list] = {}
    for (name, where), (x, y) in leaves.items():
        for adapted in {_as_is(x), connection.ops.adapt_datefield_value(x), str(x)}:
            index.setdefault(adapted, []).append((name, where, x, y))
    slots = []
    for (place, a), (_, b) in zip(one, two):
        if _same(a, b):
            continue
        candidates = index.get(a, []) if isinstance(a, Hashable) else []
        found = [(name, where, adapt) for name, where, x, y in candidates for adapt in _adapters(a)
                 if _same(adapt(x), a) and _same(adapt(y), b)]
        if not found:
            raise PreparationError(f"parameter {place} ({a!r}, then {b!r}) varies with the inputs but is none "
                                   f"of them: computed from one? give it as an input of its own")
        slots.append((place, *found[0]))
    return slots


def _same(x, y) -> bool:
    return type(x) is type(y) and x == y


def _form(qs: QuerySet) -> str:
    kind = qs._iterable_class
    if issubclass(kind, ValuesIterable):
        return "dicts"
    if issubclass(kind, FlatValuesListIterable):
        return "flat"
    if kind is ValuesListIterable:
        return "tuples"
    raise PreparationError("a prepared query gives values() or values_list(), not model instances")
