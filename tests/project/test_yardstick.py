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
