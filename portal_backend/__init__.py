"""Reference implementation of the department's portal API (see docs/portal-api.md)."""
