import pytest


@pytest.fixture
def flow_world(world, django_capture_on_commit_callbacks):
    """A World whose steps run their after-commit work (the flow sync) as they would live."""

    class FlowWorld:
        def __getattr__(self, name):
            return getattr(world, name)

        def new_referral(self, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return world.new_referral(*args, **kwargs)

        def do(self, referral, name, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return world.do(referral, name, **kwargs)

        def reach(self, state, **kwargs):
            referral = self.new_referral(kwargs.pop("kind", None) or "criminal_transfer")
            from tests.factories import path_to

            _kind, path = path_to(state, kind=referral.kind)
            for name in path:
                self.do(referral, name)
            referral.refresh_from_db()
            return referral

    return FlowWorld()
