"""Rasa graph components of Sathi's NLU pipeline (see config.yml and docs/nlu-quality.md)."""
