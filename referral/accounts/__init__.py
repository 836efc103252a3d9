"""Signing in and staying signed in: passwords, the second factor, lockout, session lifetime.
Every event of it goes into the hash-chained audit trail (services.py)."""
