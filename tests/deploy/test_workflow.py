"""The GitHub Actions workflow: valid for GitHub's schema, and doing what guides/operator.md promises."""

import importlib.util
import re
import subprocess
import sys

import pytest
import yaml

from support import REPO, require

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
HINT = "check-jsonschema is missing: run 'make test' (it installs the test extras) or pip install check-jsonschema."


@pytest.fixture(scope="module")
def workflow():
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(job):
    return job["steps"]


def runs(job):
    return "\n".join(step.get("run", "") for step in steps(job))


def test_workflow_validates_against_github_s_workflow_schema():
    require(importlib.util.find_spec("check_jsonschema"), HINT)
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_requests_and_pushes_to_main_are_tested_and_built_with_the_whole_history(workflow):
    assert set(workflow["on"]) == {"pull_request", "push"}
    assert workflow["on"]["push"]["branches"] == ["main"]
    test = workflow["jobs"]["test"]
    assert re.search(r"^make test$", runs(test), re.M) and re.search(r"^make build$", runs(test), re.M)
    for name, job in workflow["jobs"].items():
        checkouts = [step for step in steps(job) if step.get("uses", "").startswith("actions/checkout@")]
        assert [step["with"]["fetch-depth"] for step in checkouts] == [0], name


def test_only_a_push_to_main_publishes_one_at_a_time_after_the_tests(workflow):
    publish = workflow["jobs"]["publish"]
    assert publish["needs"] == "test"
    assert publish["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert publish["concurrency"]["cancel-in-progress"] is False
    assert 'make publish TARGET="$TARGET"' in runs(publish)
    publish_step = next(step for step in steps(publish) if "make publish" in step.get("run", ""))
    assert (
        publish_step["env"]["YANDEX_METRICA_ID"] == "${{ vars.YANDEX_METRICA_ID }}"
    )  # the published site counts visits
    assert workflow["permissions"] == {"contents": "read"}


def test_secrets_reach_scripts_through_the_environment_only(workflow):
    for name, job in workflow["jobs"].items():
        for step in steps(job):
            assert "secrets." not in step.get("run", ""), f"{name}: a secret pasted into a script: {step}"
    used = {
        match
        for job in workflow["jobs"].values()
        for step in steps(job)
        for value in step.get("env", {}).values()
        for match in re.findall(r"secrets\.(\w+)", value)
    }
    # RECORD_PUSH_KEY: the deploy key that alone may create the record's tags published/N (operator's guide).
    assert used == {"DEPLOY_SSH_KEY", "DEPLOY_KNOWN_HOSTS", "DEPLOY_TARGET", "RECORD_PUSH_KEY"}


def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment():
    lines = [line for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if re.search(r"\buses:", line)]
    assert lines
    for line in lines:
        assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$", line), line


def test_checkouts_leave_no_credentials_and_every_job_has_a_time_limit(workflow):
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int) and job["timeout-minutes"] <= 90, name
        for step in steps(job):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name


def test_a_pull_request_gets_the_next_edition_in_its_summary_whatever_the_tests_say(workflow):
    summary = workflow["jobs"]["summary"]
    # Its own job, needing nothing: it starts at once and a failing test never hides it.
    assert "needs" not in summary and summary["if"] == "github.event_name == 'pull_request'"
    # GitHub's merge of the branch: the text the merge will publish.
    checkout = next(step for step in steps(summary) if step.get("uses", "").startswith("actions/checkout@"))
    assert "ref" not in checkout["with"]
    step = next(step for step in steps(summary) if "changes" in step.get("run", ""))
    # The title reaches make through the environment only, and make takes it as text (test_changes_report.py).
    assert step["env"] == {"BASE": "origin/${{ github.base_ref }}", "TITLE": "${{ github.event.pull_request.title }}"}
    assert step["run"] == 'make --silent changes >> "$GITHUB_STEP_SUMMARY"'
    # Installed in a step of its own: the summary starts with the summary, never with make's recipe lines.
    install = steps(summary)[steps(summary).index(step) - 1]
    assert install["run"] == "make --silent .venv/.installed > /dev/null"


def test_the_summary_follows_the_title_and_a_title_edit_runs_no_tests(workflow):
    # PyYAML reads the key `on` as True.
    events = workflow.get("on", workflow.get(True))
    assert {"opened", "synchronize", "reopened", "edited"} <= set(events["pull_request"]["types"])
    assert workflow["jobs"]["test"]["if"] == "github.event.action != 'edited'"
    assert workflow["jobs"]["summary"]["concurrency"]["cancel-in-progress"] is True


def test_the_tests_lint_first_and_a_pull_request_gets_the_built_site_as_an_artifact(workflow):
    test = workflow["jobs"]["test"]
    names = [step.get("name") or step.get("uses") for step in steps(test)]
    assert names.index("Lint (ruff, mypy)") < names.index("Test") < names.index("Build (--strict)")
    assert next(step for step in steps(test) if step.get("name") == "Lint (ruff, mypy)")["run"] == "make lint"
    upload = next(step for step in steps(test) if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    assert upload["if"] == "github.event_name == 'pull_request' && matrix.debian == 'bookworm'"
    assert names.index("Build (--strict)") < names.index("Upload the built site")


def test_tests_run_on_debian_bookworm_and_trixie(workflow):
    test = workflow["jobs"]["test"]
    assert test["strategy"]["matrix"]["debian"] == ["bookworm", "trixie"]
    assert test["container"] == "debian:${{ matrix.debian }}"


def test_the_publish_job_pushes_the_record_with_its_own_key_to_this_repository(workflow):
    setup = next(step for step in steps(workflow["jobs"]["publish"]) if "RECORD_PUSH_KEY" in step.get("env", {}))
    assert "RECORD_REMOTE=git@github.com:$REPOSITORY.git" in setup["run"]
    assert "GIT_SSH_COMMAND=ssh -o BatchMode=yes -o IdentitiesOnly=yes -i $RUNNER_TEMP/ssh/record_key" in setup["run"]
    assert setup["env"]["REPOSITORY"] == "${{ github.repository }}"
