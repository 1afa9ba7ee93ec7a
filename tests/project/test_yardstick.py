"""tools/yardstick.py: the machine-speed figure the benchmarks print beside their own."""

from __future__ import annotations

import re

from tools import yardstick


def test_the_work_is_the_same_every_time():
    assert yardstick._work() == yardstick._work() > 0


def test_the_figure_is_cpu_milliseconds_of_that_work():
    ms = yardstick.yardstick_ms(tries=2)
    assert 1 < ms < 60_000
    figure = re.search(r"yardstick before: (\d+) ms of CPU", yardstick.line("before"))
    assert figure and int(figure.group(1)) > 0


def test_both_benchmarks_print_it_before_and_after():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for tool in ("tools/bench.py", "tools/scale/__main__.py"):
        text = (root / tool).read_text(encoding="utf-8")
        assert 'yardstick.line("before")' in text and 'yardstick.line("after")' in text, tool


def test_during_a_load_it_reads_the_same_work_in_a_process_of_its_own():
    import time

    alone = yardstick.yardstick_ms(tries=3)
    with yardstick.During() as speed:
        time.sleep(2.5)  # at least one reading (one every half second)
    assert speed.ms is not None
    assert alone / 3 < speed.ms < alone * 10, (alone, speed.ms)


def test_cpu_per_turn_as_at_the_reference_reading():
    speed = yardstick.During()
    assert speed.at_reference(30.0) is None  # nothing read
    speed.ms = 2 * yardstick.REFERENCE_MS  # a machine half as fast as the reference
    assert speed.at_reference(30.0) == 15.0


def test_the_scale_bench_prints_cpu_per_turn_as_at_the_reference():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    text = (root / "tools/scale/__main__.py").read_text(encoding="utf-8")
    assert "with yardstick.During() as speed:" in text
    assert "speed.at_reference(result.cpu_ms_per_turn)" in text
