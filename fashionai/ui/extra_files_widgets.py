"""Extra files joined onto the catalog (images, stock, prices: fashionai.catalog.extras), and the column
mapping of a catalog file that was refused, acting on that file (not on the catalog in use).

    extra_files_section(catalog)            # the Catalog page: attach, map, see the join, Apply
    refused_file_mapping(key, refused)      # under a refusal: map the refused file's columns, read it again
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from fashionai.catalog import FIELDS, Catalog, CatalogError, detect_columns
from fashionai.catalog.extras import KINDS, ExtraFile, ExtraMapping, Joined, join_extras, read_extra
from fashionai.catalog.report import NONE_COLUMN, mapping_override
from fashionai.catalog.uploads import Upload
from fashionai.team import Action
from fashionai.text.formatting import escape_markdown, plural
from fashionai.ui.catalog_choice import use_catalog
from fashionai.ui.identity import require, why_not
from fashionai.ui.resources import load_upload
from fashionai.ui.session import EXTRAS_BASE_KEY, UPLOAD_KEY, UPLOAD_NAME_KEY, remembered

EXTRAS_MESSAGE_KEY = "catalog_extras_message"  # the last Apply's word, shown once


@dataclass(frozen=True)
class Refused:
    """A catalog file that could not be used: its bytes, name and columns (for mapping them)."""

    name: str
    data: bytes
    columns: list[str]


def _file_key(key: str, file_id: str) -> str:
    return f"{key}_{hashlib.sha256(file_id.encode()).hexdigest()[:10]}"


def _base() -> tuple[Catalog | None, object, str | None]:
    """What the extra files join onto: the catalog in use, or, when that is a join made here, the
    catalog it was made from (so that applying again does not join twice). (joined, base held, base name)."""
    record = st.session_state.get(EXTRAS_BASE_KEY)
    held = st.session_state.get(UPLOAD_KEY)
    if record is not None and held is record[0]:
        return record
    st.session_state.pop(EXTRAS_BASE_KEY, None)  # another catalog is in use now: the record is done with
    return None, held, st.session_state.get(UPLOAD_NAME_KEY)


def _base_catalog(held: object, fallback: Catalog) -> Catalog:
    if isinstance(held, Upload):
        return held.catalog()
    return held if isinstance(held, Catalog) else fallback


def extra_files_section(catalog: Catalog, *, key: str = "catalog_extras") -> None:
    """Attach extra files to the catalog in use: each with its kind and its own mapping, the join
    reported in words, and **Apply** making the joined catalog this browser session's catalog."""
    joined_before, base_held, base_name = _base()
    base = _base_catalog(base_held, catalog) if joined_before is not None else catalog
    with st.expander("Extra files: images, stock, prices or stock per size joined by product id",
                     icon=":material/attach_file:",
                     expanded=bool(st.session_state.get(f"{key}_upload"))):
        st.caption("A products file often comes with others: pictures (a file name or an id, and a link), the daily "
                   "stock export, a price list, stock per size (a row a product and size). Attach them here; each is read like the catalog (encoding, "
                   "separator, R$ prices) and joined by product id. An images file fills the products that have no "
                   "picture; a stock or prices file replaces the catalog's stock or prices for the products it lists.")
        if joined_before is not None:
            st.info(f"In use: {escape_markdown(catalog.source_name)}, joined here. Applying again joins the files "
                    f"below onto {escape_markdown(base.source_name or base_name or 'the products file')}.",
                    icon=":material/join:")
        files = st.file_uploader("Attach files (CSV)", key=f"{key}_upload", accept_multiple_files=True,
                                 disabled=bool(why_not(Action.UPLOAD_CATALOG)),
                                 help=why_not(Action.UPLOAD_CATALOG) or "One or more: images, stock or prices files.",
                                 ) or []
        if message := st.session_state.pop(EXTRAS_MESSAGE_KEY, None):
            st.success(message, icon=":material/check_circle:")
        extras = [extra for extra in (_extra_file(key, file) for file in files) if extra is not None]
        if not extras:
            return
        joined = remembered(f"{key}_joined", (base.fingerprint, tuple(extra.fingerprint for extra in extras)),
                            lambda: join_extras(base, extras))
        _join_report(joined)
        if st.button("Apply", key=f"{key}_apply", icon=":material/join:", type="primary",
                     disabled=bool(why_not(Action.UPLOAD_CATALOG)),
                     help=why_not(Action.UPLOAD_CATALOG) or "Use the products joined with these files as your "
                                                            "catalog, on every page.") and require(
                Action.UPLOAD_CATALOG, page="Catalog"):
            name = " + ".join([base_name or base.source_name or "catalog", *(extra.name for extra in extras)])
            use_catalog(joined.catalog, name)
            st.session_state[EXTRAS_BASE_KEY] = (joined.catalog, base_held, base_name)
            st.session_state[EXTRAS_MESSAGE_KEY] = (f"{escape_markdown(name)} is now your catalog on every page: "
                                                    f"{plural(len(joined.catalog.products), 'product')}.")
            st.rerun()


