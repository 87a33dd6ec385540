"""The saved-answers room: what the pages make of the history's snapshots (the store itself is
fashionai/history/, below this room).

    view.py         what the history page shows: a snapshot opened, two compared, their exports and links
    reconcile.py    the Catalog page's reconciliation: the answers to check (the pages' latest results, or the
                    history's saved answers of these sessions) and a category's products none of them returned
"""
