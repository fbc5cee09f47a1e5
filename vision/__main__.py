"""``python -m vision`` runs the `repcount` command."""

from vision.cli import run

run()
