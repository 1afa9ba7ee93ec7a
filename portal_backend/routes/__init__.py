"""HTTP routes, one module per resource; each has `register(app, prefix)`."""
