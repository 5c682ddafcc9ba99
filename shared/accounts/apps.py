from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shared.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from shared.accounts.reauth import on_user_logged_in

        # The moment of the last login, for re-authentication before sensitive actions.
        user_logged_in.connect(on_user_logged_in, dispatch_uid="accounts-auth-moment")
