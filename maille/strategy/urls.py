"""Pages of the strategy (filled in by the strategy pages work)."""

app_name = "strategy"
urlpatterns: list = []
