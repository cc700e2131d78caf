import pytest

from navigator.screening.engine import Screener


@pytest.fixture(scope="session")
def screener() -> Screener:
    return Screener()
