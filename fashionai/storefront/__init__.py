"""The storefront room: what a shopper would see, one answer joined with the store's catalog.

    preview.py          storefront and look previews (stock decided by catalog/stock.py), the storefront's movement
                        badges, and rebuilding previews from a snapshot
    collection.py       a collection's slice joined with the catalog: marks, counts, window
    collection_timeline.py  a collection over time from the history's answers: slices by day, gaps (404s), days
                        over a limit of inactive or out-of-stock products
    profile.py          a shopper profile in plain language, and shelf products matching its looks
    staleness.py        whether a result on screen still answers today's choice: what changed, in words
    text_match.py       the store's own text match: a search's non-personalized baseline
    search_view.py      a search previewed (a page joined with the catalog), its badges, an empty answer's words,
                        the query box's suggestions
    whatsapp_view.py    the detailed (WhatsApp) search as chat cards, and where each disagrees with the catalog
    export.py           the storefront, a look and a search's page as CSV and JSON (output.exports.Export)
"""
