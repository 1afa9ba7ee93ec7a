"""tools/profile_turn.py: a sample is put in the stage of the first Sathi/Rasa frame of its
stack; threads waiting (an event loop in select, a pool without work, a thread blocked in C
code) are idle, not "other"; the kernel's CPU time of a process is read from /proc."""

from __future__ import annotations

import os
import time

from tools.profile_turn import IDLE, cpu_seconds, stage_of

THREAD = "_bootstrap (threading.py:973);_bootstrap_inner (threading.py:1016)"


def test_a_thread_blocked_in_c_code_is_idle():
    assert stage_of(f"{THREAD};run (threading.py:953)") == IDLE


def test_a_thread_running_python_is_not_idle():
    stack = f"{THREAD};run (threading.py:953);_store_new_events (channels/tracker_store.py:208)"
    assert stage_of(stack) == "tracker store (load/save)"


def test_cpu_seconds_counts_this_process_work():
    before = cpu_seconds(os.getpid())
    end = time.process_time() + 0.2
    while time.process_time() < end:
        pass
    assert cpu_seconds(os.getpid()) - before >= 0.15
