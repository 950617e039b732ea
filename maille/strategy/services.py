"""Changing the strategy: loading its published structure (placeholder until the strategy app lands)."""


def load_strategy() -> dict[str, int]:
    return {}
