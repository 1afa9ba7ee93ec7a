"""The officials' dashboard: metrics.py (the one query module), charts.py, page.py, server.py."""
