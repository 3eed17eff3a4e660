import os

import pytest

# sync Playwright runs an event loop in the test thread; the ORM would refuse to run there otherwise
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1366, "height": 768}}


def pytest_collection_modifyitems(items):
    """Every test that uses a database uses the log-in store too (accounts.loginstore: sessions, lock-out
    counters and the log-in path's waiting audit entries live there): its marker gains databases="__all__"."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None and not {"db", "transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
            continue
        kwargs = dict(marker.kwargs) if marker else {}
        kwargs.setdefault("databases", "__all__")
        item.add_marker(pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False)


def _uses(request, *names) -> bool:
    return any(n in request.fixturenames for n in names)


@pytest.fixture(autouse=True)
def _audit_triggers(request):
    """The audit table's triggers refuse DELETE and TRUNCATE, so a transactional test's flush would fail: only
    this harness drops them, empties the log after such a test and puts them back before the next one."""
    marker = request.node.get_closest_marker("django_db")
    transactional = _uses(request, "transactional_db", "live_server") or bool(
        marker and marker.kwargs.get("transaction"))
    if not (transactional or marker or _uses(request, "db")):
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.db import connection

    from fengqing.accounts import chain

    with connection.cursor() as cursor:
        for sql in chain.create_triggers_sql(connection.vendor):
            cursor.execute(sql)
    yield
    if transactional:
        with connection.cursor() as cursor:
            for sql in chain.drop_triggers_sql(connection.vendor):
                cursor.execute(sql)
            cursor.execute(f"DELETE FROM {chain.AUDIT_TABLE}")
            cursor.execute(f"DELETE FROM {chain.HEAD_TABLE}")


@pytest.fixture(autouse=True, scope="session")
def _verify_prepared():
    """Every prepared query of the suite is checked against the queryset its real inputs build (off in
    production: it costs what preparing saves)."""
    from fengqing import prepared
    prepared.VERIFY = True
    yield
    prepared.VERIFY = False
