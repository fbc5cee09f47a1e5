"""repcount: counts the reps of a runner's foot-and-ankle routine from video.

    from vision import analyze
    result = analyze("clip.mp4", exercise="two_leg_hops")
    print(result.exercises[0].count, result.to_json())
"""

__version__ = "0.1.0"

from vision.analyze import analyze
from vision.result import EXERCISES, AnalysisResult, ExerciseResult, Rep
from vision.series import LandmarkSeries, PoseFrame

__all__ = [
    "EXERCISES",
    "AnalysisResult",
    "ExerciseResult",
    "LandmarkSeries",
    "PoseFrame",
    "Rep",
    "__version__",
    "analyze",
]
