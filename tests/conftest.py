import pytest

from tests.factories import World


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(settings, tmp_path):
    """Checkpoints anchor one database's chain: each test's database gets its own file."""
    settings.XIANJIE_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def tx_world(transactional_db):
    """A World whose data is committed, for tests where several threads or connections act."""
    return World()


POSTGRES_ONLY_REASON = (
    "PostgreSQL-only tests deselected: DATABASE_URL is not PostgreSQL (bin/test runs them "
    "on a throwaway PostgreSQL)"
)
DATABASE_FREE_REASON = (
    "tests that cannot reach the database deselected (XIANJIE_TESTS_DATABASE_ONLY): their "
    "outcome does not depend on it, and bin/test ran them on its SQLite pass"
)
_DESELECTED = pytest.StashKey[dict]()  # reason -> how many tests it deselected
# pytest-django's doors to the test database: a test whose fixture closure holds none of them,
# has no django_db mark and is not one of the marked whole-system kinds is refused every
# query, so any database gives it the same result. (Module-scoped worlds that unblock the
# database themselves, like the access matrix's, are marked `system`.)
DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}
DATABASE_MARKS = ("django_db", "postgres", "system", "browser")


def _reaches_database(item) -> bool:
    return any(item.get_closest_marker(mark) for mark in DATABASE_MARKS) or not (
        DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config, items):
    """Deselects `postgres`-marked tests (real row locks, concurrent connections) when the
    database is not PostgreSQL, so plain `pytest` on SQLite passes; with
    XIANJIE_TESTS_DATABASE_ONLY=1 (bin/test's PostgreSQL pass) also the tests that cannot reach
    the database. Each says so in one line at the end."""
    import os

    from django.conf import settings

    rules = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        rules.append((POSTGRES_ONLY_REASON, lambda item: item.get_closest_marker("postgres")))
    if os.environ.get("XIANJIE_TESTS_DATABASE_ONLY") == "1":
        rules.append((DATABASE_FREE_REASON, lambda item: not _reaches_database(item)))
    counts = config.stash.setdefault(_DESELECTED, {})
    for reason, rule in rules:
        deselected = [item for item in items if rule(item)]
        if deselected:
            items[:] = [item for item in items if not rule(item)]
            config.hook.pytest_deselected(items=deselected)
            counts[reason] = counts.get(reason, 0) + len(deselected)


def pytest_sessionfinish(session):
    """Under pytest-xdist a worker collects: it hands its counts to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["deselected"] = session.config.stash.get(_DESELECTED, {})


def pytest_configure(config):
    if config.pluginmanager.hasplugin("xdist"):

        class _CollectCounts:
            @pytest.hookimpl
            def pytest_testnodedown(self, node, error):
                # Every worker collects the same items: keep one worker's counts.
                counts = getattr(node, "workeroutput", {}).get("deselected", {})
                config.stash[_DESELECTED] = dict(counts)

        config.pluginmanager.register(_CollectCounts(), "xianjie-deselected-counts")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for reason, count in config.stash.get(_DESELECTED, {}).items():
        terminalreporter.write_line(f"{count} {reason}")
