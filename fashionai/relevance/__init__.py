"""Search relevance: the query sets a search audit sends, the judgments it is scored against, the measures.

`queries` makes a QuerySet (typed, a CSV, drawn from the catalog); `judgments` reads graded (query, product id,
grade 0-3) judgments from a CSV; `scores` measures searches (nDCG, precision, recall, MRR at K by ir-measures,
results per search, personalization of search), registered in `fashionai.audit.registry`; `worst` lists a run's
worst queries.
"""
