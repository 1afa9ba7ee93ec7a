"""What operators see: the trainers' WhatsApp-like web chat (`chat/`, trainers' profile only)
and the officials' dashboard (`dashboard/`, both profiles). Two small aiohttp processes
started by scripts/stack.sh; see docs/operator-console.md."""
