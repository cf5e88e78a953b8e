"""``require``: a missing tool skips a test on a developer's machine and fails it under CI, never passing silently."""

import pytest

from support import require


def test_a_found_tool_is_returned(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert require("/usr/sbin/nginx", "no nginx") == "/usr/sbin/nginx"


def test_a_missing_tool_skips_the_test_locally_with_the_hint(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install nginx"):
        require(None, "No nginx found: apt-get install nginx")


def test_a_missing_tool_fails_the_test_under_ci_with_the_hint(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install nginx"):
        require(None, "No nginx found: apt-get install nginx")
