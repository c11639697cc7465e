"""Build the BlazePose ``.task`` files (lite, full, heavy) for the drill check, at set-up.

MediaPipe's current releases run pose through the Tasks ``PoseLandmarker``, which
reads a ``.task`` file: a zip of ``pose_detector.tflite`` and
``pose_landmarks_detector.tflite``, each carrying TFLite metadata that tells the
runtime how to normalise the input image. No PyPI package ships such a file, but
the npm package ``@mediapipe/pose`` (Apache-2.0, Google) carries the three landmark
models and the detector (embedded in ``pose_solution_packed_assets.data``) without
metadata. This script, run once by ``make`` (never at run time):

1. fetches that package with ``npm pack`` (pinned version, SHA-256 checked; cached
   under ``.cache/pose-models/``);
2. cuts the detector out of the packed assets (found by its ``TFL3`` identifier);
3. adds input metadata: detector input in ``[-1, 1]`` (mean 127.5, std 127.5),
   landmark input in ``[0, 1]`` (mean 0, std 255), as MediaPipe's own pose graphs
   convert images (``pose_detection_cpu.pbtxt``, ``pose_landmark_by_roi_cpu.pbtxt``);
4. zips each pair (stored, fixed timestamps: byte-for-byte reproducible) and checks
   the result against the checksums below;
5. writes the Apache-2.0 licence and a NOTICE beside the models.

Usage: python tools/build_pose_models.py [--out DIR] [--tarball FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[1]
DEFAULT_OUT: Final = ROOT / "src/stridelab/video/models"
CACHE: Final = ROOT / ".cache/pose-models"

NPM_PACKAGE: Final = "@mediapipe/pose"
NPM_VERSION: Final = "0.5.1675469404"
TARBALL_SHA256: Final = "8bb349a7b3a3ba699df23be804ddd3b3eab810b50b15406894be257859388a84"
PACKED_ASSETS: Final = "package/pose_solution_packed_assets.data"
ASSETS_LOADER: Final = "package/pose_solution_packed_assets_loader.js"
DETECTOR_NAME: Final = "pose_detection.tflite"

MODELS: Final = ("lite", "full", "heavy")
#: SHA-256 of the assembled files; a mismatch means the recipe or an input changed.
TASK_SHA256: Final = {
    "lite": "0a243b702eacdf40cc21baa82c0116e45f1554a4b0fc410e657180aadec16b89",
    "full": "8444fe78587781985485209b049c1c8069559b1cd617a2fa4d9f5bb60f65c090",
    "heavy": "1c018ab270cb50efaaeaabdc5d9c28a1fa55b790aa62431fdfc79d883d62b955",
}

LICENSE_TEXT: Final = Path("/usr/share/common-licenses/Apache-2.0")
NOTICE: Final = f"""\
pose_landmarker_lite.task, pose_landmarker_full.task, pose_landmarker_heavy.task

