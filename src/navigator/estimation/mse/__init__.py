"""Multiple systems estimation (MSE) engine, after the R package SparseMSE.

Pure Python (numpy/scipy); imports nothing from Django or the rest of Navigator.

>>> from navigator.estimation.mse import read_table, estimate
>>> result = estimate(read_table("table.csv"), method="stepwise", bootstrap=1000, seed=1)  # doctest: +SKIP
"""

from .core import EstimationError, TableModels
from .estimate import estimate
from .result import BootstrapSummary, ModelSummary, MSEResult
from .sdc import suppress_small
from .table import CaptureTable, TableError, read_table

__all__ = [
    "BootstrapSummary",
    "CaptureTable",
    "EstimationError",
    "MSEResult",
    "ModelSummary",
    "TableError",
    "TableModels",
    "estimate",
    "read_table",
    "suppress_small",
]