def _extra_file(key: str, file) -> ExtraFile | None:
    """One attached file: its kind and mapping controls, read with them; None (said) when it cannot be used."""
    data, name = file.getvalue(), file.name
    at = _file_key(key, file.file_id)
    st.markdown(f"**{escape_markdown(name)}**")
    mapping = ExtraMapping()
    if f"{at}_kind" in st.session_state:  # the choices made for this file
        mapping = ExtraMapping(st.session_state[f"{at}_kind"], st.session_state[f"{at}_id"],
                               st.session_state[f"{at}_value"], st.session_state[f"{at}_names"],
                               st.session_state.get(f"{at}_size"))
    try:
        extra = remembered(f"{at}_read", (file.file_id, mapping), lambda: read_extra(data, name=name, mapping=mapping))
    except CatalogError as err:
        st.error(f"**{escape_markdown(name)} could not be used.** {escape_markdown(err)}", icon=":material/error:")
        if err.columns:  # the file's own columns, to choose from
            _mapping_controls(at, err.columns, ExtraMapping("images", err.columns[0], err.columns[-1], False))
        return None
    _mapping_controls(at, extra.columns, extra.mapping)
    return extra


def _mapping_controls(at: str, columns: list[str], mapping: ExtraMapping) -> None:
    """The kind and column choices of one extra file, acting on that file."""
    if f"{at}_kind" not in st.session_state:
        st.session_state[f"{at}_kind"] = mapping.kind
        st.session_state[f"{at}_id"] = mapping.id_column
        st.session_state[f"{at}_value"] = mapping.value_column
        st.session_state[f"{at}_names"] = bool(mapping.file_names)
    cells = st.columns(4, vertical_alignment="bottom")
    cells[0].selectbox("Kind", list(KINDS), key=f"{at}_kind", format_func=lambda kind: KINDS[kind].label)
    cells[1].selectbox("Product ids", columns, key=f"{at}_id")
    cells[2].checkbox("Ids are file names", key=f"{at}_names",
                      help="The column holds file names such as 15970.jpg or img/15970.jpg: the product id is the "
                           "name without its folder and extension.")
    cells[3].selectbox("Values", columns, key=f"{at}_value",
                       help="The column with the image address, the stock or the price.")
    if st.session_state.get(f"{at}_kind") == "sizes":  # a stock-per-size file: its column of sizes too
        if st.session_state.get(f"{at}_size") not in columns:
            st.session_state[f"{at}_size"] = mapping.size_column if mapping.size_column in columns else None
        st.selectbox("Sizes", columns, key=f"{at}_size", placeholder="Choose the column of sizes",
                     help="A stock-per-size file: the column with each row's size; its stock is the Values column.")


def _join_report(joined: Joined) -> None:
    """The join of each file, in words and figures."""
    st.markdown("**How the files meet the catalog**")
    for report in joined.reports:
        cells = st.columns(4)
        cells[0].metric(f"{report.kind.label}: products found", f"{report.matched:,}")
        cells[1].metric("Values set", f"{report.changed:,}")
        cells[2].metric("Ids not in the catalog", f"{report.unknown:,}")
        cells[3].metric("Products not in the file", f"{report.uncovered:,}")
        st.markdown("\n".join(f"- {escape_markdown(sentence)}" for sentence in report.sentences()))


def refused_file_mapping(key: str, refused: Refused, *, fields: tuple[str, ...] = tuple(FIELDS)) -> Upload | None:
    """The columns of a refused catalog file, to map: on **Read with these columns**, the file read again
    with them (an Upload for use_catalog), else None. A new refusal is said here and returns None."""
    st.caption(f"Columns: which column of {escape_markdown(refused.name)} holds what. Choose, then read it again.")
    choices = [NONE_COLUMN, *refused.columns]
    detected = detect_columns(refused.columns)
    for field in fields:
        st.session_state.setdefault(f"{key}_refused_{field}", detected.get(field, NONE_COLUMN))
    with st.form(f"{key}_refused_mapping", border=False):
        cells = st.columns(min(4, len(fields)))
        for position, field in enumerate(fields):
            cells[position % len(cells)].selectbox(FIELDS[field], choices, key=f"{key}_refused_{field}")
        read = st.form_submit_button("Read with these columns", icon=":material/done_all:")
    if not read:
        return None
    chosen = {field: st.session_state[f"{key}_refused_{field}"] for field in fields}
    try:
        return load_upload(refused.data, columns=mapping_override(chosen), name=refused.name)
    except CatalogError as err:
        st.error(f"**With these columns, {escape_markdown(refused.name)} still could not be used.** "
                 f"{escape_markdown(err)}", icon=":material/error:")
        return None
