"""Sathi's dialogue policies: Rasa's RulePolicy and MemoizationPolicy with an exact, incremental
memo of their prediction states (`prediction_states.py`, `policies.py`; docs/performance.md)."""
