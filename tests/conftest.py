import pytest

from tests.factories import World


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def tx_world(transactional_db):
    """A World whose data is committed, for tests where several threads or connections act."""
    return World()
