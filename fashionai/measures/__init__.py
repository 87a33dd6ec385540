"""The measures room: ranked product ids measured, with no call and no Streamlit (read by compare, journeys, the
storefront's badges and the audits).

    ranking.py      one engine (Rankings) with thin public functions: RBO, overlap, Jaccard, Kendall, rank
                    changes, rank matrix
    ranked_ids.py   ranked ids read as the measures read them: first places only, a top k, the checks of k and p
    attributes.py   what a top K is made of: attribute lift, price bands
    movement.py     how each product moved since the list before: ↑n, ↓n, new
"""
