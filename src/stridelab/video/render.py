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
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import cv2
import numpy as np
from numpy.typing import NDArray

from stridelab.errors import InputError, PoseError
from stridelab.video.decode import iter_frames
from stridelab.video.events import LEG, Foot, heel_rise_legs
from stridelab.video.form import ankle_angle_deg, knee_flexion_deg, thigh_angle_deg
from stridelab.video.native import native_stderr_silenced
from stridelab.video.pose import FALLBACK_FPS, SKELETON_EDGES, PoseSequence
from stridelab.video.report import DrillReport, fault_thumbnail_suffix

__all__ = [
    "FAULT_CALLOUT_S",
    "FAULT_THUMBNAIL_WIDTH_PX",
    "VIDEO_CODECS",
    "LegAngles",
    "PanelLine",
    "PanelStyle",
    "check_video_suffix",
    "draw_panel",
    "fault_summary",
    "leg_angles",
    "open_video_writer",
    "panel_lines",
    "panel_style",
    "render_annotated",
    "render_summary",
    "wrap_text",
]

#: A fault call-out stays on screen this long either side of its frame.
FAULT_CALLOUT_S: Final = 1.0
_GREEN: Final = (80, 200, 80)
_RED: Final = (40, 40, 230)
_WHITE: Final = (255, 255, 255)
_YELLOW: Final = (60, 220, 255)
_SIDE_COLOUR: Final = {Foot.LEFT: (255, 160, 60), Foot.RIGHT: (60, 160, 255)}


#: Text sizes follow the frame height: at this height the panel font has scale 1.0.
PANEL_REFERENCE_HEIGHT_PX: Final = 1000
#: Never smaller than this (a 360-line clip still reads: about 10-px capitals).
PANEL_MIN_FONT_SCALE: Final = 0.45
_PANEL_ALPHA: Final = 0.6
_FONT: Final = cv2.FONT_HERSHEY_SIMPLEX


@dataclass(frozen=True)
class PanelStyle:
    """Sizes of the on-video panel, in pixels and OpenCV font scale, for one frame height."""

    font_scale: float
    thickness: int
    line_px: int
    margin_px: int


def panel_style(height_px: int) -> PanelStyle:
    """Font scale, stroke and line height proportional to the frame height (*convention*)."""
    scale = max(PANEL_MIN_FONT_SCALE, height_px / PANEL_REFERENCE_HEIGHT_PX)
    return PanelStyle(
        font_scale=scale,
        thickness=max(1, round(2 * scale)),
        line_px=round(36 * scale),
        margin_px=round(12 * scale),
    )


@dataclass(frozen=True)
class PanelLine:
    """One line of the panel: its text, colour, and an optional contact dot before it."""

    text: str
    colour: tuple[int, int, int]
    on_ground: bool | None = None


@dataclass(frozen=True)
class LegAngles:
    """Per-frame key angles of one leg (degrees; NaN where the leg is unseen)."""

    knee_deg: NDArray[np.float64]
    hip_deg: NDArray[np.float64]
    ankle_deg: NDArray[np.float64]


def leg_angles(sequence: PoseSequence) -> dict[Foot, LegAngles]:
    """Knee flexion, thigh (hip) angle and ankle angle of both legs (see :mod:`form`)."""
    return {
        foot: LegAngles(
            knee_flexion_deg(sequence, foot),
            thigh_angle_deg(sequence, foot),
            ankle_angle_deg(sequence, foot),
        )
        for foot in Foot
    }


def _deg(value: float) -> str:
    return f"{value:.0f}" if np.isfinite(value) else "--"


def panel_lines(
    index: int,
    report: DrillReport,
    angles: dict[Foot, LegAngles],
    on_ground: dict[Foot, NDArray[np.bool_]],
) -> list[PanelLine]:
    """What the panel says at frame ``index``: drill, counters, both legs, the current fault."""
    lines = [PanelLine(report.drill.value.replace("-", " ").replace("_", " "), _WHITE)]
    steps = sum(1 for c in report.contacts if c.start_frame <= index)
    counters = f"steps {steps}"
    if report.reps is not None:
        left = sum(1 for p in report.rep_frames.get(Foot.LEFT, ()) if p <= index)
        right = sum(1 for p in report.rep_frames.get(Foot.RIGHT, ()) if p <= index)
        counters += f"   reps L {left}  R {right}"
    lines.append(PanelLine(counters, _WHITE))
    for foot in Foot:
        leg = angles[foot]
        text = (
            f"{foot.value[0].upper()} knee {_deg(float(leg.knee_deg[index]))}"
            f"  hip {_deg(float(leg.hip_deg[index]))}"
            f"  ankle {_deg(float(leg.ankle_deg[index]))} deg"
        )
        lines.append(PanelLine(text, _SIDE_COLOUR[foot], bool(on_ground[foot][index])))
    window = FAULT_CALLOUT_S * (report.fps or FALLBACK_FPS)
    for fault in report.faults:
        if abs(index - fault.frame) <= window:
            lines.append(PanelLine(fault.message, _RED))
            if fault.cue:
                lines.append(PanelLine("Cue: " + fault.cue, _YELLOW))
    return lines


