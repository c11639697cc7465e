"""Write a short side-view clip of a running figure for the install smoke test.

The figure is the project's kinematic model (:mod:`stridelab.video.synthetic`)
drawn as a filled body (limbs as thick rounded strokes, a head, a torso), so a
real pose model finds a person in it: the clip exercises the installed drill
runtime end to end without any file from outside the repository.

Usage: python tools/make_smoke_clip.py OUT.mp4 [--seconds 4]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np

from stridelab.video.pose import Landmark
from stridelab.video.synthetic import SyntheticGait, synthesise

SKIN = (140, 170, 215)  # BGR
SHIRT = (60, 60, 200)
SHORTS = (70, 40, 30)
SHOE = (40, 40, 40)
BACKGROUND = (205, 210, 200)


def _pt(xy: np.ndarray) -> tuple[int, int]:
    return round(float(xy[0])), round(float(xy[1]))


def draw_frame(xy: np.ndarray, width: int, height: int, body_px: float) -> np.ndarray:
    """One BGR frame: the figure whose landmarks (pixels) are ``xy`` ``(33, 2)``."""
    image = np.full((height, width, 3), BACKGROUND, dtype=np.uint8)
    cv2.rectangle(image, (0, int(height * 0.95)), (width, height), (120, 130, 120), -1)
    limb = max(3, round(body_px * 0.055))
    L = Landmark

    def seg(a: int, b: int, colour: tuple[int, int, int], k: float = 1.0) -> None:
        cv2.line(image, _pt(xy[a]), _pt(xy[b]), colour, round(limb * k), cv2.LINE_AA)

    far, near = ("RIGHT", "LEFT")
    for side in (far, near):
        shade = 0.8 if side == far else 1.0
        tone = tuple(int(c * shade) for c in SKIN)
        seg(L[f"{side}_HIP"], L[f"{side}_KNEE"], tuple(int(c * shade) for c in SHORTS), 1.3)
        seg(L[f"{side}_KNEE"], L[f"{side}_ANKLE"], tone, 1.0)
        seg(L[f"{side}_HEEL"], L[f"{side}_FOOT_INDEX"], SHOE, 0.8)
        seg(L[f"{side}_ANKLE"], L[f"{side}_HEEL"], SHOE, 0.8)
    torso = np.array(
        [xy[L.LEFT_SHOULDER], xy[L.RIGHT_SHOULDER], xy[L.RIGHT_HIP], xy[L.LEFT_HIP]], np.int32
    )
    cv2.fillConvexPoly(image, torso, SHIRT, cv2.LINE_AA)
    seg(L.LEFT_SHOULDER, L.LEFT_HIP, SHIRT, 2.2)
    for side in (far, near):
        seg(L[f"{side}_SHOULDER"], L[f"{side}_ELBOW"], SHIRT, 0.9)
        seg(L[f"{side}_ELBOW"], L[f"{side}_WRIST"], SKIN, 0.8)
    head = xy[L.NOSE] * 0.4 + xy[L.LEFT_EAR] * 0.6
    cv2.ellipse(
        image, _pt(head), (round(body_px * 0.065), round(body_px * 0.08)), 0, 0, 360, SKIN, -1
    )
    neck_top = head + np.array([0.0, body_px * 0.06])
    cv2.line(image, _pt(neck_top), _pt(xy[L.LEFT_SHOULDER]), SKIN, limb, cv2.LINE_AA)
    return image


def write_clip(path: Path, seconds: float = 4.0) -> Path:
    """Write ``seconds`` of the running figure to ``path`` (mp4v, 30 frames/s, 480 × 640)."""
    gait = SyntheticGait(duration_s=seconds, width=480, height=640, height_px=520.0)
    clip = synthesise(gait)
    writer = cv2.VideoWriter(
        str(path), cv2.VideoWriter.fourcc(*"mp4v"), gait.fps, (gait.width, gait.height)
    )
    for xy in clip.xy_px:
        writer.write(draw_frame(xy, gait.width, gait.height, gait.height_px))
    writer.release()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    write_clip(args.out, args.seconds)


if __name__ == "__main__":
    main()
