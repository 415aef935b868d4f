"""The candidate's and the interviewer's loop in a real browser (issue 6, "Real browser").

Real JupyterLab (this environment's `jupyter lab`, with nbgrader's extensions) serves a scratch
course on a free loopback port; headless Chromium (Debian's `chromium`, driven by Playwright)
opens the release notebook of ASSIGNMENT, types the reference solution of one solution cell
into JupyterLab's editor, runs all cells, waits for the kernel and saves. The saved file is
then graded by `mlchallenge grade` (the sandboxed nbgrader autograde), which must give that
cell's test its points and no others, and nbgrader's formgrader page of the same server must
list the assignment with its one submission. Screenshots go to build/screenshots/.

Nothing is mocked: a missing Chromium fails the test with the command that installs it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, end_process_group

from mlchallenge.core.course import Course
from mlchallenge.dev.demo import make_scratch_course
from mlchallenge.interviewer.attempts import SOLUTION_MARKER

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.sandbox]

BIN = Path(sys.executable).parent
ASSIGNMENT = "missing-data"
SOLVED_CELL = "profile"  # the solution cell typed in the browser
STUDENT = "browser-candidate"
FIRST_LINE = "# typed in the browser"  # typed key by key, above the pasted solution
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    # no calls to Chromium's own services (updates, sync, field trials) during a test
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DIRTY_TAB = ".lm-TabBar-tab.jp-mod-current.jp-mod-dirty"  # the open notebook has unsaved edits
STARTUP_SECONDS = 60
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
RUN_SECONDS = 120


# ---------------------------------------------------------------------------------------------
# helpers: the course on disk, the notebook's cells, waiting
# ---------------------------------------------------------------------------------------------

def grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def reference_solution(grade: str) -> str:
    """The source notebook's solution for one solution cell, without nbgrader's markers: what
    the catalogued `reference` attempt hands in for that cell."""
    source = nbformat.read(ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    cell = next(c for c in source.cells if grade_id(c) == grade)
    return "\n".join(line for line in cell.source.splitlines() if not SOLUTION_MARKER.match(line))


def wait_for(what: str, condition, timeout: float, interval: float = 0.2):
    """Poll ``condition`` until it returns something truthy; fail saying ``what`` did not happen."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium_path() -> str:
    found = shutil.which("chromium")
    if not found:
        pytest.fail("the browser test needs Debian's chromium: run 'make browser' "
                    "(or 'sudo apt-get install chromium'); it is not skipped, CI must run it",
                    pytrace=False)
    return found


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    print(f"screenshot: {path}")
    return path


# ---------------------------------------------------------------------------------------------
# JupyterLab: a real server on a free loopback port, in a scratch course
# ---------------------------------------------------------------------------------------------

