"""The real Sathi stack for tests: see tools/local_stack.py (shared with `make bench`)."""

from tools.local_stack import MODEL, ROOT, Stack, free_port, start_stack, stop_stack, unique_sender  # noqa: F401
