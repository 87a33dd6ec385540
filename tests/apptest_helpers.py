"""Finding things in a Streamlit AppTest run: shared by the page tests."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def texts(node) -> str:
    """Every piece of text under an AppTest node (the app, its main area or sidebar), for searching."""
    if hasattr(node, "main"):
        return texts(node.main) + "\n" + texts(node.sidebar)
    parts = []
    for element in node:
        value = getattr(element, "value", None)
        parts.append(value if isinstance(value, str) else "")
        parts.append(str(getattr(element, "label", "") or ""))
        parts.append(str(getattr(element, "body", "") or ""))
    return "\n".join(parts)


def button(at, label: str):
    """The first button with this label; fails saying which buttons there are."""
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r} among {[b.label for b in at.button]}"
    return matches[0]


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def open_page(at, page: str):
    """Run the app (its default page first, as a browser does), then switch to `page`; no exception."""
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def card_pictures(node) -> list[str]:
    """The product cards' pictures drawn under an AppTest node (its main area, say): one per card, each the
    picture's HTML (fashionai.output.images.card_picture)."""
    from fashionai.output.images import CARD_PICTURE_CLASS

    return [m.value for m in node.markdown if f'class="{CARD_PICTURE_CLASS}"' in m.value]


def open_compare_tab(at, name: str):
    """Open the compare page's comparison tab whose label ends with `name` (only the open tab is drawn), as a
    click on it does: a rerun."""
    from fashionai.ui.compare_widgets import TABS

    (label,) = [tab for tab in TABS if tab.endswith(name)]
    at.session_state["compare_tab"] = label
    return at.run()


def compare_tabs(at):
    """Open each tab of the compare page's comparison in turn, yielding its label with the tab drawn; the first
    tab is open again at the end."""
    from fashionai.ui.compare_widgets import TABS

    for label in (*TABS[1:], TABS[0]):
        open_compare_tab(at, label)
        yield label


def opened_by_a_colleague(app, params):
    """A fresh AppTest of the same app opening a share link's `params` (a colleague's browser), run once and
    checked to have no exception and no error."""
    other = AppTest.from_file(app._script_path, default_timeout=60)
    other.query_params.update(params)
    other.run()
    assert not other.exception and not other.error
    return other
