"""Demo data loader (placeholder until the regional data lands)."""


def demo_load() -> str:
    """Load the demo data idempotently and return a one-line summary."""
    return "demo data: nothing to load yet"