@dataclass
class Lab:
    root: Path  # the course root, also JupyterLab's root folder
    url: str  # http://127.0.0.1:PORT
    token: str
    log: Path
    release: subprocess.Popen  # `mlchallenge release ASSIGNMENT` in the course, started first

    def released(self) -> None:
        out, _ = self.release.communicate(timeout=300)
        assert self.release.returncode == 0, f"mlchallenge release failed:\n{out}"

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with NO_PROXY.open(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def page_url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.url}{path}{sep}token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _settings(folder: Path) -> None:
    """JupyterLab user settings for a test run: every cell stays in the page (no windowing),
    and no news or update checks (a test asks no outside server)."""
    for plugin, values in {
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                        "checkForUpdates": False},
    }.items():
        package, name = plugin.rsplit("/", 1)
        target = folder / package / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A scratch course (config, source/, datasets/, release/ASSIGNMENT) holding a candidate's
    copy of the release folder under candidate/, served by `jupyter lab` run from the course
    root, so nbgrader's formgrader reads the course's nbgrader_config.py."""
    base = tmp_path_factory.mktemp("browser")
    course = make_scratch_course(Course(ROOT), base / "course")
    # the interviewer releases the assignment (nbgrader records its cells in the gradebook);
    # it runs while JupyterLab starts and the candidate works, and grading waits for it
    release = subprocess.Popen([str(BIN / "mlchallenge"), "release", ASSIGNMENT], cwd=course.root,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # what the candidate received: the committed release folder (a test keeps it in sync)
    shutil.copytree(ROOT / "release" / ASSIGNMENT, course.root / "candidate" / ASSIGNMENT)
    home = base / "jupyter"
    _settings(home / "lab-settings")
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        # nothing from the user's own Jupyter or IPython set-up
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
    }
    token = secrets.token_hex(24)
    log = base / "jupyter-lab.log"
    for _attempt in range(3):  # a port taken between free_port() and the bind: try another
        port = free_port()
        with log.open("w") as out:
            process = subprocess.Popen(
                [str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
                 "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
                 f"--ServerApp.root_dir={course.root}",
                 *(["--allow-root"] if os.geteuid() == 0 else [])],
                cwd=course.root, env=env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        server = Lab(course.root, f"http://127.0.0.1:{port}", token, log, release)

        def answers(server=server, process=process):
            if process.poll() is not None:
                return "exited"
            try:
                return "up" if server.api("/api/status") is not None else None
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                return None

        state = wait_for("JupyterLab to answer", answers, STARTUP_SECONDS)
        if state == "up" or "already in use" not in log.read_text(errors="replace"):
            break
    try:
        if state != "up":
            pytest.fail(f"JupyterLab did not start:\n{log.read_text(errors='replace')}",
                        pytrace=False)
        yield server
    finally:
        _stop(process, server)
        if release.poll() is None:
            release.kill()
        release.communicate()


def _stop(process: subprocess.Popen, server: Lab) -> None:
    """Shut JupyterLab down through its API (it stops its kernels), then wait for it to exit;
    signals to its own process group only if it does not."""
    with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
        server.api("/api/shutdown", method="POST")
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        end_process_group(process, grace=10)


# ---------------------------------------------------------------------------------------------
# the browser: headless Debian Chromium driven by Playwright
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's Chromium; its absence fails the test (before JupyterLab starts) with the fix."""
    return chromium_path()


@pytest.fixture()
def page(chromium, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=chromium, headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 1200})
        try:
            tab = context.pages[0] if context.pages else context.new_page()
            tab.set_default_timeout(30_000)
            yield tab
        finally:
            context.close()


def open_notebook(page, lab: Lab, path: str) -> None:
    page.goto(lab.page_url(f"/lab/tree/{path}?reset"))
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=STARTUP_SECONDS * 1000)
    kernel_idle_in_page(page, timeout=STARTUP_SECONDS)
    kernel_ready(page, lab, path, timeout=STARTUP_SECONDS)


def kernel_idle_in_page(page, timeout: float) -> None:
    """JupyterLab's own kernel status in the notebook's toolbar says Idle."""
    page.locator(".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status='idle']") \
        .wait_for(state="attached", timeout=timeout * 1000)


def kernel_ready(page, lab: Lab, path: str, timeout: float) -> None:
    """The notebook's kernel has started and answered, as a candidate waits for it before Run
    All: the server holds the notebook's session with an idle kernel, and the status bar says
    Idle. (The toolbar's indicator can say idle before the session exists, and JupyterLab
    leaves every cell unrun when Run All comes before the notebook has its kernel.)"""
    def ready():
        sessions = [s for s in lab.api("/api/sessions") if s["path"] == path]
        if not sessions or sessions[0]["kernel"]["execution_state"] != "idle":
            return False
        return "| Idle" in page.locator(".jp-StatusBar-Widget").inner_text()

    wait_for("the notebook's kernel to start and answer", ready, timeout, interval=0.3)


def code_cell(page, grade: str, contains: str):
    """The code cell of the open notebook whose editor shows ``contains``."""
    cell = page.locator(".jp-Notebook .jp-CodeCell").filter(
        has=page.locator(".cm-content", has_text=contains))
    cell.first.wait_for(state="attached")  # the notebook's cells fill in after it opens
    assert cell.count() == 1, f"expected one code cell showing {contains!r} ({grade})"
    return cell


def type_into_cell(page, cell, code: str) -> None:
    """Click into the cell's editor, select what is there and type over it: the first line key
    by key, the solution as one insertion (a paste; typing it key by key would have the
    editor's auto-indent add to the indentation already in the text)."""
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(FIRST_LINE)
    page.keyboard.press("Enter")
    page.keyboard.insert_text(code)
    expected_lines = [FIRST_LINE, *code.splitlines()]
    wait_for("the typed code to show in the editor",
             lambda: editor.locator(".cm-line").all_inner_texts() == expected_lines, 10)