BlazePose models by Google LLC, from the npm package {NPM_PACKAGE}@{NPM_VERSION},
licensed under the Apache License, Version 2.0 (LICENSE-Apache-2.0 beside this file).
Modified by stridelab's tools/build_pose_models.py: the detector was cut out of
pose_solution_packed_assets.data, input-normalisation metadata (TFLite metadata
schema) was added to both models, and each detector/landmark pair was zipped into
a MediaPipe Tasks model bundle (.task).
"""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch_tarball(cache: Path) -> bytes:
    """The npm tarball, from the cache or ``npm pack`` (checked against :data:`TARBALL_SHA256`)."""
    name = f"mediapipe-pose-{NPM_VERSION}.tgz"
    path = cache / name
    if not path.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        if shutil.which("npm") is None:
            sys.exit(
                "build_pose_models: npm is needed once to fetch @mediapipe/pose (apt install npm)"
            )
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [
                    "npm",
                    "pack",
                    "--silent",
                    f"{NPM_PACKAGE}@{NPM_VERSION}",
                    "--pack-destination",
                    tmp,
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            shutil.move(str(Path(tmp) / name), path)
    data = path.read_bytes()
    if sha256(data) != TARBALL_SHA256:
        path.unlink()
        sys.exit(f"build_pose_models: {name} has the wrong SHA-256; removed, run again")
    return data


def members(tarball: bytes) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            handle = archive.extractfile(member)
            if handle is not None:
                out[member.name] = handle.read()
    return out


def cut_detector(files: dict[str, bytes]) -> bytes:
    """The detector tflite inside the packed assets: the loader names its byte range."""
    assets = files[PACKED_ASSETS]
    loader = files[ASSETS_LOADER].decode()
    match = re.search(
        r'"filename":\s*"[^"]*/'
        + re.escape(DETECTOR_NAME)
        + r'",\s*"start":\s*(\d+),\s*"end":\s*(\d+)',
        loader,
    )
    start, end = (int(match.group(1)), int(match.group(2))) if match else (0, len(assets))
    # A TFLite flatbuffer carries the file identifier "TFL3" at bytes 4-8.
    if assets[start + 4 : start + 8] != b"TFL3":
        start = assets.find(b"TFL3") - 4
        if start < 0:
            sys.exit("build_pose_models: no TFLite model found in the packed assets")
        end = len(assets)
    return assets[start:end]


def with_metadata(model: bytes, name: str, mean: float, std: float) -> bytes:
    """``model`` with TFLite metadata: one RGB image input normalised by ``mean``/``std``."""
    import flatbuffers
    from mediapipe.tasks.metadata import metadata_schema_py_generated as meta
    from mediapipe.tasks.metadata import schema_py_generated as schema

    image = meta.TensorMetadataT()
    image.name = "image"
    image.content = meta.ContentT()
    image.content.contentPropertiesType = meta.ContentProperties.ImageProperties
    image.content.contentProperties = meta.ImagePropertiesT()
    image.content.contentProperties.colorSpace = meta.ColorSpaceType.RGB
    unit = meta.ProcessUnitT()
    unit.optionsType = meta.ProcessUnitOptions.NormalizationOptions
    unit.options = meta.NormalizationOptionsT()
    unit.options.mean = [mean]
    unit.options.std = [std]
    image.processUnits = [unit]
    image.stats = meta.StatsT()
    image.stats.max = [(255.0 - mean) / std]
    image.stats.min = [(0.0 - mean) / std]

    parsed = schema.ModelT.InitFromPackedBuf(model, 0)
    outputs = parsed.subgraphs[0].outputs
    subgraph = meta.SubGraphMetadataT()
    subgraph.inputTensorMetadata = [image]
    subgraph.outputTensorMetadata = [meta.TensorMetadataT() for _ in range(len(outputs))]
    model_meta = meta.ModelMetadataT()
    model_meta.name = name
    model_meta.description = "BlazePose (Google), from @mediapipe/pose; metadata by stridelab."
    model_meta.license = "Apache License, Version 2.0"
    model_meta.subgraphMetadata = [subgraph]
    model_meta.minParserVersion = "1.0.0"
    builder = flatbuffers.Builder(1024)
    builder.Finish(model_meta.Pack(builder), file_identifier=b"M001")
    metadata_bytes = bytes(builder.Output())

    buffer = schema.BufferT()
    buffer.data = list(metadata_bytes)
    parsed.buffers.append(buffer)
    entry = schema.MetadataT()
    entry.name = "TFLITE_METADATA"
    entry.buffer = len(parsed.buffers) - 1
    parsed.metadata = [*(parsed.metadata or []), entry]
    builder = flatbuffers.Builder(len(model) + 1024)
    builder.Finish(parsed.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def bundle(detector: bytes, landmarks: bytes) -> bytes:
    """A ``.task`` zip: stored members with a fixed timestamp, so the bytes are reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in (
            ("pose_detector.tflite", detector),
            ("pose_landmarks_detector.tflite", landmarks),
        ):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


def build(out: Path, tarball: bytes) -> dict[str, str]:
    files = members(tarball)
    detector = with_metadata(cut_detector(files), "pose_detector", 127.5, 127.5)
    out.mkdir(parents=True, exist_ok=True)
    sums: dict[str, str] = {}
    for model in MODELS:
        landmarks = with_metadata(
            files[f"package/pose_landmark_{model}.tflite"], f"pose_landmarks_{model}", 0.0, 255.0
        )
        task = bundle(detector, landmarks)
        sums[model] = sha256(task)
        if TASK_SHA256[model] and sums[model] != TASK_SHA256[model]:
            sys.exit(
                f"build_pose_models: {model} .task checksum {sums[model]} is not the expected one"
            )
        (out / f"pose_landmarker_{model}.task").write_bytes(task)
    if LICENSE_TEXT.is_file():
        shutil.copyfile(LICENSE_TEXT, out / "LICENSE-Apache-2.0")
    (out / "NOTICE").write_text(NOTICE)
    (out / "SHA256SUMS").write_text(
        "".join(f"{sums[m]}  pose_landmarker_{m}.task\n" for m in MODELS)
    )
    return sums


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--tarball", type=Path, help="a local copy of the npm tarball")
    args = parser.parse_args()
    tarball = args.tarball.read_bytes() if args.tarball else fetch_tarball(CACHE)
    if sha256(tarball) != TARBALL_SHA256:
        sys.exit("build_pose_models: the tarball's SHA-256 is not the pinned one")
    sums = build(args.out, tarball)
    print(json.dumps({"out": str(args.out), "sha256": sums}, indent=2))


if __name__ == "__main__":
    main()
