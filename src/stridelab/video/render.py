"""Render stage: the annotated video and the one-page summary picture.

The annotated video re-reads the clip (streamed) and draws, per frame: the
skeleton, knee angles, live step and repetition counters, a marker on each foot
while it is on the ground, and fault call-outs for a second around the frame
where each fault shows. It is written with OpenCV's ``VideoWriter`` (``mp4v`` in .mp4,
VP8 in .webm for browsers).

The summary is a matplotlib (Agg) figure: knee flexion and heel height over
time, contacts shaded, faults marked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

import cv2
import numpy as np
from numpy.typing import NDArray

from stridelab.errors import PoseError
from stridelab.video.decode import iter_frames
from stridelab.video.events import LEG, Foot, heel_rise_legs
from stridelab.video.form import knee_flexion_deg
from stridelab.video.pose import FALLBACK_FPS, SKELETON_EDGES, PoseSequence
from stridelab.video.report import DrillReport

__all__ = ["FAULT_CALLOUT_S", "render_annotated", "render_summary"]

#: A fault call-out stays on screen this long either side of its frame.
FAULT_CALLOUT_S: Final = 1.0
_GREEN: Final = (80, 200, 80)
_RED: Final = (40, 40, 230)
_WHITE: Final = (255, 255, 255)
_SIDE_COLOUR: Final = {Foot.LEFT: (255, 160, 60), Foot.RIGHT: (60, 160, 255)}


def _text(
    image: NDArray[np.uint8],
    text: str,
    org: tuple[int, int],
    scale: float,
    colour: tuple[int, int, int],
) -> None:
    thickness = max(1, round(scale * 2))
    cv2.putText(
        image, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thickness + 2, cv2.LINE_AA
    )
    cv2.putText(image, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thickness, cv2.LINE_AA)


def _pt(xy: NDArray[np.float64]) -> tuple[int, int] | None:
    return (int(xy[0]), int(xy[1])) if np.isfinite(xy).all() else None


def _draw_frame(
    image: NDArray[np.uint8],
    index: int,
    sequence: PoseSequence,
    report: DrillReport,
    flexion: dict[Foot, NDArray[np.float64]],
    on_ground: dict[Foot, NDArray[np.bool_]],
) -> None:
    height = image.shape[0]
    scale = max(0.5, height / 1000.0)
    xy = sequence.xy_px[index]
    for a, b in SKELETON_EDGES:
        pa, pb = _pt(xy[a]), _pt(xy[b])
        if pa is not None and pb is not None:
            cv2.line(image, pa, pb, _WHITE, max(2, round(3 * scale)), cv2.LINE_AA)
    for foot in Foot:
        knee = _pt(xy[LEG[foot].knee])
        if knee is not None and np.isfinite(flexion[foot][index]):
            _text(
                image,
                f"{flexion[foot][index]:.0f}",
                (knee[0] + 8, knee[1]),
                0.6 * scale,
                _SIDE_COLOUR[foot],
            )
        heel = _pt(xy[LEG[foot].heel])
        if heel is not None and on_ground[foot][index]:
            cv2.circle(image, heel, round(10 * scale), _GREEN, -1, cv2.LINE_AA)
    steps = sum(1 for c in report.contacts if c.start_frame <= index)
    line = f"{report.drill.value}  steps {steps}"
    if report.reps is not None:
        left = sum(1 for p in report.rep_frames.get(Foot.LEFT, ()) if p <= index)
        right = sum(1 for p in report.rep_frames.get(Foot.RIGHT, ()) if p <= index)
        line += f"  reps L {left} R {right}"
    _text(image, line, (10, round(30 * scale)), 0.8 * scale, _WHITE)
    window = FAULT_CALLOUT_S * (report.fps or FALLBACK_FPS)
    y = round(70 * scale)
    for fault in report.faults:
        if abs(index - fault.frame) <= window:
            _text(image, fault.message, (10, y), 0.7 * scale, _RED)
            y += round(32 * scale)


#: Video codec (FourCC) by output suffix; others get ``mp4v``.
VIDEO_CODECS: Final[dict[str, str]] = {".webm": "VP80", ".mp4": "mp4v", ".m4v": "mp4v"}


def render_annotated(
    path: str | Path,
    sequence: PoseSequence,
    report: DrillReport,
    out_path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write the annotated copy of the clip at ``out_path``.

    The container follows the suffix: ``.webm`` is VP8, which browsers play (the web app
    uses it); anything else is MP4 with ``mp4v``, which desktop players open but browsers
    generally do not. (The OpenCV wheels carry no H.264 encoder.)
    """
    out_path = Path(out_path)
    codec = VIDEO_CODECS.get(out_path.suffix.lower(), "mp4v")
    fourcc = cv2.VideoWriter.fourcc(*codec)
    writer = cv2.VideoWriter(
        str(out_path), fourcc, report.fps or FALLBACK_FPS, (sequence.width, sequence.height)
    )
    if not writer.isOpened():
        raise PoseError(
            f"{out_path}: cannot write a video there",
            hint="Choose a writable .mp4 or .webm path.",
        )
    flexion = {foot: knee_flexion_deg(sequence, foot) for foot in Foot}
    on_ground = {foot: np.zeros(sequence.frames, dtype=np.bool_) for foot in Foot}
    for contact in report.contacts:
        on_ground[contact.foot][contact.start_frame : contact.end_frame + 1] = True
    try:
        for frame in iter_frames(path, 0, sequence.frames):
            image = frame.image_bgr.copy()
            if image.shape[1] != sequence.width or image.shape[0] != sequence.height:
                image = np.asarray(
                    cv2.resize(image, (sequence.width, sequence.height)), dtype=np.uint8
                )
            if sequence.detected[frame.index]:
                _draw_frame(image, frame.index, sequence, report, flexion, on_ground)
            writer.write(image)
            if progress is not None:
                progress(frame.index + 1, sequence.frames)
    finally:
        writer.release()
    return out_path