def wrap_text(text: str, style: PanelStyle, width_px: int) -> list[str]:
    """``text`` broken into lines no wider than ``width_px`` in the panel's font."""
    words, out, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        size = cv2.getTextSize(trial, _FONT, style.font_scale, style.thickness)[0][0]
        if current and size > width_px:
            out.append(current)
            current = word
        else:
            current = trial
    return [*out, current] if current else out


def draw_panel(image: NDArray[np.uint8], lines: list[PanelLine]) -> tuple[int, int]:
    """Draw ``lines`` on a translucent box at the top left; returns the box's (width, height).

    Long lines wrap to the frame width, so a portrait clip keeps every word on screen.
    """
    height, width = image.shape[:2]
    style = panel_style(height)
    dot_px = round(0.5 * style.line_px)
    text_left = style.margin_px + dot_px + style.margin_px // 2
    room = width - text_left - style.margin_px
    rows = [
        (part, line, i == 0)
        for line in lines
        for i, part in enumerate(wrap_text(line.text, style, room))
    ]
    used = max(
        (cv2.getTextSize(t, _FONT, style.font_scale, style.thickness)[0][0] for t, _, _ in rows),
        default=0,
    )
    box_w = min(width, text_left + used + style.margin_px)
    box_h = min(height, style.margin_px + style.line_px * len(rows) + style.margin_px // 2)
    region = image[:box_h, :box_w]
    region[:] = (region * (1 - _PANEL_ALPHA)).astype(np.uint8)
    y = style.margin_px
    for text, line, first in rows:
        y += style.line_px
        baseline = y - style.line_px // 4
        if first and line.on_ground is not None:
            centre = (style.margin_px + dot_px // 2, baseline - dot_px // 2)
            colour = _GREEN if line.on_ground else (90, 90, 90)
            cv2.circle(image, centre, max(2, dot_px // 2), colour, -1, cv2.LINE_AA)
        cv2.putText(
            image,
            text,  # Hershey fonts are ASCII only: "deg", not the degree sign
            (text_left, baseline),
            _FONT,
            style.font_scale,
            line.colour,
            style.thickness,
            cv2.LINE_AA,
        )
    return box_w, box_h


def _pt(xy: NDArray[np.float64]) -> tuple[int, int] | None:
    return (int(xy[0]), int(xy[1])) if np.isfinite(xy).all() else None


def _draw_frame(
    image: NDArray[np.uint8],
    index: int,
    sequence: PoseSequence,
    report: DrillReport,
    angles: dict[Foot, LegAngles],
    on_ground: dict[Foot, NDArray[np.bool_]],
) -> None:
    style = panel_style(image.shape[0])
    xy = sequence.xy_px[index]
    for a, b in SKELETON_EDGES:
        pa, pb = _pt(xy[a]), _pt(xy[b])
        if pa is not None and pb is not None:
            cv2.line(image, pa, pb, _WHITE, max(2, style.thickness + 1), cv2.LINE_AA)
    for foot in Foot:
        knee = _pt(xy[LEG[foot].knee])
        value = float(angles[foot].knee_deg[index])
        if knee is not None and np.isfinite(value):
            cv2.putText(
                image,
                f"{value:.0f}",
                (knee[0] + style.margin_px, knee[1]),
                _FONT,
                0.8 * style.font_scale,
                _SIDE_COLOUR[foot],
                style.thickness,
                cv2.LINE_AA,
            )
        heel = _pt(xy[LEG[foot].heel])
        if heel is not None and on_ground[foot][index]:
            cv2.circle(image, heel, style.margin_px, _GREEN, -1, cv2.LINE_AA)
    draw_panel(image, panel_lines(index, report, angles, on_ground))


#: Fault thumbnails are this wide (height keeps the frame's aspect).
FAULT_THUMBNAIL_WIDTH_PX: Final = 320


def _save_thumbnail(image: NDArray[np.uint8], path: Path) -> None:
    height, width = image.shape[:2]
    size = (FAULT_THUMBNAIL_WIDTH_PX, max(1, round(height * FAULT_THUMBNAIL_WIDTH_PX / width)))
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    if not cv2.imwrite(str(path), small, [cv2.IMWRITE_JPEG_QUALITY, 85]):
        raise PoseError(f"{path}: cannot write a thumbnail there", hint="Check the folder.")


#: Video codec (FourCC) by output suffix; others get ``mp4v``.
VIDEO_CODECS: Final[dict[str, str]] = {".webm": "VP80", ".mp4": "mp4v", ".m4v": "mp4v"}


def check_video_suffix(out_path: str | Path) -> Path:
    """``out_path`` if it ends in a suffix of :data:`VIDEO_CODECS`, else :class:`InputError`."""
    out_path = Path(out_path)
    if out_path.suffix.lower() not in VIDEO_CODECS:
        raise InputError(
            f"{out_path}: cannot write a {out_path.suffix or 'suffix-less'} video",
            hint="Name it .webm (VP8, plays in browsers) or .mp4.",
        )
    return out_path


def open_video_writer(out_path: str | Path, fps: float, size: tuple[int, int]) -> cv2.VideoWriter:
    """OpenCV's writer for ``out_path`` (codec by suffix, :data:`VIDEO_CODECS`), ``size`` = (w, h).

    Raises :class:`PoseError` when the file cannot be opened for writing.
    """
    out_path = Path(out_path)
    codec = VIDEO_CODECS.get(out_path.suffix.lower(), "mp4v")
    with native_stderr_silenced():  # FFmpeg notes the VP8 tag it substitutes on stderr
        writer = cv2.VideoWriter(str(out_path), cv2.VideoWriter.fourcc(*codec), fps, size)
    if not writer.isOpened():
        raise PoseError(
            f"{out_path}: cannot write a video there",
            hint="Choose a writable .mp4 or .webm path.",
        )
    return writer


def render_annotated(
    path: str | Path,
    sequence: PoseSequence,
    report: DrillReport,
    out_path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    thumbnails_stem: str | Path | None = None,
) -> Path:
    """Write the annotated copy of the clip at ``out_path``.

    With ``thumbnails_stem``, the annotated frame where each fault shows is also saved as
    a small JPEG, ``{stem}`` + :func:`fault_thumbnail_suffix` (``i`` = the fault's index).

    The container follows the suffix: ``.webm`` is VP8, which browsers play (the web app
    uses it); anything else is MP4 with ``mp4v``, which desktop players open but browsers
    generally do not. (The OpenCV wheels carry no H.264 encoder.)
    """
    out_path = Path(out_path)
    writer = open_video_writer(
        out_path, report.fps or FALLBACK_FPS, (sequence.width, sequence.height)
    )
    angles = leg_angles(sequence)
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
                _draw_frame(image, frame.index, sequence, report, angles, on_ground)
            writer.write(image)
            if thumbnails_stem is not None:
                for i, fault in enumerate(report.faults):
                    if fault.frame == frame.index:
                        _save_thumbnail(
                            image, Path(f"{thumbnails_stem}{fault_thumbnail_suffix(i)}")
                        )
            if progress is not None:
                progress(frame.index + 1, sequence.frames)
    finally:
        writer.release()
    return out_path


def fault_summary(sequence: PoseSequence, report: DrillReport) -> list[str]:
    """One line per fault for the summary: when (time and rep), what is wrong, and the cue."""
    t0 = float(sequence.t_s[0]) if sequence.frames else 0.0
    reps = sorted(p for frames in report.rep_frames.values() for p in frames)
    out = []
    for fault in report.faults:
        at = (
            f"{float(sequence.t_s[fault.frame]) - t0:.1f} s"
            if 0 <= fault.frame < sequence.frames
            else f"frame {fault.frame}"
        )
        if reps:
            at += f", rep {max(1, sum(1 for p in reps if p <= fault.frame))}"
        line = f"{fault.id.replace('_', ' ')} ({at}): {fault.message}"
        out.append(line + (f"  Cue: {fault.cue}" if fault.cue else ""))
    return out


def render_summary(sequence: PoseSequence, report: DrillReport, png_path: str | Path) -> Path:
    """Write the one-page summary PNG: knee flexion and heel height, contacts shaded."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    png_path = Path(png_path)
    t = sequence.t_s - (sequence.t_s[0] if sequence.frames else 0.0)
    faults = fault_summary(sequence, report)
    figure = Figure(figsize=(11, 7.5 + 0.35 * max(1, len(faults))), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    grid = figure.add_gridspec(3, 1, height_ratios=[3, 3, 0.6 + 0.45 * max(1, len(faults))])
    knee_ax = figure.add_subplot(grid[0])
    heel_ax = figure.add_subplot(grid[1], sharex=knee_ax)
    text_ax = figure.add_subplot(grid[2])
    text_ax.set_axis_off()
    listing = "\n".join(f"{i}. {line}" for i, line in enumerate(faults, 1))
    text_ax.text(
        0.0,
        1.0,
        ("Faults:\n" + listing) if faults else "No faults found.",
        va="top",
        ha="left",
        fontsize=10,
        wrap=True,
        transform=text_ax.transAxes,
    )
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
    for number, fault in enumerate(report.faults, 1):
        if 0 <= fault.frame < sequence.frames:
            knee_ax.axvline(t[fault.frame], color="tab:red", ls="--", lw=1)
            knee_ax.annotate(  # the number of the fault in the list below
                str(number),
                (t[fault.frame], 1.0),
                xycoords=("data", "axes fraction"),
                color="tab:red",
                fontsize=10,
                fontweight="bold",
                ha="center",
                va="bottom",
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
