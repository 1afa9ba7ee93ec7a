"""Local emulator of the WhatsApp Cloud API (Graph): `python -m tools.graph_emulator`.
Imports nothing from channels/ (its limit checks are its own, from Meta's documented rules)."""

from tools.graph_emulator.server import Emulator, make_app  # noqa: F401
