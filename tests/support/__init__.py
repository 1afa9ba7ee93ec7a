"""Test helpers shared by the test suites (e.g. `portal_server.running_portal`)."""
