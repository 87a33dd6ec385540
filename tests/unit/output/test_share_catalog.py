"""The ``catalog`` parameter every page's URL may carry (fashionai.output.share.CATALOG_PARAM): not a view's value,
so decoding a link never calls it a setting the page does not know."""

from __future__ import annotations

from fashionai.output import share

FINGERPRINT = "ab" * 32


def test_a_link_naming_a_catalog_decodes_without_a_problem():
    params = {"page": "storefront", "v": "1", "category": "dresses", share.CATALOG_PARAM: FINGERPRINT}
    decoded = share.decode("storefront", params)
    assert decoded.problems == () and decoded.view == share.StorefrontView(category="dresses")


def test_the_catalog_parameter_is_not_a_view_value():
    for view in share.VIEWS.values():
        assert share.CATALOG_PARAM not in {param.name for param in view.PARAMS}
    assert share.CATALOG_PARAM not in share.encode(share.StorefrontView(category="dresses"))


def test_other_unknown_settings_are_still_said():
    decoded = share.decode("storefront", {"catalogue": FINGERPRINT})
    assert decoded.problems and "catalogue" in decoded.problems[0]
