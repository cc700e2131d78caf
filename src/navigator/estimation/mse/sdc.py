"""Statistical disclosure control for published counts."""

from __future__ import annotations


def suppress_small(count: int | float | None, threshold: int = 5) -> str:
    """Text for a count in a publication, hiding small counts.

    Counts from 1 to ``threshold - 1`` are shown as ``"<threshold"`` (default ``"<5"``), the usual
    statistical-disclosure practice. A count of 0 is shown as ``"0"``: it discloses no person (a
    structural or observed zero). Larger counts are shown as whole numbers; ``None`` gives ``""``.
    Non-integer values (estimates) are rounded before the test.
    """
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    if count is None:
        return ""
    if count < 0:
        raise ValueError("a count cannot be negative")
    n = int(round(count))
    if 0 < n < threshold:
        return f"<{threshold}"
    return str(n)