def render_summary(sequence: PoseSequence, report: DrillReport, png_path: str | Path) -> Path:
    """Write the one-page summary PNG: knee flexion and heel height, contacts shaded."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    png_path = Path(png_path)
    t = sequence.t_s - (sequence.t_s[0] if sequence.frames else 0.0)
    figure = Figure(figsize=(11, 7.5), dpi=100)
    FigureCanvasAgg(figure)
    knee_ax, heel_ax = figure.subplots(2, 1, sharex=True)
    colours = {Foot.LEFT: "tab:orange", Foot.RIGHT: "tab:blue"}
    for foot in Foot:
        knee_ax.plot(
            t, knee_flexion_deg(sequence, foot), color=colours[foot], label=f"{foot.value} knee"
        )
        heel_ax.plot(
            t, heel_rise_legs(sequence, foot), color=colours[foot], label=f"{foot.value} heel"
        )
    t0 = float(sequence.t_s[0]) if sequence.frames else 0.0
    for contact in report.contacts:
        for ax in (knee_ax, heel_ax):
            ax.axvspan(
                contact.start_s - t0,
                contact.end_s - t0,
                color=colours[contact.foot],
                alpha=0.15,
                lw=0,
            )
    for fault in report.faults:
        if 0 <= fault.frame < sequence.frames:
            knee_ax.axvline(t[fault.frame], color="tab:red", ls="--", lw=1)
            knee_ax.annotate(
                fault.id, (t[fault.frame], 0), color="tab:red", fontsize=8, rotation=90
            )
    knee_ax.set_ylabel("knee flexion (°)")
    heel_ax.set_ylabel("heel height (leg lengths)")
    heel_ax.set_xlabel("time (s); shaded: foot on the ground")
    knee_ax.legend(loc="upper right", fontsize=8)
    heel_ax.legend(loc="upper right", fontsize=8)
    reps = (
        ""
        if report.reps is None
        else f" · reps L {report.reps[Foot.LEFT]} R {report.reps[Foot.RIGHT]}"
    )
    gct = (
        "" if report.ground_contact_ms is None else f" · contact {report.ground_contact_ms:.0f} ms"
    )
    head = f"{report.drill.value}: {report.steps} steps · {report.cadence_spm:.1f} steps/min"
    figure.suptitle(head + gct + reps)
    figure.savefig(png_path)
    return png_path
