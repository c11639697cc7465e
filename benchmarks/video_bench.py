"""Drill-check speed, whole process: ours vs plain MediaPipe loops vs decode only, one clip.

Every variant is a fresh process timed from spawn to exit (interpreter start, imports,
model load, the whole clip, exit: what a runner waits for), with its peak memory from
``wait4``. Each child also reports its loop-only rate (first frame to last), printed
for reference. Variants are interleaved and repeated; the best time of each is kept,
since the machine is shared and noise only ever adds time.

    decode        OpenCV reads every frame (the floor)
    old 0.10.21   the plain ``mp.solutions.pose`` loop (BlazePose full) of MediaPipe
                  0.10.21, in a separate venv built once under ``.cache/video-bench/``
                  (numpy<2, protobuf<5); skipped with a message if it cannot be built
    new x1        a plain Tasks ``PoseLandmarker`` loop (VIDEO mode, BlazePose full)
    new x2        two such loops at once, each on the whole clip: the ceiling two pose
                  workers reach on this machine (frames of both over the wall time)
    ours          ``stridelab drill CLIP --json`` (motion pass, parallel pose,
                  smoothing, events, report)

The default clip is the shared treadmill clip scaled to 1080 × 1920 (written once under
``.cache/video-bench/`` with OpenCV's mp4v encoder, the one its wheels carry).

Usage: python benchmarks/video_bench.py [CLIP] [--repeats N] [--model lite|full|heavy]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED_CLIP = ROOT.parent / "shared/data/video/run-treadmill-side.mp4"
CACHE = ROOT / ".cache/video-bench"
OLD_VENV = CACHE / "venv-mediapipe-0.10.21"
#: What the old loop needs: its wheel with --no-deps (its jax/sentencepiece are unused).
OLD_REQUIREMENTS = (
    "numpy==1.26.4",
    "protobuf==4.25.9",
    "opencv-contrib-python==4.10.0.84",
    "absl-py==2.5.1",
    "attrs==26.1.0",
    "flatbuffers==25.12.19",
    "matplotlib==3.9.4",
)
OLD_MEDIAPIPE = "mediapipe==0.10.21"

DECODE = """
import sys, time, cv2
t = time.perf_counter(); capture = cv2.VideoCapture(sys.argv[1]); frames = 0
while capture.read()[0]:
    frames += 1
print(frames, time.perf_counter() - t)
"""
OLD_LOOP = """
import sys, time, cv2
import mediapipe as mp
pose = mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1)
t = time.perf_counter(); capture = cv2.VideoCapture(sys.argv[1]); frames = 0
while True:
    ok, image = capture.read()
    if not ok:
        break
    pose.process(cv2.cvtColor(image, cv2.COLOR_BGR2RGB)); frames += 1
print(frames, time.perf_counter() - t)
pose.close()
"""
NEW_LOOP = """
import sys, time, cv2
import mediapipe as mp
from mediapipe.tasks.python import BaseOptions, vision
options = vision.PoseLandmarkerOptions(
    base_options=BaseOptions(model_asset_path=sys.argv[2]),
    running_mode=vision.RunningMode.VIDEO)
