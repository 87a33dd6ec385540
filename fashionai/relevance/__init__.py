"""Search relevance: the query sets a search audit sends and the judgments it is scored against.

`queries` makes a QuerySet (typed, a CSV, drawn from the catalog); `judgments` reads graded
(query, product id, grade 0-3) judgments from a CSV.
"""
