"""The page helpers: figures inline as PNG data URIs, user text is escaped."""

from __future__ import annotations

import base64

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from vision.report.html import _ENV, figure_data_uri


def test_figure_is_inlined_as_png() -> None:
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    uri = figure_data_uri(fig)
    plt.close(fig)
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"


def test_user_text_is_escaped() -> None:
    page = _ENV.from_string("<h1>{{ name }}</h1>").render(name="<script>x</script>")
    assert "<script>" not in page and "&lt;script&gt;" in page
