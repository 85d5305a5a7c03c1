from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"

    def ready(self) -> None:
        # Registers the panel predicates in portfolios.permissions (PANEL_ACCESS/PANEL_RETURN).
        from panels import permissions  # noqa: F401
