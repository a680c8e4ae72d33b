"""Money: how long work may wait for its bill before the three-way match calls it worked but not billed."""

from __future__ import annotations

from portal.settings.env import env_str

__all__ = ["BILLING_GRACE_DAYS"]

# Days after work ends before "worked, not billed" (issue 20). Alaunus invoices and the demo payroll run
# fortnightly, IntelyCare bills weekly and Ceki charges on stop: fourteen days lets every source bill once.
BILLING_GRACE_DAYS = int(env_str("BILLING_GRACE_DAYS", "14"))
