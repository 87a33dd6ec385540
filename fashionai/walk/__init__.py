"""The shopper walk room: one session clicking through the store (home, category, product page, look).

    steps.py        the walk: where the shopper is and what each place shows (no calls)
    trail.py        the walk's trail of calls, what each changed, the walk as a journey or a link
    handover.py     the walk as a deck or a report (an output.handover.Handover)
"""
