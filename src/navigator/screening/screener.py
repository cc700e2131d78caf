"""The one Screener a process uses, built from the indicator library, the wording model and any calibration a
lead accepted."""

from functools import lru_cache

from .engine.library import Library, load_library
from .engine.screener import DEFAULT_THRESHOLD, Screener
from .engine.wording import load_wording_model


def active_calibration():
    from .models import Calibration, CalibrationStatus

    return Calibration.objects.filter(status=CalibrationStatus.ACCEPTED).order_by("-accepted_at").first()


@lru_cache(maxsize=4)
def _screener(calibration_id: int | None) -> Screener:
    library = load_library()
    wording = load_wording_model()
    threshold = DEFAULT_THRESHOLD
    if calibration_id is not None:
        from .models import Calibration

        calibration = Calibration.objects.get(pk=calibration_id)
        data = library.to_dict(patterns=True)
        for item in data["indicators"]:
            item["weight"] = calibration.weights.get(item["id"], item["weight"])
        library = Library.from_dict(data)
        wording = wording.with_weights(calibration.weights)
        threshold = calibration.threshold
    return Screener(library, threshold=threshold, wording=wording)


def current_screener() -> Screener:
    calibration = active_calibration()
    return _screener(calibration.pk if calibration else None)
