"""A handover as one self-contained HTML file: opens anywhere, offline, and prints to PDF.

    report_html(handover)   # the file's text

Inline CSS, no script, no address of any kind: the charts are PNG pictures inline (data: URIs), a
product's picture only when it is inline too (else a placeholder box). Every text passes through
`handover.scrub`, then is escaped for HTML, so a name holding markup shows as typed. No Streamlit here.
"""

from __future__ import annotations

import base64
import html

from fashionai.output.chart_images import chart_png
from fashionai.output.handover import SUMMARY_HEADING, Card, Handover, Section, scrub

__all__ = ["STYLE", "report_html"]

STYLE = """
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #2E2630; margin: 2rem auto;
       max-width: 60rem; padding: 0 1rem; line-height: 1.45; }
h1 { color: #5B2149; margin-bottom: 0.3rem; }
h2 { color: #5B2149; border-bottom: 2px solid #EBC9CF; padding-bottom: 0.2rem; margin-top: 2.2rem;
     page-break-after: avoid; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
img.chart { max-width: 100%; height: auto; display: block; margin: 0.8rem 0; page-break-inside: avoid; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr)); gap: 0.8rem; }
.card { border: 1px solid #EBC9CF; border-radius: 6px; padding: 0.4rem; page-break-inside: avoid;
        font-size: 0.85rem; }
.card img, .card .no-picture { width: 100%; height: 9rem; object-fit: contain; display: block; }
.card .no-picture { background: #F6F1EC; color: #A39489; text-align: center; line-height: 9rem; }
.card .name { font-weight: bold; }
.card .rank { color: #5B2149; }
p.note { color: #A39489; font-size: 0.85rem; }
.summary p { font-size: 1.15rem; }
footer { color: #A39489; font-size: 0.8rem; margin-top: 3rem; }
"""


def _e(text: object) -> str:
    return html.escape(scrub(text), quote=True)


def _card(card: Card) -> str:
    picture = (f'<img src="{html.escape(card.image, quote=True)}" alt="{_e(card.name)}">' if card.image
               else '<div class="no-picture">no picture</div>')
    rank = f'<span class="rank">#{card.rank}</span> ' if card.rank is not None else ""
    details = " · ".join(_e(part) for part in (card.price, card.stock) if part)
    note = f"<div>{_e(card.note)}</div>" if card.note else ""
    return (f'<div class="card">{picture}<div class="name">{rank}{_e(card.name)}</div>'
            f"<div>{details}</div>{note}</div>")


def _section(section: Section) -> str:
    parts = [f"<section><h2>{_e(section.heading)}</h2>"]
    parts += [f"<p>{_e(line)}</p>" for line in section.readings]
    if section.chart is not None:
        png = base64.b64encode(chart_png(section.chart)).decode("ascii")
        parts.append(f'<img class="chart" src="data:image/png;base64,{png}" alt="{_e(section.heading)}">')
    if section.cards:
        parts.append('<div class="cards">' + "".join(_card(card) for card in section.cards) + "</div>")
    parts.append("</section>")
    return "\n".join(parts)


def report_html(handover: Handover) -> str:
    """The handover as one HTML page: its facts, then every section's sentences, chart and cards."""
    facts = "".join(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in handover.facts)
    body = "\n".join(_section(section) for section in handover.sections)
    notes = "".join(f'<p class="note">{_e(note)}</p>\n' for note in handover.notes)
    if handover.summary:
        body = f'<section class="summary"><h2>{SUMMARY_HEADING}</h2><p>{_e(handover.summary)}</p></section>\n' + body
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{_e(handover.title)}</title><style>{STYLE}</style></head>\n<body>\n"
            f'<h1>{_e(handover.title)}</h1>\n<dl class="facts">{facts}</dl>\n{notes}{body}\n'
            "<footer>Made with the Fashion.AI Merchandising Studio.</footer>\n</body></html>\n")
