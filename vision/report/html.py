"""Self-contained HTML pages: templates from ``vision/report/templates`` and figures inlined.

Pages repcount writes (a session report, a club report) must open from a disk or a mail
attachment with no network, so every figure is embedded as a ``data:`` URI and the
templates carry their own CSS. Autoescaping is on: clip names and athlete names are user text.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import jinja2
from matplotlib.figure import Figure

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("vision.report", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    undefined=jinja2.StrictUndefined,  # a missing value is a bug in the caller, not an empty cell
    trim_blocks=True,
    lstrip_blocks=True,
)


def figure_data_uri(fig: Figure, dpi: int = 110) -> str:
    """The figure as a PNG ``data:`` URI, for an ``<img src=...>`` that needs no file beside the page."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def render_page(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` with ``context``."""
    return _ENV.get_template(template).render(**context)
