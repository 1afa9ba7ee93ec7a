"""The trainers' WhatsApp-like web chat (see server.py)."""
