"""What leaves the studio's logic for a person: words, charts, exports and share links."""
