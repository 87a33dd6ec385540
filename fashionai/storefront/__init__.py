"""The storefront room: what a shopper would see, one answer joined with the store's catalog.

    preview.py      storefront and look previews (stock decided by catalog/stock.py), the storefront's movement
                    badges, and rebuilding previews from a snapshot
    collection.py   a collection's slice joined with the catalog: marks, counts, window
    profile.py      a shopper profile in plain language, and shelf products matching its looks
    staleness.py    whether a result on screen still answers today's choice: what changed, in words
    export.py       the storefront and a look as CSV and JSON (output.exports.Export)
"""
