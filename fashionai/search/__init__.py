"""The search room: what the Search page makes of a query beyond one preview (the previews themselves, the
detailed search's cards and the store's text match are the storefront's: storefront/search_view.py,
whatsapp_view.py, text_match.py).

    same_query.py   the same query for an anonymous shopper and a persona on fresh sessions, and the store's
                    text match, as a Comparison (compare/)
    handover.py     the Search page's deck and report (a Handover), and a search's results as a section
"""
