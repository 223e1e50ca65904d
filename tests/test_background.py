"""Work in a second process: the same result as in this one, and whatever goes wrong there
is done again here, so errors and outputs are as without it."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from diffing import background
from diffing.background import Background
from kent_diff import app

forks = pytest.mark.skipif(background._cores() < 2 or not hasattr(os, "fork"),
                           reason="one core or no fork: the work runs in this process")


@forks
def test_the_work_runs_in_another_process_and_comes_back():
    with Background(lambda: (os.getpid(), {"findings": list(range(100_000))})) as work:
        pid, value = work.result()
    assert pid != os.getpid()
    assert value == {"findings": list(range(100_000))}  # more than a pipe's buffer


def test_an_error_there_is_raised_here():
    calls = []

    def failing():
        calls.append(os.getpid())
        raise ValueError("bad report")

    with pytest.raises(ValueError, match="bad report"), Background(failing) as work:
        work.result()
    assert calls[-1] == os.getpid(), "the error came from doing the work here"


def test_a_result_that_cannot_be_sent_is_made_here():
    made_here = os.getpid()
    with Background(lambda: (os.getpid(), lambda: None)) as work:  # a lambda cannot pickle
        pid, _ = work.result()
    assert pid == made_here


@forks
def test_leaving_without_the_result_stops_and_reaps_the_child():
    started = Background(lambda: __import__("time").sleep(30))
    pid = started._pid
    with started:
        pass
    assert started._pid is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind


def test_without_a_second_core_the_work_runs_here(monkeypatch):
    monkeypatch.setattr(background, "_cores", lambda: 1)
    work = Background(os.getpid)
    assert work._pid is None
    assert work.result() == os.getpid()


def test_compare_gives_the_same_json_with_and_without_a_second_process(monkeypatch):
    monkeypatch.setenv("KENT_DIFF_CACHE", "off")
    runner = CliRunner()
    both = runner.invoke(app, ["compare", "--format", "json"])
    monkeypatch.setattr(background, "_cores", lambda: 1)
    alone = runner.invoke(app, ["compare", "--format", "json"])
    assert both.exit_code == alone.exit_code == 0
    assert both.stdout == alone.stdout


@forks
def test_interrupted_while_waiting_the_child_is_stopped_too():
    import signal
    import time

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    started = time.monotonic()
    work = Background(lambda: time.sleep(30))
    pid = work._pid
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(KeyboardInterrupt), work:
            work.result()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 10, "it did not wait for the child's 30 s"
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
