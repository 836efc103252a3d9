from tests.referral.documents.fixtures import after_commit, real_pdf_renderer  # noqa: F401
