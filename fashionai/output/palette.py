"""The studio's chart look: one palette (deep plum, rose and warm neutrals) and the house style.

Every chart builder (`charts`, `catalog_charts`) takes its colours from here and
passes its chart through `house_style` (quiet axes, no frame, titles anchored left).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

import altair as alt

ChartT = TypeVar("ChartT", bound=alt.SchemaBase)
"""A chart of any kind (Chart, LayerChart, ...): `house_style` hands back the same kind."""

PLUM = "#5B2149"
ROSE = "#C8697F"
BLUSH = "#EBC9CF"
IVORY = "#F6F1EC"
TAUPE = "#A39489"
INK = "#2E2630"
SAGE = "#5E8C76"
GRID = "#EDE6E1"

ROW_HEIGHT = 22
"""Height in pixels of one row of a chart with a row per product or category."""


def color_scale(colors: Mapping[str, str]) -> alt.Scale:
    """A colour (or shape) scale mapping each key of `colors` to its value, in order."""
    return alt.Scale(domain=list(colors), range=list(colors.values()))


HOUSE_CONFIG = alt.Config(
    view=alt.ViewConfig(stroke=None),
    axis=alt.AxisConfig(labelColor=INK, titleColor=INK, gridColor=GRID, domainColor=TAUPE, tickColor=TAUPE),
    legend=alt.LegendConfig(labelColor=INK, titleColor=INK),
    title=alt.TitleConfig(color=INK, subtitleColor=TAUPE, anchor="start", fontSize=15),
)
"""The house look as one Vega-Lite config, made once (four configure calls a chart copied it four times)."""


def house_style(chart: ChartT) -> ChartT:
    """House look: quiet axes, no frame, titles anchored left."""
    styled = chart.copy(deep=False)
    styled.config = HOUSE_CONFIG  # checked once, when made (`properties` would check it again, at ~30 ms a chart)
    return styled
