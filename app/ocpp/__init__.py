"""The central system's protocol side: websocket server, framing, version adapters."""
