"""Kernels forked from one sandboxed factory are as separate as kernels started on their own: a
new process each, a user each, nothing of the kernel before them left (files, processes, random
state, System V or POSIX shared memory), storage that stops at its caps, and no capability left
to a candidate."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from mlchallenge.core.errors import KitError
from mlchallenge.preprocessors.execute import GradingExecute
from mlchallenge.sandbox.launch import KernelPool, can_fork_kernels

pytestmark = [pytest.mark.sandbox]

FIRST = r"""
import json, os, subprocess, sys
import numpy as np
from ipykernel.kernelapp import IPKernelApp
open('/home/candidate/work/secret-first.txt', 'w').write('mine')
open('/tmp/secret-first.txt', 'w').write('mine')
child = subprocess.Popen(['sleep', '300'], start_new_session=True)
status = open('/proc/self/status').read()
# a note in System V shared memory (64 MB) and one in POSIX shared memory (/dev/shm)
import ctypes, ctypes.util
from multiprocessing import shared_memory
libc = ctypes.CDLL(ctypes.util.find_library('c'), use_errno=True)
libc.shmat.restype = ctypes.c_void_p
segment = libc.shmget(0x4D4C, 64 << 20, 0o1000 | 0o666)  # IPC_CREAT
ctypes.memmove(libc.shmat(segment, None, 0), b'note from the first kernel', 26)
note = shared_memory.SharedMemory(name='note-first', create=True, size=4096)
note.buf[:4] = b'note'
# parallel work inside the kernel: joblib's process pool needs a writable /dev/shm
from joblib import Parallel, delayed
parallel = Parallel(n_jobs=2)(delayed(abs)(-i) for i in range(4))
# storage stops at the caps (the test sets 8 MB and 200 files)
def fill(top):
    try:
        with open(top + '/big', 'wb') as out:
            for _ in range(32):
                out.write(b'x' * (1 << 20))
                out.flush()
        return 'no limit'
    except OSError as exc:
        return exc.strerror
    finally:
        if os.path.exists(top + '/big'):
            os.remove(top + '/big')
def many(top):
    try:
        for i in range(400):
            open(f'{top}/f{i}', 'w').close()
        return 'no limit'
    except OSError as exc:
        return exc.strerror
