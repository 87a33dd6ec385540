"""What moved a product: leave-one-out replays of a shopper's events, run as an audit and read back (issue 25)."""
