import pytest

from tests.factories import World

_DESELECTED = pytest.StashKey[dict]()  # reason -> how many tests it deselected


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
# Fixtures whose tests count queries: a count is the engine's (savepoints, locks, plans).
QUERY_COUNT_FIXTURES = {"django_assert_num_queries", "django_assert_max_num_queries"}


def _long_first(item) -> int:
    if item.get_closest_marker("xdist_group"):
        return 0
    return 1 if item.get_closest_marker("browser") else 2


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by the marks added here
def pytest_collection_modifyitems(config, items):
    """Marks the tests that count queries `engine` (bin/test's PostgreSQL pass selects the
    marks whose outcome the engine can change: `postgres or engine or browser or system`), and
    deselects `postgres`-marked tests (real row locks, concurrent connections) when the database
    is not PostgreSQL, so plain `pytest` on SQLite passes, saying so in one line at the end."""
    from django.conf import settings

    for item in items:
        if not QUERY_COUNT_FIXTURES.isdisjoint(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.engine)
    # The longest work first, so that no worker is left alone with it at the end of a pass:
    # the groups one worker runs whole (the seeded demo, the access matrix), then the browser
    # walks. The order within each stays as collected.
    items.sort(key=_long_first)
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if deselected:
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]
        config.hook.pytest_deselected(items=deselected)
        config.stash[_DESELECTED] = {POSTGRES_ONLY_REASON: len(deselected)}


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
