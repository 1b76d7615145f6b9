from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: the `seed_demo`, `seed_scale` and `demo_totp` commands."""

    name = "demo"
    verbose_name = "Demo data"
