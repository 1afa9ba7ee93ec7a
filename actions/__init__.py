"""Sathi's custom actions: one module per service, a shared base for forms, no HTTP here
(every portal call goes through portal_client, off the event loop)."""
