"""Build `pose_landmarker_full.task`, the MediaPipe Tasks pose bundle repcount ships.

Why this script exists: mediapipe 1.x (Tasks API only) ships no model, and the last
wheel that bundled the pose models, mediapipe 0.10.21, carries them as two bare
`.tflite` files for the legacy `mp.solutions.pose` graph. The Tasks `PoseLandmarker`
wants one zip ("model asset bundle") holding

* ``pose_detector.tflite``           <- ``mediapipe/modules/pose_detection/pose_detection.tflite``
* ``pose_landmarks_detector.tflite`` <- ``mediapipe/modules/pose_landmark/pose_landmark_full.tflite``

and it reads each float32 input's NormalizationOptions from the TFLite metadata. The
detector already carries them (mean 127.5, std 127.5); the landmark model has no
metadata, so we add it (mean 0, std 255: input in [0, 1]) and describe its five outputs.
The weights are not touched: every buffer of the original model is checked to be
byte-identical in the result.

How: ``pip download`` the 0.10.21 wheel (no install: it needs numpy<2 and pulls jax),
read the two models and the wheel's own pure-Python flatbuffer schemas
(``mediapipe/tasks/metadata/{schema,metadata_schema}_py_generated.py``), and write the
metadata with them and ``flatbuffers`` exactly as 0.10.21's ``MetadataPopulator`` does,
minus its C extension (which only computes the minimum parser version; for this metadata
that is "1.0.0", the same value the detector's own metadata carries).

Run from the repository root, in the project's environment (needs pip and flatbuffers,
both there with mediapipe)::

    python models/build_pose_bundle.py            # writes models/pose_landmarker_full.task
    python models/build_pose_bundle.py --wheel path/to/mediapipe-0.10.21-...whl

The output is deterministic: the same wheel gives the same bytes (fixed zip timestamps,
stored entries in a fixed order), so the sha256 in models/README.md can be checked.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from types import ModuleType

import flatbuffers  # type: ignore[import-untyped]
import numpy as np

MEDIAPIPE_VERSION = "0.10.21"
# One fixed wheel, whatever the developer's interpreter: the model files are the same
# in every 0.10.21 wheel, and pinning one lets us check its hash.
WHEEL_NAME = f"mediapipe-{MEDIAPIPE_VERSION}-cp311-cp311-manylinux_2_28_x86_64.whl"
WHEEL_SHA256 = "05dc4a9e593655a79558d05d6227d31018c2537a4bd3362b51e230cf22aecfe3"
PIP_PLATFORM_ARGS = ["--platform", "manylinux_2_28_x86_64", "--python-version", "3.11",
                     "--implementation", "cp", "--abi", "cp311", "--only-binary=:all:"]

DETECTOR_IN_WHEEL = "mediapipe/modules/pose_detection/pose_detection.tflite"
LANDMARKER_IN_WHEEL = "mediapipe/modules/pose_landmark/pose_landmark_full.tflite"
SCHEMA_IN_WHEEL = "mediapipe/tasks/metadata/schema_py_generated.py"
METADATA_SCHEMA_IN_WHEEL = "mediapipe/tasks/metadata/metadata_schema_py_generated.py"

BUNDLE_DETECTOR = "pose_detector.tflite"
BUNDLE_LANDMARKER = "pose_landmarks_detector.tflite"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "pose_landmarker_full.task"

TFLITE_FILE_IDENTIFIER = b"TFL3"
METADATA_FILE_IDENTIFIER = b"M001"
METADATA_FIELD_NAME = b"TFLITE_METADATA"
MIN_PARSER_VERSION = "1.0.0"
BUFFER_ALIGNMENT = 16  # what the TFLite converter uses for weight buffers
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: no build time leaks in

# The landmark model's outputs, in the order of its subgraph's outputs.
LANDMARK_OUTPUTS = [
    ("landmarks", "33 landmarks x (x, y, z, visibility, presence) in the 256x256 crop, [1,195]"),
    ("presence", "Pose presence score (logit), [1,1]"),
    ("segmentation", "Person segmentation mask (logits), [1,256,256,1]"),
    ("heatmap", "Landmark heatmaps used for refinement, [1,64,64,39]"),
    ("world_landmarks", "33 landmarks x (x, y, z) in metres, hip-centred, [1,117]"),
]


def fetch_wheel(dest: Path) -> Path:
    """Download the pinned mediapipe wheel with pip (no install, no dependencies)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", f"mediapipe=={MEDIAPIPE_VERSION}",
         "--no-deps", "--quiet", "-d", str(dest), *PIP_PLATFORM_ARGS],
        check=True,
    )
    return dest / WHEEL_NAME