print(json.dumps({
    'pid': os.getpid(), 'child': child.pid, 'uid': os.getuid(),
    'caps': status.split('CapEff:')[1].split()[0],
    'connection': IPKernelApp.instance().connection_file,
    'random': float(np.random.rand()),
    'segment': segment, 'parallel': parallel,
    'full': {top: fill(top) for top in ('/tmp', '/home/candidate', '/dev/shm',
                                         '/home/candidate/work')},
    'files': many('/tmp'), 'work_files': many('/home/candidate/work'),
    'work': sorted(os.listdir('/home/candidate/work'))[:3],
}))
"""

SECOND = r"""
import glob, json, os
import numpy as np
from ipykernel.kernelapp import IPKernelApp
first = json.loads({first!r})
def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
# <root>/<kernel>/ipc/kernel.json
kernels = os.path.dirname(os.path.dirname(os.path.dirname(first['connection'])))
print(json.dumps({
    'uid': os.getuid(),
    'found': [p for top in ('/tmp', '/home', '/opt') for p in glob.glob(top + '/**', recursive=True)
              if 'secret-first' in p],
    'first_folder_visible': os.path.exists(os.path.dirname(first['connection'])),
    'first_kernel': os.path.basename(os.path.dirname(os.path.dirname(first['connection']))),
    'siblings': sorted(os.listdir(kernels)) if os.path.isdir(kernels) else [],
    'own': os.path.basename(os.path.dirname(os.path.dirname(IPKernelApp.instance().connection_file))),
    'first_alive': alive(first['pid']), 'first_child_alive': alive(first['child']),
    'random': float(np.random.rand()),
    'sysv_segments': open('/proc/sysvipc/shm').read().splitlines()[1:],
    'posix_shm': os.listdir('/dev/shm'),
}))
"""


def _run(source: str, folder) -> dict:
    nb = new_notebook(cells=[new_code_cell(source)])
    capped = GradingExecute(max_tmp_mb=8, max_tmp_files=200, max_work_mb=8, max_work_files=200)
    capped.preprocess(nb, {"metadata": {"path": str(folder)}})
    outputs = nb.cells[0].outputs
    assert outputs and outputs[0].get("output_type") == "stream", outputs
    return json.loads(outputs[0]["text"])


@pytest.mark.skipif(os.getuid() != 0, reason="kernels are forked from a factory only when grading as root")
def test_forked_kernels_share_nothing_of_each_other(tmp_path):
    assert can_fork_kernels(GradingExecute().settings())
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "data.csv").write_text("x,y\n1,2\n")
    (tmp_path / "b").mkdir()
    first = _run(FIRST, tmp_path / "a")
    assert first["uid"] != 0
    assert int(first["caps"], 16) == 0, "a kernel keeps no capability of the factory's"
    second = _run(SECOND.replace("{first!r}", repr(json.dumps(first))), tmp_path / "b")
    assert second["uid"] not in (0, first["uid"])
    assert second["found"] == [], "the kernel before it left files behind"
    assert not second["first_folder_visible"]
    assert second["siblings"] == [second["own"]] and second["own"] != second["first_kernel"], \
        "only its own kernel folder is there"
    assert not second["first_alive"] and not second["first_child_alive"], \
        "a kernel and every process it started end with it"
    assert second["random"] != first["random"], "each kernel draws its own random numbers"
    assert first["segment"] >= 0 and first["parallel"] == [0, 1, 2, 3]
    assert second["sysv_segments"] == [] and second["posix_shm"] == [], \
        "shared memory is each kernel's own, and gone with it"
    full = "No space left on device"
    assert first["full"] == {top: full for top in ("/tmp", "/home/candidate", "/dev/shm",
                                                   "/home/candidate/work")}
    assert first["files"] == first["work_files"] == full, "the number of files is capped too"
    assert first["work"] == ["data.csv", "f0", "f1"], "the submission's own files are there"


def test_the_factory_imports_the_kernels_debugger_once_and_quietly():
    """ipykernel's debugger (debugpy, some 140 modules) is imported by the kernel factory, so
    forked kernels do not each import it: the import starts no thread, sets no trace function,
    prints nothing and leaves the environment as it was."""
    import subprocess
    import sys

    probe = ("import json, os, sys, threading\n"
             "from mlchallenge.kernel import zygote\n"
             "zygote._import_debugger()\n"
             "print(json.dumps({'imported': 'ipykernel.debugger' in sys.modules,\n"
             "                  'available': sys.modules['ipykernel.debugger']._is_debugpy_available,\n"
             "                  'threads': threading.active_count(), 'trace': sys.gettrace() is not None,\n"
             "                  'env': 'PYDEVD_DISABLE_FILE_VALIDATION' in os.environ}))\n")
    env = {k: v for k, v in os.environ.items() if k != "PYDEVD_DISABLE_FILE_VALIDATION"}
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert json.loads(run.stdout) == {"imported": True, "available": True, "threads": 1,
                                      "trace": False, "env": False}


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@pytest.mark.skipif(os.getuid() != 0, reason="kernels are forked from a factory only when grading as root")
def test_a_running_factory_holds_the_kernels_debugger(tmp_path):
    """The kernel factory has imported ipykernel's debugger (pydevd's compiled module is mapped
    in it) by the time it forks a kernel, so its kernels inherit it instead of importing it."""
    pool = KernelPool(GradingExecute().settings())
    try:
        pool.prepare([tmp_path])
        pool.take([tmp_path]).remove()  # a kernel was forked: the factory's imports are done
        factory = pool._factory
        assert factory is not None and factory.alive()
        argvs = {pid: Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                 for pid in _descendants(factory.pid)}
        zygotes = [pid for pid, argv in argvs.items()  # the factory (and the kernel it keeps ready)
                   if b"mlchallenge.kernel.zygote" in argv and not argv[0].endswith(b"bwrap")]
        assert zygotes, "no kernel factory process found"
        for pid in zygotes:
            assert "pydevd_cython" in Path(f"/proc/{pid}/maps").read_text()
    finally:
        pool.close()


@pytest.mark.skipif(os.getuid() != 0, reason="kernels are forked from a factory only when grading as root")
def test_a_submission_larger_than_the_work_folder_is_refused_with_the_setting_to_change(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "big.bin").write_bytes(b"x" * (12 << 20))
    nb = new_notebook(cells=[new_code_cell("print('ran')")])
    with pytest.raises(KitError) as error:
        GradingExecute(max_work_mb=8).preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    message = str(error.value)
    assert "No space left on device" in message and "max_work_mb" in message, message
    assert "outputs" not in nb.cells[0] or not nb.cells[0].outputs, "nothing of it ran"
    assert (tmp_path / "data" / "big.bin").stat().st_size == 12 << 20, "the submission is untouched"


@pytest.mark.skipif(os.getuid() != 0, reason="kernels are forked from a factory only when grading as root")
def test_a_prepared_factory_makes_the_first_kernel_and_one_that_ended_is_not_the_files_fault(
        tmp_path):
    """``prepare`` starts the factory without waiting (a grading worker does, before nbgrader's
    first steps) and asks it for the first kernel; the first ``take`` hands that one out. A
    factory that ends before it copies a submission's files in is said to have ended, not the
    files to be too large."""
    (tmp_path / "data.csv").write_text("x,y\n1,2\n")
    pool = KernelPool(GradingExecute().settings())
    try:
        pool.prepare([tmp_path])
        prepared, asked = pool._factory, pool._next
        assert prepared is not None and prepared.alive()
        # the first kernel is asked for at once: forked as soon as the imports are done
        assert asked is not None and asked.process.factory is prepared
        kernel = pool.take([tmp_path])
        assert kernel is asked
        prepared.close()
        with pytest.raises(KitError) as error:
            kernel.adopt_files(tmp_path)
        message = str(error.value)
        assert "factory ended before the submission's files were copied in" in message, message
        assert "do not fit" not in message
        assert (tmp_path / "data.csv").read_text() == "x,y\n1,2\n"
    finally:
        pool.close()


HOG = """# Starts up to 60 busy processes (what the process limit allows), each in a session of
# its own, and keeps them busy for 20 s while the other worker grades the reference twice
# (the test checks from the cells' timestamps that the busy time covered the speed tests of one
# of them: the first may reach its speed tests before the hog starts).
# expect: 0
# base: blank
# %% cell: knn
import subprocess
import sys
import time

