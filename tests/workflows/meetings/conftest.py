from tests.referral.documents.fixtures import after_commit  # noqa: F401
