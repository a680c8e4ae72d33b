"""Domain signals of the jobs app: how a client, contact or facility change made in the portal leaves it.

Domain apps never import vendors (STYLE "Imports run one way"). The services in `services.py` send these inside
the transaction that writes the change, so a vendor's receiver writes its outbox row in the same commit. Syncs and
webhooks write through bulk writes and send nothing: the vendor already knows. (Requisitions still leave by
post_save, as before issue 24.)
"""

from __future__ import annotations

from django.dispatch import Signal

__all__ = ["client_contact_removed", "client_contact_saved", "client_saved", "facility_deleted", "facility_saved"]

# kwargs: client (Client), created (bool), changed (frozenset of field attnames; empty when created)
client_saved = Signal()
# kwargs: contact (ClientContact), created (bool), changed (frozenset of field attnames)
client_contact_saved = Signal()
# kwargs: contact (ClientContact), already archived here
client_contact_removed = Signal()
# kwargs: facility (Facility), created (bool), changed (frozenset of field attnames)
facility_saved = Signal()
# kwargs: facility (Facility), already archived here; deleted at its vendor too
facility_deleted = Signal()
