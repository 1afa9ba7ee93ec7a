"""Hypothesis profiles: "ci" (bounded, the default, part of `make test`) and "fuzz" (long:
`make fuzz`, HYPOTHESIS_PROFILE=fuzz)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Conversation fuzzing against the real stack: examples per test (each is an HTTP turn).
STACK_EXAMPLES = {"ci": 25, "fuzz": 400}.get(os.environ.get("HYPOTHESIS_PROFILE", "ci"), 25)
