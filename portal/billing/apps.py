from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "portal.billing"
    label = "billing"

    def ready(self) -> None:
        from portal.billing.sourcing_prices import price_range
        from portal.shifts import sourcing

        sourcing.register_price_range(price_range)