def run_all_cells(page) -> None:
    """Run > Run All Cells, from JupyterLab's menu bar."""
    page.locator(".lm-MenuBar-item").get_by_text("Run", exact=True).click()
    page.locator(".lm-Menu:visible").get_by_text("Run All Cells", exact=True).click()


def wait_until_run_finished(page, lab: Lab, notebook: str, timeout: float) -> None:
    """The run has started and ended: some cell has an execution count, none is waiting or
    running (a [*] prompt), the page's kernel indicator says Idle, and the server's kernel of
    this notebook is idle."""
    prompts = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt")

    def finished():
        texts = prompts.all_inner_texts()
        if any("*" in t for t in texts) or not any(c.isdigit() for t in texts for c in t):
            return False
        if not page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count():
            return False
        sessions = [s for s in lab.api("/api/sessions") if s["path"] == notebook]
        return bool(sessions) and sessions[0]["kernel"]["execution_state"] == "idle"

    wait_for("the kernel to finish running all cells", finished, timeout, interval=0.3)


def save(page, lab: Lab, path: str, expected: str) -> dict:
    """Ctrl+S, then wait until JupyterLab marks the notebook clean and the file on disk holds
    ``expected``; the saved notebook's JSON."""
    page.keyboard.press("ControlOrMeta+s")
    page.locator(DIRTY_TAB).wait_for(state="detached", timeout=20_000)
    file = lab.root / path

    def saved():
        try:
            notebook = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return notebook if expected in json.dumps(notebook) else None

    return wait_for(f"{path} on disk to hold the typed code", saved, 20)


# ---------------------------------------------------------------------------------------------
# grading the saved notebook, as an interviewer would
# ---------------------------------------------------------------------------------------------

def submit(lab: Lab, folder: Path, student: str) -> Path:
    """What the candidate hands in, where nbgrader expects it: submitted/<student>/ASSIGNMENT/."""
    target = lab.root / "submitted" / student / ASSIGNMENT
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


def mlchallenge(lab: Lab, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "mlchallenge"), *args], cwd=lab.root, capture_output=True,
                          text=True, timeout=600)


def task_scores(lab: Lab, student: str) -> dict[str, float]:
    """Points per graded cell of one submission, read from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{lab.root / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student)
        return {grade.name: grade.score for notebook in submission.notebooks
                for grade in notebook.grades if grade.cell.cell_type == "code"}


class Steps:
    """Each step of the walk-through, timed; on a failure, a screenshot of the page as it was
    and the end of JupyterLab's log."""

    def __init__(self, page, lab: Lab):
        self.page, self.lab, self.times = page, lab, {}

    @contextlib.contextmanager
    def step(self, name: str):
        started = time.monotonic()
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                screenshot(self.page, f"failed-{name}")
            print(f"step {name!r} failed; JupyterLab's log ends with:\n{self.lab.log_tail()}")
            raise
        self.times[name] = time.monotonic() - started

    def summary(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.times.items())


