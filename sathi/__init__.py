"""Shared, framework-free helpers of Sathi: the project clock, text normalization,
identifier parsing, bilingual formatting and privacy masking.

Nothing here imports Rasa, Sanic or the portal client, so every process (portal backend,
action server, rasa server, tools) can use it.
"""
