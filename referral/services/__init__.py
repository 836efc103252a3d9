"""Every write to the domain goes through a function in this package.

Lifecycle steps: transitions.py (`run_transition`, the one gate for every step the lifecycle
declares). Case record: referrals.py. Documents: documents.py. Clocks: clocks.py. Audit:
audit.py. Roles: users.py. Leaf helpers every service uses: base.py.
"""