def test_candidate_solves_in_the_browser_and_the_interviewer_grades(chromium, lab, page):
    for old in SCREENSHOTS.glob("*.png"):  # a previous run's, failed steps' included
        old.unlink()
    steps = Steps(page, lab)
    notebook_path = f"candidate/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    solution = reference_solution(SOLVED_CELL)
    signature = solution.splitlines()[0]  # the release stub keeps the signature line

    # --- the candidate: open, type one solution, run everything, save ---------------------
    with steps.step("open"):
        open_notebook(page, lab, notebook_path)
        cell = code_cell(page, SOLVED_CELL, signature)
        assert "raise NotImplementedError()" in cell.locator(".cm-content").inner_text()
    with steps.step("type"):
        type_into_cell(page, cell, solution)
        assert page.locator(DIRTY_TAB).count() == 1, "the edited notebook should be marked unsaved"
    with steps.step("run"):
        run_all_cells(page)
        wait_until_run_finished(page, lab, notebook_path, RUN_SECONDS)
        # the solved cell's public test passed; the run stopped at the next task's test
        test_cell = code_cell(page, "test-profile", "_p = missingness_profile(_toy)")
        assert test_cell.locator(".jp-InputPrompt").inner_text().strip("[]: ").isdigit()
        assert test_cell.locator(".jp-OutputArea-output").count() == 0, "the public test failed"
        errors = page.locator(".jp-Notebook .jp-OutputArea-output", has_text="NotImplementedError")
        assert errors.count() == 1, "the run should stop at the first test of an untouched stub"
    with steps.step("save"):
        saved = save(page, lab, notebook_path, FIRST_LINE)
        cell.evaluate("element => element.scrollIntoView({block: 'start'})")
        shot = screenshot(page, "notebook-after-run")  # the typed cell, its passing test, a plot
        # the file on disk holds what was typed, and what the run did
        cells = {grade_id(c): c for c in saved["cells"] if grade_id(c)}
        assert "".join(cells[SOLVED_CELL]["source"]) == f"{FIRST_LINE}\n{solution}"
        assert cells["test-profile"]["execution_count"] is not None
        assert not [o for o in cells["test-profile"]["outputs"] if o["output_type"] == "error"]
        assert [o["ename"] for o in cells["test-impute-train"]["outputs"]
                if o["output_type"] == "error"] == ["NotImplementedError"]
        assert cells["test-impute-leakage"]["execution_count"] is None  # nothing ran after it

    # --- the candidate: check the saved notebook with the public tests -----------------------
    with steps.step("check"):
        checked = mlchallenge(lab, "check", notebook_path)
        assert checked.returncode == 1, checked.stdout + checked.stderr  # not every test passes
        statuses = dict(re.findall(r"^(test-[\w-]+)\s+(passed|failed|not attempted)",
                                   checked.stdout, re.MULTILINE))
        assert statuses.pop("test-profile") == "passed", checked.stdout
        assert statuses and set(statuses.values()) == {"not attempted"}, checked.stdout

    # --- the interviewer: collect and grade ------------------------------------------------
    with steps.step("release"):  # started with JupyterLab; usually over by now
        lab.released()
    with steps.step("grade"):
        submit(lab, lab.root / "candidate" / ASSIGNMENT, STUDENT)
        graded = mlchallenge(lab, "grade", ASSIGNMENT, "--student", STUDENT, "--workers", "1")
        assert graded.returncode == 0, graded.stdout + graded.stderr
        row = next(line.split() for line in graded.stdout.splitlines() if STUDENT in line)
        assert row[2:4] == ["2", "15"], graded.stdout  # the profile task's 2 of 15 points
        scores = task_scores(lab, STUDENT)
        assert scores.pop("test-profile") == 2.0, scores
        assert scores and all(score == 0 for score in scores.values()), scores

    # --- the interviewer: nbgrader's formgrader in the same JupyterLab ---------------------
    with steps.step("formgrader"):
        page.goto(lab.page_url("/formgrader"))
        row = page.locator("tr", has=page.locator("td.name", has_text=ASSIGNMENT))
        row.wait_for(state="visible")
        wait_for("the formgrader to count the submission",
                 lambda: row.locator("td.num-submissions").inner_text().strip() == "1", 20)
        formgrader_shot = screenshot(page, "formgrader-assignments")

    # --- the interviewer: the candidate's report page ---------------------------------------
    with steps.step("report"):
        out = lab.root / "reports"
        reported = mlchallenge(lab, "report", ASSIGNMENT, "--candidate", STUDENT, "--out", str(out))
        assert reported.returncode == 0, reported.stdout + reported.stderr
        page.goto((out / f"{STUDENT}.html").as_uri())
        page.locator("h1", has_text=STUDENT).wait_for(state="visible")
        # 15 test points and a written answer left blank (nbgrader scores an untouched one 0)
        assert "2 of 18 points" in page.locator("body").inner_text()
        rows = {page.locator("tr.task").nth(i).locator("code").first.inner_text():
                page.locator("tr.task").nth(i).inner_text()
                for i in range(page.locator("tr.task").count())}
        assert "passed" in rows["test-profile"], rows
        assert "not attempted" in rows["test-impute-train"], rows
        assert page.locator("li.follow-up").count() > 0, "follow-up questions for the interview"
        assert "BEGIN HIDDEN" not in page.content()
        report_shot = screenshot(page, "report-candidate")

    print(f"browser test steps: {steps.summary()}")
    print(f"screenshots: {shot} {formgrader_shot} {report_shot}")
