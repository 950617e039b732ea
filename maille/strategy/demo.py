"""Demo actions of the strategy (placeholder until the strategy app lands)."""


def load() -> dict[str, int]:
    return {}
