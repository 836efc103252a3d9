from .fixtures import after_commit, real_pdf_renderer  # noqa: F401
