"""The adapter's one rule for how loud a problem is (plugin.severity)."""

import pytest

from alectro_policy.plugin import severity


@pytest.mark.parametrize(
    ("command", "strict", "past_edition", "unpublishable", "expected"),
    [
        # A problem the editor can fix: a warning, which a strict build turns into a failure.
        ("build", False, False, False, "warning"),
        ("build", True, False, False, "warning"),
        # A site that must not be published stops a strict build at once.
        ("build", True, False, True, "error"),
        ("build", False, False, True, "warning"),
        # History cannot be corrected: a past edition's problem is information, even in a strict build.
        ("build", True, True, False, "info"),
        # The preview is what the editor asked for: 'mkdocs serve --strict' keeps serving.
        ("serve", True, False, False, "info"),
        ("serve", True, False, True, "info"),
        ("gh-deploy", True, False, True, "error"),
    ],
)
def test_one_rule_decides_how_loud_a_problem_is(command, strict, past_edition, unpublishable, expected):
    assert severity(command, strict, past_edition=past_edition, unpublishable=unpublishable) == expected
