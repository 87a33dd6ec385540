"""Audits: personalization measured across many shoppers, scored, compared between runs.

    plan.py      AuditPlan (JSON), resolve_plan (its shoppers and calls)
    estimate.py  estimate_plan and plan_estimate: a run's calls, events and time
    shoppers.py  synthetic personas made from the catalog's tastes
    model.py     the shared dataclasses and limits (Shopper, Call, AuditRun, Answer, MeasureInfo)
    handover.py  a run's scorecard as a deck or a report (an output.handover.Handover)
    charts.py    its charts: a measure across categories, a plan's runs over time
"""
