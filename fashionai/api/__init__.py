"""Talking to Fashion.AI: the client, its errors, retries and the token's redaction."""
