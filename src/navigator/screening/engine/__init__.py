"""Pure-Python modern-slavery indicator screening engine (no Django, no Navigator imports).

>>> from navigator.screening.engine import Screener
>>> s = Screener()
>>> r = s.screen("IP works at a nail bar; the boss keeps her passport.", ref="INC-1")
>>> r.flagged
True
"""

from .library import KINDS, SUBSTANTIVE_KINDS, Indicator, Library, LibraryError, load_library
from .screener import DEFAULT_THRESHOLD, Hit, Screener, ScreeningResult

__all__ = [
    "DEFAULT_THRESHOLD",
    "KINDS",
    "SUBSTANTIVE_KINDS",
    "Hit",
    "Indicator",
    "Library",
    "LibraryError",
    "Screener",
    "ScreeningResult",
    "load_library",
]