landmarker = vision.PoseLandmarker.create_from_options(options)
capture = cv2.VideoCapture(sys.argv[1]); fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
t = time.perf_counter(); frames = 0
while True:
    ok, image = capture.read()
    if not ok:
        break
    rgb = mp.Image(image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
    landmarker.detect_for_video(rgb, round(frames * 1000 / fps)); frames += 1
print(frames, time.perf_counter() - t)
landmarker.close()
"""


def _spawn(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def _reap(proc: subprocess.Popen[bytes]) -> tuple[str, float]:
    """The child's stdout and its peak RSS in MB (its own or its largest child's)."""
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{proc.args} exited with {proc.returncode}")
    return stdout, usage.ru_maxrss / 1024.0


def _run(commands: list[list[str]]) -> dict[str, Any]:
    """Start ``commands`` together; wall time until all exited, peak RSS, child output."""
    start = time.perf_counter()
    procs = [_spawn(c) for c in commands]
    results = [_reap(p) for p in procs]
    wall = time.perf_counter() - start
    return {"wall_s": wall, "out": [r[0] for r in results], "rss_mb": max(r[1] for r in results)}


def scaled_clip(source: Path, height: int = 1920) -> Path:
    """``source`` scaled to ``height`` rows (aspect kept), written once under the cache."""
    import cv2

    target = CACHE / f"{source.stem}-{height}p-linear-q100.mp4"
    if target.is_file():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    capture = cv2.VideoCapture(str(source))
    fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
    writer = None
    partial = target.with_suffix(".partial.mp4")
    while True:
        ok, image = capture.read()
        if not ok:
            break
        width = round(image.shape[1] * height / image.shape[0] / 2) * 2
        if writer is None:
            writer = cv2.VideoWriter(
                str(partial), cv2.VideoWriter.fourcc(*"mp4v"), fps, (width, height)
            )
            writer.set(cv2.VIDEOWRITER_PROP_QUALITY, 100)
        writer.write(cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR))
    capture.release()
    if writer is not None:
        writer.release()
    partial.rename(target)
    return target


def old_python() -> Path | None:
    """The 0.10.21 venv's interpreter, building it once; ``None`` (with a message) if it cannot."""
    python = OLD_VENV / "bin/python"
    stamp = OLD_VENV / ".installed"
    if stamp.is_file():
        return python
    print(f"building {OLD_VENV} once (MediaPipe 0.10.21 from the package registry)…", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(OLD_VENV)], check=True)
        pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, *OLD_REQUIREMENTS], check=True, capture_output=True)
        subprocess.run([*pip, "--no-deps", OLD_MEDIAPIPE], check=True, capture_output=True)
        subprocess.run([str(python), "-c", "import mediapipe as mp; mp.solutions.pose"], check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"skip old 0.10.21 loop: its venv could not be built ({exc})")
        return None
    stamp.touch()
    return python


def _loop_fps(out: str) -> float:
    frames, seconds = out.split()
    return int(frames) / float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("clip", nargs="?", type=Path)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--model", default="full", choices=["lite", "full", "heavy"])
    args = parser.parse_args()
    if args.clip is None:
        if not SHARED_CLIP.is_file():
            print(f"skip: {SHARED_CLIP} not found (needs ../shared/data)")
            return
        args.clip = scaled_clip(SHARED_CLIP)
    from stridelab.video.native import PoseModel, model_path

    task = str(model_path(PoseModel(args.model)))
    clip = str(args.clip)
    stridelab = str(Path(sys.executable).with_name("stridelab"))
    old = old_python()
    commands: dict[str, list[list[str]]] = {
        "decode": [[sys.executable, "-c", DECODE, clip]],
        "new x1": [[sys.executable, "-c", NEW_LOOP, clip, task]],
        "new x2": [[sys.executable, "-c", NEW_LOOP, clip, task]] * 2,
        "ours": [[stridelab, "drill", clip, "--json", "--model", args.model]],
    }
    if old is not None:
        commands["old 0.10.21"] = [[str(old), "-c", OLD_LOOP, clip]]
    best: dict[str, dict[str, Any]] = {}
    for _ in range(args.repeats):
        for name, group in commands.items():
            result = _run(group)
            if name not in best or result["wall_s"] < best[name]["wall_s"]:
                best[name] = result
    report = json.loads(best["ours"]["out"][0])
    frames = int(report["frames"])
    fps = {name: len(commands[name]) * frames / r["wall_s"] for name, r in best.items()}
    print(f"clip: {args.clip.name} ({frames} frames, {report['metrics'].get('pose_model')} model)")
    print(f"best of {args.repeats}, whole process (spawn to exit), measured in this one run")
    print(f"{'variant':<12} {'frames/s':>9} {'seconds':>8} {'peak RSS MB':>12} {'loop fps':>9}")
    for name in ("decode", "old 0.10.21", "new x1", "new x2", "ours"):
        if name not in best:
            continue
        r = best[name]
        loop = "" if name == "ours" else f"{sum(_loop_fps(o) for o in r['out']):.1f}"
        print(f"{name:<12} {fps[name]:>9.1f} {r['wall_s']:>8.2f} {r['rss_mb']:>12.0f} {loop:>9}")
    if "old 0.10.21" in fps:
        print(f"ours / old 0.10.21     = {fps['ours'] / fps['old 0.10.21']:.2f}x  (target >= 2.0x)")
        print(f"new x1 / old 0.10.21   = {fps['new x1'] / fps['old 0.10.21']:.2f}x")
    print(f"ours / (new x2)        = {fps['ours'] / fps['new x2']:.2f}  (target >= 0.95)")
    print(f"(new x2) / (new x1)    = {fps['new x2'] / fps['new x1']:.2f}x  (what two cores give)")
    print(f"ours cadence: {report['cadence_spm']:.1f} steps/min")


if __name__ == "__main__":
    main()
