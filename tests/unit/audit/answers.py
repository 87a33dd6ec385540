"""Answers of a small audit, made by calling the in-process simulator in the plan's order (no runner, no store):
what the scorecard, the view and the page's pure parts are tested on."""

from __future__ import annotations

from fashionai.api.client import FashionAIClient
from fashionai.audit.model import Answer, Purpose
from fashionai.audit.plan import AuditPlan, ResolvedPlan, resolve_plan
from fashionai.catalog import Catalog
from fashionai.domain import EventType
from fashionai.simulator import Simulator, SimulatorTransport

RUN = "feedc0de" * 4


def simulated_answers(plan: AuditPlan, catalog: Catalog, run_id: str = RUN) -> tuple[ResolvedPlan, list[Answer]]:
    resolved = resolve_plan(plan, catalog, run_id)
    client = FashionAIClient("t", transport=SimulatorTransport(Simulator(catalog.products)))
    answers = []
    for number, call in enumerate(resolved.all_calls()):
        shopper = resolved.shoppers[call.shopper] if call.shopper >= 0 else None
        if call.event_type == EventType.SALES_RANKING:
            products = client.sales_ranking(call.item_id).products
        else:
            send = {EventType.CATEGORY_VIEW: client.category_view, EventType.PRODUCT_VIEW: client.product_view,
                    EventType.SHOP_THE_LOOK: client.shop_the_look}
            if call.event_type == EventType.CUSTOM_SHELF:
                products = client.custom_shelf(shopper.session_id, user_id=shopper.user_id).products
            else:
                products = send[call.event_type](shopper.session_id, call.item_id, user_id=shopper.user_id).products
        answers.append(Answer(
            shopper=call.shopper, shopper_key=shopper.key if shopper else "", shopper_label=shopper.label if shopper else "",
            session_id=shopper.session_id if shopper else None, user_id=shopper.user_id if shopper else None,
            twin_of=shopper.twin_of if shopper else None, step=call.step, event_type=call.event_type,
            item_id=call.item_id, category=call.category, purpose=str(call.purpose), products=tuple(products),
            elapsed=0.01 * (number % 7 + 1), ok=True, status_code=200, snapshot_id=f"{number:032x}"))
    assert all(a.purpose in tuple(Purpose) for a in answers)
    return resolved, answers
