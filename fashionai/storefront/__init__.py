"""The storefront room: what one shopper sees on the store's pages.

    text_match.py       the store's own text match: a search's non-personalized baseline
    search_view.py      the Search page's logic: a search previewed, its movement badges, the same query for
                        other shoppers and the store's text match, the WhatsApp (detailed) preview
"""
