"""The compare room: one category as several shoppers and baselines see it, lanes measured side by side.

    lanes.py        the lanes of a comparison: specs, Lane, the rule of an answered lane
    _fanout.py      the thread pool that runs lanes' calls at once (this room's own)
    compared.py     Comparison: lanes of one category measured against each other (named apart from
                    audit/comparison.py, which compares two audit runs)
    view.py         what the compare page shows: lanes offered and chosen, events, lane cards
    replay.py       comparisons and journey runs rebuilt from saved snapshots, without a call
    handover.py     a comparison as a deck or a report (an output.handover.Handover)
    fetch.py        every lane fetched at once and measured (compare_lanes)
    export.py       a comparison as CSV and JSON (output.exports.Export)
    search_lanes.py lanes of a search query: each a session or persona searching it, the store's text match as
                    native; fetched at once or replayed from saved searches
"""
