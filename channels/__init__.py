"""Channels of the rasa server process: the WhatsApp Cloud API connector (`channels.whatsapp`)
and the document routes. Imported by Rasa through credentials.yml / endpoints.yml."""
