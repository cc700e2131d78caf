"""The one Screener a process uses, built from the indicator library, the wording model and any calibration a
lead accepted."""

from collections.abc import Mapping
from functools import lru_cache

from .engine.library import Library, load_library
from .engine.screener import DEFAULT_THRESHOLD, Screener
from .engine.wording import load_wording_model


def active_calibration():
    from .models import Calibration, CalibrationStatus

    return Calibration.objects.filter(status=CalibrationStatus.ACCEPTED).order_by("-accepted_at").first()


def screener_with(weights: Mapping[str, float], threshold: float) -> Screener:
    """The bundled library and wording model with *weights* (by indicator id; others keep theirs) and *threshold*."""
    data = load_library().to_dict(patterns=True)
    for item in data["indicators"]:
        item["weight"] = weights.get(item["id"], item["weight"])
    return Screener(Library.from_dict(data), threshold=threshold, wording=load_wording_model().with_weights(weights))


@lru_cache(maxsize=4)
def _screener(calibration_id: int | None) -> Screener:
    if calibration_id is None:
        return Screener(load_library(), threshold=DEFAULT_THRESHOLD, wording=load_wording_model())
    from .models import Calibration

    calibration = Calibration.objects.get(pk=calibration_id)
    return screener_with(calibration.weights, calibration.threshold)


def current_screener() -> Screener:
    calibration = active_calibration()
    return _screener(calibration.pk if calibration else None)
