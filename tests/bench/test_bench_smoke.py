"""Runs each measuring function of bench/lifecycle.py on two lifecycles so the bench cannot rot.
Asserts only that it measured something; timings are never asserted."""

import pytest

from bench.lifecycle import MAIN_LINE, measure_referrals, measure_viewflow
from referral.models import Role


@pytest.fixture
def bench_app(settings):
    """viewflow stores a flow by its app label, so BareFlow's app must be installed."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "bench"]


def test_referral_bench_counts_queries_of_every_step(world):
    result = measure_referrals(world, 2, count=True, warmup=1)

    assert result.rate() > 0
    assert all(result.mean_queries(name) > 0 for name in ("create", *MAIN_LINE))
    assert result.queries_per_lifecycle(prep=True) > result.queries_per_lifecycle() > 0


def test_viewflow_bench_counts_queries(bench_app, world):
    result = measure_viewflow(world.user("fc-msa", Role.CASE_OFFICER), 2, count=True, warmup=1)

    assert result.rate() > 0
    assert result.queries_per_lifecycle() > 0
