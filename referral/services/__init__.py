"""Every write to the domain goes through a function in this package.

Lifecycle steps: transfer.py (the agency), police.py, supervision.py (the procuratorate),
detention.py. Case record: referrals.py. Clocks: clocks.py. Audit: audit.py. Roles: users.py.
"""
