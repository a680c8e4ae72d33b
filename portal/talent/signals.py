"""Domain signals of the talent app: how a change made in the portal leaves it for a vendor.

Domain apps never import vendors (STYLE "Imports run one way"): the services send these inside the transaction
that records the change, and a vendor's receiver writes its outbox row in the same commit.
"""

from __future__ import annotations

from django.dispatch import Signal

__all__ = ["added_to_account"]

# kwargs: profile (TalentProfile), connection (VendorConnection): add the person to that connection's account
added_to_account = Signal()
