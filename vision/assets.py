"""Where the files in the repository's `models/` folder are found at run time.

`models/` sits at the top of the repository (next to `vision/`) and is installed as the
package data of `vision.models` (see pyproject.toml), so a plain `pip install .` outside
the checkout finds the same files as a developer running from the source tree.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_SOURCE_TREE_MODELS = Path(__file__).resolve().parent.parent / "models"


def model_path(name: str) -> Path:
    """Path of a file shipped in `models/`, e.g. ``model_path("pose_landmarker_full.task")``.

    Raises:
        FileNotFoundError: the file is neither installed nor in the source tree.
    """
    try:
        installed = Path(str(resources.files("vision.models") / name))
        if installed.is_file():
            return installed
    except ModuleNotFoundError:
        pass
    local = _SOURCE_TREE_MODELS / name
    if local.is_file():
        return local
    raise FileNotFoundError(
        f"model file {name!r} is missing: reinstall repcount (pip install .) or rebuild it (see models/README.md)"
    )
