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


def pytest_collection_modifyitems(config, items):
    """Deselects `postgres`-marked tests (real row locks, concurrent connections) when the
    database is not PostgreSQL, so plain `pytest` on SQLite passes; says so in one line."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if not deselected:
        return
    items[:] = [item for item in items if not item.get_closest_marker("postgres")]
    config.hook.pytest_deselected(items=deselected)
    config._postgres_deselected = len(deselected)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    count = getattr(config, "_postgres_deselected", 0)
    if count:
        terminalreporter.write_line(f"{count} {POSTGRES_ONLY_REASON}")