def check_wheel(wheel: Path) -> None:
    """Refuse any wheel other than the pinned one, so the bundle's hash stays meaningful."""
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheel.name}: sha256 {digest} is not the pinned {WHEEL_SHA256}")


def load_module(name: str, source: bytes, workdir: Path) -> ModuleType:
    """Import one generated schema module from its source text (taken from the wheel)."""
    path = workdir / f"{name}.py"
    path.write_bytes(source)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def landmark_metadata(md: ModuleType) -> bytes:
    """TFLite metadata for the landmark model: an RGB image input in [0, 1], five outputs.

    Mirrors the detector's own metadata (the same fields MetadataWriter.add_image_input
    and add_feature_output write), with mean 0 and std 255 for the input.
    """
    image = md.TensorMetadataT()
    image.name = "image"
    image.description = "Input image: the person's crop, RGB, 256x256"
    image.content = md.ContentT()
    image.content.contentPropertiesType = md.ContentProperties.ImageProperties
    image.content.contentProperties = md.ImagePropertiesT()
    image.content.contentProperties.colorSpace = md.ColorSpaceType.RGB
    norm = md.ProcessUnitT()
    norm.optionsType = md.ProcessUnitOptions.NormalizationOptions
    norm.options = md.NormalizationOptionsT()
    norm.options.mean = [0.0]
    norm.options.std = [255.0]
    image.processUnits = [norm]
    image.stats = md.StatsT()
    image.stats.max = [1.0]
    image.stats.min = [0.0]

    outputs = []
    for name, description in LANDMARK_OUTPUTS:
        tensor = md.TensorMetadataT()
        tensor.name = name
        tensor.description = description
        tensor.content = md.ContentT()
        tensor.content.contentPropertiesType = md.ContentProperties.FeatureProperties
        tensor.content.contentProperties = md.FeaturePropertiesT()
        outputs.append(tensor)

    subgraph = md.SubGraphMetadataT()
    subgraph.inputTensorMetadata = [image]
    subgraph.outputTensorMetadata = outputs
    model = md.ModelMetadataT()
    model.name = "Pose landmarks detector (full)"
    model.description = "BlazePose GHUM 3D full, from mediapipe 0.10.21; metadata added by repcount"
    model.license = "Apache-2.0"
    model.minParserVersion = MIN_PARSER_VERSION
    model.subgraphMetadata = [subgraph]

    builder = flatbuffers.Builder(0)
    builder.Finish(model.Pack(builder), METADATA_FILE_IDENTIFIER)
    return bytes(builder.Output())


def with_metadata(model_buf: bytes, metadata_buf: bytes, schema: ModuleType) -> bytes:
    """Append `metadata_buf` as the model's TFLITE_METADATA buffer (as MetadataPopulator does)."""
    model = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(model_buf, 0))
    if any(m.name == METADATA_FIELD_NAME for m in model.metadata or []):
        sys.exit("the landmark model already has TFLite metadata: is this the expected wheel?")
    n_inputs = len(model.subgraphs[0].inputs)
    n_outputs = len(model.subgraphs[0].outputs)
    if (n_inputs, n_outputs) != (1, len(LANDMARK_OUTPUTS)):
        sys.exit(f"landmark model has {n_inputs} inputs and {n_outputs} outputs, expected 1 and 5")
    buffer = schema.BufferT()
    buffer.data = np.frombuffer(metadata_buf, dtype=np.uint8)
    model.buffers.append(buffer)
    entry = schema.MetadataT()
    entry.name = METADATA_FIELD_NAME
    entry.buffer = len(model.buffers) - 1
    model.metadata = [*(model.metadata or []), entry]
    align_buffers(model, schema)
    builder = flatbuffers.Builder(0)
    builder.Finish(model.Pack(builder), TFLITE_FILE_IDENTIFIER)
    return bytes(builder.Output())


