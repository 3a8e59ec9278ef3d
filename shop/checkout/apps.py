import oscar.apps.checkout.apps as apps


class CheckoutConfig(apps.CheckoutConfig):
    name = "shop.checkout"

    def ready(self) -> None:
        super().ready()
        # Orders become payable by card through payments/ (its registry, like service jobs).
        # Imported here, not at module top: the adapter loads Oscar's models and vendors'
        # services, which the app registry can only provide once every app is ready.
        from shop.addresses import accept_iranian_postcodes, translate_country_names
        from shop.payables import register_payable

        register_payable()
        accept_iranian_postcodes()
        translate_country_names()
