"""Fixtures for tests of issued documents, imported by the conftest beside this module and by
the other test modules that issue documents and look at them."""

from functools import partial

import pytest

REAL_RENDERER = "referral.documents.render.render_document"


@pytest.fixture
def real_pdf_renderer(settings):
    """The statutory layout (WeasyPrint) instead of the test settings' plain PDF, for tests that
    read what a PDF says beyond its number and verification code."""
    settings.XIANJIE_DOCUMENT_RENDERER = REAL_RENDERER


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """`with after_commit(): ...` runs what the block leaves for after its commit (the render
    task, eagerly) as a live request would; the test's transaction never commits."""
    return partial(django_capture_on_commit_callbacks, execute=True)
