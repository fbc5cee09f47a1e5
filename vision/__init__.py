"""repcount: counts the reps of a runner's foot-and-ankle routine from video."""

__version__ = "0.1.0"
