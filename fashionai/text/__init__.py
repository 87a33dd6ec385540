"""The text room: how values are written for a person, below every room that shows one (stores, features,
output, ui). Pure functions, no Streamlit.

    formatting.py   prices, stock words and badge colours, counts and plurals, durations, safe image addresses,
                    Markdown escaping, control characters made visible
"""
