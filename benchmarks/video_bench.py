"""Drill-check speed: ours vs a plain MediaPipe loop vs decode only, on the same clip.

Each measurement runs in a fresh Python process (so peak memory is per process
and nothing is shared between variants); imports are done before the clock
starts, so every variant is timed from "open the clip" to "have the answer".
Variants are interleaved and repeated; the best time of each is kept, since the
machine is shared and noise only ever adds time.

    decode      OpenCV reads every frame (the floor)
    plain       one process: VideoCapture → RGB → mp.solutions.pose.Pose.process
    plain x2    two plain loops at once, each on the whole clip (the ceiling two
                pose workers can reach on this machine; reported per clip)
    ours        stridelab.video.check_drill end to end (motion pass, parallel pose,
                smoothing, events, report)

Usage: python benchmarks/video_bench.py [CLIP] [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_CLIP = Path(__file__).resolve().parents[2] / "shared/data/video/run-treadmill-side.mp4"


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0  # Linux reports KiB


def _decode(clip: str) -> dict[str, Any]:
    import cv2

    start = time.perf_counter()
    capture = cv2.VideoCapture(clip)
    frames = 0
    while True:
        ok, _ = capture.read()
        if not ok:
            break
        frames += 1
    capture.release()
    return {"frames": frames, "seconds": time.perf_counter() - start}


def _plain(clip: str) -> dict[str, Any]:
    import cv2
    import mediapipe as mp

    start = time.perf_counter()
    pose = mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1)
    capture = cv2.VideoCapture(clip)
    frames = 0
    while True:
        ok, image = capture.read()
        if not ok:
            break
        pose.process(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
        frames += 1
    capture.release()
    pose.close()
    return {"frames": frames, "seconds": time.perf_counter() - start}


def _ours(clip: str) -> dict[str, Any]:
    import mediapipe  # noqa: F401  (imported before the clock, like the plain loop)

    from stridelab.video.pipeline import check_drill

    start = time.perf_counter()
    report, _ = check_drill(clip)
    seconds = time.perf_counter() - start
    return {
        "frames": report.frames,
        "seconds": seconds,
        "cadence_spm": report.cadence_spm,
        "worker_rss_mb": _rss_mb(resource.RUSAGE_CHILDREN),
    }


VARIANTS = {"decode": _decode, "plain": _plain, "ours": _ours}


def _child(variant: str, clip: str) -> None:
    result = VARIANTS[variant](clip)
    result["rss_mb"] = _rss_mb(resource.RUSAGE_SELF)
    print(json.dumps(result))


def _run(variant: str, clip: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", variant, str(clip)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _run_pair(clip: Path) -> float:
    """Wall time of two plain loops started together."""
    command = [sys.executable, __file__, "--child", "plain", str(clip)]
    start = time.perf_counter()
    procs = [
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(2)
    ]
    for proc in procs:
        proc.wait()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("clip", nargs="?", type=Path, default=DEFAULT_CLIP)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--child", nargs=2, metavar=("VARIANT", "CLIP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    if not args.clip.is_file():
        print(f"skip: {args.clip} not found (needs ../shared/data)")
        return
    best: dict[str, dict[str, Any]] = {}
    pair_s = float("inf")
    for _ in range(args.repeats):
        for variant in ("decode", "plain", "ours"):
            result = _run(variant, args.clip)
            if variant not in best or result["seconds"] < best[variant]["seconds"]:
                best[variant] = result
        pair_s = min(pair_s, _run_pair(args.clip))
    frames = best["plain"]["frames"]
    fps = {name: r["frames"] / r["seconds"] for name, r in best.items()}
    fps["plain x2"] = 2 * frames / pair_s  # frames of both loops over the wall time
    print(f"clip: {args.clip.name} ({frames} frames), best of {args.repeats}")
    print(f"{'variant':<10} {'frames/s':>9} {'seconds':>8} {'peak RSS MB':>12}")
    for name in ("decode", "plain", "plain x2", "ours"):
        seconds = pair_s if name == "plain x2" else best[name]["seconds"]
        rss = "" if name == "plain x2" else f"{best[name]['rss_mb']:.0f}"
        print(f"{name:<10} {fps[name]:>9.1f} {seconds:>8.2f} {rss:>12}")
    print(f"ours worker peak RSS: {best['ours']['worker_rss_mb']:.0f} MB (largest pose worker)")
    print(f"ours / plain          = {fps['ours'] / fps['plain']:.2f}x  (target >= 1.8x)")
    ceiling = fps["ours"] / fps["plain x2"]
    print(f"ours / (plain x2)     = {ceiling:.2f}  (share of the two-worker ceiling)")
    print(
        f"(plain x2) / plain    = {fps['plain x2'] / fps['plain']:.2f}x  (what two cores give here)"
    )
    print(f"decode / plain        = {fps['decode'] / fps['plain']:.1f}x")
    print(f"ours cadence: {best['ours']['cadence_spm']:.1f} steps/min")


if __name__ == "__main__":
    main()
