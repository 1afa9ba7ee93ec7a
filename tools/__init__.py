"""Developer and trainer tools: Graph API emulator, WhatsApp chat, benchmarks, NLU evaluation."""
