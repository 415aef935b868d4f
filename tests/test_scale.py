"""`mlchallenge grade --scheduler tcp://... --db postgresql://...`: a real Dask cluster (`dask
scheduler` and two `dask worker` processes on loopback) grades into a real PostgreSQL gradebook,
with a worker killed in the middle of a task. Every submission is graded once, with the scores
local grading (one worker, SQLite) gives; the sandbox holds on the cluster's workers too.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import (
    CLUSTER_ATTEMPTS,
    RUNNER_ASSIGNMENT,
    SUBMISSIONS,
    code_scores,
    count_rows,
    runner_course,
    score_table,
)
from nbgrader.api import Gradebook

from mlchallenge.core.errors import KitError
from mlchallenge.dev.local_services import local_dask
from mlchallenge.grading.results import read_result
from mlchallenge.interviewer.attempts import parse_attempt, write_submission

pytestmark = [pytest.mark.slow, pytest.mark.sandbox, pytest.mark.cluster]

ASSIGNMENT = RUNNER_ASSIGNMENT
BIN = Path(sys.executable).parent
# attacks graded on the cluster: the worker's scratch course (gradebook, source/) sits on its
# disk and the worker has its own environment, and the kernel must reach neither (quick ones:
# the attacks that search the whole file system take minutes; test_hostile.py runs them all)
HOSTILE_ON_CLUSTER = ("write-outside", "grading-detector")


@pytest.fixture(scope="module")
def cluster():
    try:
        with local_dask(workers=2) as running:
            yield running
    except KitError as exc:
        pytest.fail(f"the Dask tests need `dask scheduler` and `dask worker`: {exc}")


def _executing(cluster) -> dict[str, list[str]]:
    """The task keys each worker is running right now, by worker name."""
    def running(dask_worker):
        return [str(ts.key) for ts in dask_worker.state.executing]

    with cluster.client() as client:
        by_address = client.run(running)
        names = {address: info["name"] for address, info in
                 client.scheduler_info()["workers"].items()}
    return {names[address]: keys for address, keys in by_address.items()}


@pytest.fixture(scope="module")
def cluster_run(cluster, postgres, tmp_path_factory):
    """The batch graded on the cluster into PostgreSQL; one worker SIGKILLed mid-task."""
    db_url = postgres.create_database("cluster")
    # the course's own config keeps SQLite: --db points the run at PostgreSQL
    course, attempts = runner_course(tmp_path_factory.mktemp("cluster") / "course",
                                     names=CLUSTER_ATTEMPTS)
    hostile = {}
    for name in HOSTILE_ON_CLUSTER:
        attempt = parse_attempt(ASSIGNMENT, SUBMISSIONS / "hostile" / f"{name}.py")
        hostile[name] = attempt
        write_submission(attempt, course.root)
    journal = course.root / "autograded" / ".mlchallenge" / f"{ASSIGNMENT}.jsonl"
    started = time.monotonic()
    run = subprocess.Popen([str(BIN / "mlchallenge"), "grade", ASSIGNMENT, "--scheduler",
                            cluster.address, "--db", db_url], cwd=course.root,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed: dict[str, list[str]] = {}
    deadline = time.monotonic() + 600
    # once grading is under way (a result is in), kill a worker that is running a task
    while not killed and time.monotonic() < deadline and run.poll() is None:
        if journal.is_file() and journal.read_text().strip():
            for name, keys in _executing(cluster).items():
                if keys:
                    cluster.kill_worker(name)
                    killed[name] = keys
                    break
        time.sleep(0.5)
    out, err = run.communicate(timeout=900)
    return {"course": course, "db_url": db_url, "attempts": attempts, "hostile": hostile,
            "run": run, "stdout": out, "stderr": err, "killed": killed, "journal": journal,
            "cluster_files": cluster.base,
            "seconds": time.monotonic() - started}


def test_a_worker_killed_mid_task_loses_no_submission(cluster_run):
    run = cluster_run
    assert run["killed"], "no worker was caught running a task: the kill did not happen"
    [keys] = run["killed"].values()
    assert any(key.startswith(f"grade-{ASSIGNMENT}-") for key in keys), keys
    assert run["run"].returncode == 0, run["stdout"] + run["stderr"]
    everyone = set(run["attempts"]) | set(run["hostile"])
    lines = [json.loads(line) for line in run["journal"].read_text().splitlines()]
    assert sorted(entry["student"] for entry in lines) == sorted(everyone)  # once each
    assert count_rows(run["db_url"], "SELECT COUNT(*) FROM submitted_assignment") == len(everyone)


def test_the_cluster_gives_the_scores_of_local_grading(cluster_run, serial_scores):
    course = cluster_run["course"]
    with Gradebook(cluster_run["db_url"]) as gradebook:
        results = [read_result(gradebook, ASSIGNMENT, s) for s in cluster_run["attempts"]]
    assert score_table(results) == {name: serial_scores[name] for name in CLUSTER_ATTEMPTS}
    # the course's own SQLite gradebook was not written: the run went to PostgreSQL
    assert count_rows(f"sqlite:///{course.root / 'gradebook.db'}",
                      "SELECT COUNT(*) FROM submitted_assignment") == 0


def test_the_sandbox_holds_on_the_cluster_workers(cluster_run):
    scores = code_scores(cluster_run["db_url"])
    for name, attempt in cluster_run["hostile"].items():
        assert attempt.expects(scores[name]), (name, scores[name])
    autograded = cluster_run["course"].root / "autograded"
    for name in cluster_run["hostile"]:
        nb = nbformat.read(autograded / name / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", [])
                          if o.get("output_type") == "stream")
        assert not any(line.startswith("LEAK:") for line in printed.splitlines()), name
    assert count_rows(cluster_run["db_url"],
                      "SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL") == 0
    # nothing written outside the kernel's folder: not in the workers' scratch courses
    assert not list(cluster_run["cluster_files"].rglob("PWNED"))
    assert not list(cluster_run["course"].root.rglob("PWNED"))


def test_an_unreachable_scheduler_is_a_one_line_error(cluster_run):
    done = subprocess.run([str(BIN / "mlchallenge"), "grade", ASSIGNMENT, "--regrade",
                           "--scheduler", "tcp://127.0.0.1:9"], cwd=cluster_run["course"].root,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in done.stderr
