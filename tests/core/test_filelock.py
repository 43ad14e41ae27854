"""The lock between processes: exclusion, timeout, release on close and when its holder dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.core.filelock import FileLock, LockTimeout

ROOT = Path(__file__).resolve().parents[2]

# A child that takes the lock, says so, and holds it until its standard input closes.
HOLDER = """
import sys
from viewer.core.filelock import FileLock
with FileLock(sys.argv[1], timeout=30):
    print("held", flush=True)
    sys.stdin.read()
print("released", flush=True)
"""


@pytest.fixture
def holder(tmp_path):
    """Start a child process holding the lock at tmp_path/x.lock; yields (process, path)."""
    path = tmp_path / "x.lock"
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], cwd=ROOT, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "held\n"
        yield child, path
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
        for pipe in (child.stdin, child.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()


def test_another_process_holding_the_lock_keeps_it_from_us(holder, lock_clock):
    _, path = holder
    with pytest.raises(LockTimeout, match="held by another process"), FileLock(path, timeout=0.5):
        pass
    assert lock_clock.waits and lock_clock.waits[-1] >= 0.5  # it kept trying for its whole timeout


def test_the_lock_is_ours_once_the_other_process_releases_it(holder):
    child, path = holder
    assert child.stdin is not None
    child.stdin.close()  # the child leaves its `with` block
    assert child.stdout is not None and child.stdout.readline() == "released\n"
    with FileLock(path, timeout=0) as lock:
        assert lock._fd is not None


def test_a_killed_holder_leaves_the_lock_free(holder):
    child, path = holder
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    with FileLock(path, timeout=10) as lock:  # the system freed it when the process died
        assert lock._fd is not None


def test_a_timeout_raises_after_that_long_and_no_longer(tmp_path, lock_clock):
    path = tmp_path / "x.lock"
    with FileLock(path):
        for timeout in (0.0, 0.2, 3.0):
            lock_clock.waits.clear()
            with pytest.raises(LockTimeout), FileLock(path, timeout=timeout):
                pass
            (waited,) = lock_clock.waits
            assert timeout <= waited < timeout + 0.05


def test_lock_timeout_is_an_os_error_naming_the_file(tmp_path, lock_clock):
    path = tmp_path / "x.lock"
    with FileLock(path), pytest.raises(OSError, match="x.lock"), FileLock(path, timeout=0.1):
        pass


def test_a_second_lock_object_in_the_same_process_is_excluded_too(tmp_path, lock_clock):
    path = tmp_path / "x.lock"
    with FileLock(path), pytest.raises(LockTimeout), FileLock(path, timeout=0.1):
        pass
    with FileLock(path, timeout=0):  # released on leaving the block
        pass


def test_one_object_is_reentrant_and_holds_until_the_outermost_exit(tmp_path, lock_clock):
    path = tmp_path / "x.lock"
    lock = FileLock(path)
    with lock:
        with lock:
            assert lock._fd is not None
        assert lock._fd is not None  # still held by the outer block
        with pytest.raises(LockTimeout), FileLock(path, timeout=0.1):
            pass
    assert lock._fd is None
    with FileLock(path, timeout=0):
        pass


def test_an_exception_inside_the_block_releases_the_lock(tmp_path):
    path = tmp_path / "x.lock"
    lock = FileLock(path)
    with pytest.raises(RuntimeError), lock:
        raise RuntimeError("boom")
    assert lock._fd is None
    with FileLock(path, timeout=0):
        pass


def test_a_failed_attempt_closes_its_file_descriptor(tmp_path, lock_clock):
    path = tmp_path / "x.lock"
    before = len(os.listdir("/proc/self/fd")) if Path("/proc/self/fd").exists() else None
    with FileLock(path):
        for _ in range(20):
            with pytest.raises(LockTimeout), FileLock(path, timeout=0):
                pass
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) == before


def test_the_lock_file_and_its_folder_are_created(tmp_path):
    path = tmp_path / "new" / "folder" / "x.lock"
    with FileLock(path):
        assert path.is_file()