_hogs = []
while len(_hogs) < 60:  # as many as the process limit lets it start
    try:
        _hogs.append(subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True))
    except OSError:
        break
print(len(_hogs), "busy processes")
time.sleep(20)
"""


@pytest.mark.slow
@pytest.mark.skipif(os.getuid() != 0, reason="control groups need root")
def test_a_cpu_hog_beside_costs_an_honest_candidate_nothing(tmp_path):
    """One batch, two workers: a kernel that keeps about 50 processes busy, and the honest reference
    of algorithms-from-scratch (twice, one after the other on the other worker), whose speed
    tests have CPU budgets and wall-clock stops. Each kernel has a CPU share of its own (its
    factory's control group), so the reference keeps full marks; the grade output says which
    mechanism bounds the kernels."""
    import subprocess
    import sys
    from pathlib import Path

    from conftest import ROOT, SUBMISSIONS

    from mlchallenge.core import cells as nbcells
    from mlchallenge.core.course import Course
    from mlchallenge.dev.demo import make_scratch_course
    from mlchallenge.grading.service import release
    from mlchallenge.interviewer.attempts import parse_attempt, write_submission
    from mlchallenge.sandbox.cgroups import describe

    assignment = "algorithms-from-scratch"
    assert describe().startswith("kernel resource groups: cgroup"), describe()
    course = make_scratch_course(Course(ROOT), tmp_path / "course")
    release(Course(course.root), [assignment])
    reference = parse_attempt(assignment, SUBMISSIONS / assignment / "reference.py")
    write_submission(reference, course.root)
    write_submission(reference, course.root, student="reference-again")
    (tmp_path / "hog.py").write_text(HOG)
    write_submission(parse_attempt(assignment, tmp_path / "hog.py"), course.root, student="hog")
    run = subprocess.run([str(Path(sys.executable).parent / "mlchallenge"), "grade", assignment,
                          "--workers", "2"], cwd=course.root, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    assert "kernel resource groups: cgroup" in run.stderr
    rows = {line.split()[1]: line.split() for line in run.stdout.splitlines() if line.startswith(assignment)}
    for student in ("reference", "reference-again"):
        assert rows[student][2] == rows[student][3] == "14", run.stdout

    def ran(student, grade_id):
        """When the cell started and ended (nbclient's timestamps in the autograded notebook)."""
        notebook = json.loads((course.root / "autograded" / student / assignment /
                               f"{assignment}.ipynb").read_text(encoding="utf-8"))
        cell = next(c for c in notebook["cells"] if nbcells.grade_id(c) == grade_id)
        times = cell["metadata"]["execution"]
        return (datetime.fromisoformat(times["iopub.execute_input"].replace("Z", "+00:00")),
                datetime.fromisoformat(times["shell.execute_reply"].replace("Z", "+00:00")))

    busy = ran("hog", "knn")
    covered = [student for student in ("reference", "reference-again")
               if all(busy[0] < ran(student, test)[0] and ran(student, test)[1] < busy[1]
                      for test in ("test-knn-fast", "test-split-fast", "test-metrics-fast"))]
    assert covered, "no reference ran all its speed tests while the hog was busy"


PACKAGE_DATA = r"""
import json, os
import sklearn
from sklearn import datasets
shipped = os.path.join(os.path.dirname(sklearn.__file__), 'datasets', 'data', 'breast_cancer.csv')
try:
    datasets.load_breast_cancer()
    loaded = 'loaded'
except Exception as exc:
    loaded = type(exc).__name__
print(json.dumps({'size': os.path.getsize(shipped), 'text': open(shipped).read(100),
                  'loaded': loaded, 'iris': datasets.load_iris().data.shape[0]}))
"""


def test_installed_copies_of_a_challenge_s_rows_are_empty_in_the_kernel(tmp_path):
    """scikit-learn ships the breast cancer rows that normalisation and dimensionality-reduction
    hold back for their hidden tests: in a grading kernel the file is empty, so the hidden
    labels cannot be looked up there; scikit-learn's other bundled data still loads."""
    import sklearn

    from mlchallenge.sandbox.settings import hidden_package_data, python_roots

    shipped = Path(sklearn.__file__).parent / "datasets" / "data" / "breast_cancer.csv"
    assert shipped.stat().st_size > 100_000  # there, outside the sandbox
    assert shipped.resolve() in hidden_package_data(python_roots())
    seen = _run(PACKAGE_DATA, tmp_path)
    assert seen["size"] == 0 and seen["text"] == "", seen
    assert seen["loaded"] != "loaded", seen
    assert seen["iris"] == 150, "the other bundled datasets are left as they are"


# ---- a kernel factory the grading command starts and hands to its first worker -------------

def _taken_as_another_user(address, settings) -> str:
    """What ``take_offer`` gives a process of user nobody (a fork of this one)."""
    from mlchallenge.sandbox.offer import take_offer

    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        try:
            os.close(read)
            os.setgid(65534)
            os.setuid(65534)
            os.write(write, repr(take_offer(address, settings)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as answer:
        said = answer.read()
    os.waitpid(child, 0)
    return said


def _run_in(prepared, source: str) -> str:
    """What ``source`` prints in a prepared kernel, through jupyter_client."""
    from jupyter_client.blocking import BlockingKernelClient

    client = BlockingKernelClient()
    client.load_connection_info(prepared.info)
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        printed: list[str] = []
        client.execute_interactive(source, timeout=120, output_hook=lambda message: printed.append(
            message["content"].get("text", "")))
        return "".join(printed)
    finally:
        client.stop_channels()


@pytest.mark.skipif(os.getuid() != 0, reason="kernels are forked from a factory only when grading as root")
def test_an_offered_factory_is_the_first_taker_s_own_and_gone_with_the_offer(tmp_path):
    """The factory a grading command starts before its workers exist is taken by the first
    worker that asks, once, and by no process of another user; the taker's kernels come from
    it; when the offer closes, the factory, its folder and its control group are gone."""
    from mlchallenge.sandbox.offer import FactoryOffer, take_offer

    settings = GradingExecute().settings()
    (tmp_path / "run").mkdir()
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "data.csv").write_text("x,y\n1,2\n")
    offer = FactoryOffer(settings, [tmp_path], tmp_path / "run")
    assert offer.started is not None
    pid, root, groups = offer.started.process.pid, offer.started.root, offer.started.group.folders
    pool = KernelPool(settings)
    try:
        assert _taken_as_another_user(offer.address, settings) == "None"
        pool.prepare([tmp_path], str(offer.address))
        assert offer.taken and pool._factory is not None and pool._factory.pid == pid
        assert pool._factory.process is None, "the taker did not start a factory of its own"
        assert take_offer(offer.address, settings) is None and not offer.address.exists()
        kernel = pool.take([tmp_path / "work"])
        assert kernel.process.factory is pool._factory
        kernel.adopt_files(tmp_path / "work")
        assert _run_in(kernel, "import os; print(os.getuid() != 0, os.listdir('.'))") == \
            "True ['data.csv']\n"
        kernel.remove()
    finally:
        pool.close()
        offer.close()
    assert not Path(f"/proc/{pid}").exists(), "the factory ended"
    assert not root.exists() and not any(folder.exists() for folder in groups)


@pytest.mark.skipif(os.getuid() != 0, reason="kernels are forked from a factory only when grading as root")
def test_a_factory_offered_with_other_settings_is_left_and_ends(tmp_path):
    """A worker whose settings differ from the offered factory's (other limits) does not take
    it, and starts its own; the factory then ends, and the offer removes it. One never taken
    is ended by the offer without waiting for its imports."""
    import dataclasses

    from mlchallenge.sandbox.offer import FactoryOffer, take_offer

    settings = GradingExecute().settings()
    other = dataclasses.replace(settings, limits=dataclasses.replace(settings.limits, memory_mb=1024))
    for taker in (other, None):
        folder = tmp_path / ("other" if taker else "untaken")
        folder.mkdir()
        offer = FactoryOffer(settings, [tmp_path], folder)
        assert offer.started is not None
        process, root = offer.started.process, offer.started.root
        try:
            if taker is not None:
                assert take_offer(offer.address, taker) is None
                assert offer.taken
                assert process.wait(timeout=120) is not None, "its pipes closed, it ended"
        finally:
            offer.close()
        assert process.poll() is not None and not root.exists() and not offer.address.exists()
