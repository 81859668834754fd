"""The test harness itself: property tests reproducible in CI and never timed, a timeout on every test,
and the `slow` marker the quick development run leaves out."""
from hypothesis import HealthCheck, settings


def test_ci_profile_is_derandomised_and_untimed():
    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.deadline is None and HealthCheck.too_slow in ci.suppress_health_check


def test_loaded_profile_never_times_an_example():
    assert settings.default.deadline is None


def test_every_test_has_a_timeout_and_slow_is_a_registered_marker(pytestconfig):
    assert float(pytestconfig.getini("timeout")) > 0
    assert any(line.startswith("slow:") for line in pytestconfig.getini("markers"))
