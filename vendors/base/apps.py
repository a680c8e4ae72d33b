"""The vendor kit as a Django app only so `manage.py sandbox` lives beside the sandboxes it serves.

It has no models; `portal.integrations` (the contract) never imports vendor code, so the command cannot live there.
"""

from django.apps import AppConfig


class VendorKitConfig(AppConfig):
    name = "vendors.base"
    label = "vendor_kit"
    verbose_name = "Vendor sandboxes"