def align_buffers(model: object, schema: ModuleType) -> None:
    """Make every weight buffer start on a 16-byte boundary when the model is packed again.

    The TFLite converter aligns buffers (the schema's ``force_align: 16``) but the
    generated Python packer does not; unaligned weights still work, yet TFLite then copies
    them at every load and logs a warning about it. Padding before each buffer keeps the
    file mmap-friendly, as the original is.
    """

    class AlignedBufferT(schema.BufferT):  # type: ignore[name-defined,misc]
        def Pack(self, builder: flatbuffers.Builder) -> int:  # noqa: N802 (generated API)
            if self.data is not None and len(self.data):
                builder.Prep(BUFFER_ALIGNMENT, len(self.data))
            return int(super().Pack(builder))

    for buffer in model.buffers:  # type: ignore[attr-defined]
        buffer.__class__ = AlignedBufferT


def check_weights_unchanged(before: bytes, after: bytes, schema: ModuleType) -> None:
    """Every buffer of the original model must come out byte-identical (only one is added)."""
    old = schema.Model.GetRootAsModel(before, 0)
    new = schema.Model.GetRootAsModel(after, 0)
    if new.BuffersLength() != old.BuffersLength() + 1:
        sys.exit("metadata writing changed the number of model buffers")
    for i in range(old.BuffersLength()):
        if buffer_bytes(old.Buffers(i)) != buffer_bytes(new.Buffers(i)):
            sys.exit(f"model buffer {i} changed while writing metadata")


def buffer_bytes(buffer: object) -> bytes:
    """The bytes of one flatbuffer `Buffer` (the generated reader returns 0 for an empty one)."""
    data = buffer.DataAsNumpy()  # type: ignore[attr-defined]
    return b"" if isinstance(data, int) else data.tobytes()


def write_bundle(path: Path, entries: dict[str, bytes]) -> None:
    """Write the model asset bundle: a zip of stored (uncompressed) entries, fixed times."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as bundle:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.external_attr = 0o644 << 16
            bundle.writestr(info, entries[name])


def build(wheel: Path, output: Path, workdir: Path) -> str:
    """Build the bundle from `wheel` into `output`; return its sha256."""
    check_wheel(wheel)
    with zipfile.ZipFile(wheel) as whl:
        detector = whl.read(DETECTOR_IN_WHEEL)
        landmarker = whl.read(LANDMARKER_IN_WHEEL)
        schema = load_module("schema_py_generated", whl.read(SCHEMA_IN_WHEEL), workdir)
        md = load_module("metadata_schema_py_generated", whl.read(METADATA_SCHEMA_IN_WHEEL), workdir)
    landmarker_md = with_metadata(landmarker, landmark_metadata(md), schema)
    check_weights_unchanged(landmarker, landmarker_md, schema)
    write_bundle(output, {BUNDLE_DETECTOR: detector, BUNDLE_LANDMARKER: landmarker_md})
    return hashlib.sha256(output.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help=f"use this {WHEEL_NAME} instead of downloading it")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="bundle to write")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pose_bundle_") as tmp:
        workdir = Path(tmp)
        wheel = args.wheel or fetch_wheel(workdir)
        digest = build(wheel, args.output, workdir)
    print(f"wrote {args.output} ({args.output.stat().st_size} bytes), sha256 {digest}")


if __name__ == "__main__":
    main()
