"""The drill-check pipeline: decode → subject → pose → smooth → events/form → report.

Each stage is one module with one entry point; this module strings them together
and runs the pose stage, the bottleneck, in parallel: the clip is cut into
:data:`DEFAULT_WORKERS` contiguous chunks, one per worker process, each with its
own model. MediaPipe tracks from frame to frame, so every chunk after the first
starts :data:`WARMUP_FRAMES` early and throws those frames away: the tracker has
locked on by the chunk's first real frame. Nothing is skipped, and the result
matches a sequential run within landmark noise (tests check cadence and reps).

The motion pass that finds the subject among several people rides along the
first pose pass (the workers decode every frame anyway); only when the subject
must be cropped out of a crowd does a second pose pass run.
"""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

import cv2
import numpy as np
from numpy.typing import NDArray

from stridelab.errors import PoseError
from stridelab.video.decode import VideoInfo, iter_frames, probe_video
from stridelab.video.form import DrillType
from stridelab.video.native import DEFAULT_POSE_MODEL, PoseModel, model_path, pose_api
from stridelab.video.pose import (
    LANDMARK_COUNT,
    MediaPipePoseEstimator,
    PoseEstimator,
    PoseSequence,
    model_loaded_in_process,
    no_person,
)
from stridelab.video.report import DrillReport, analyse_pose
from stridelab.video.smooth import smooth_sequence
from stridelab.video.track import (
    MOTION_WARMUP_FRAMES,
    MotionObserver,
    Observation,
    SubjectTrack,
    choose_subject,
)

__all__ = [
    "DEFAULT_WORKERS",
    "WARMUP_FRAMES",
    "EstimatorFactory",
    "Progress",
    "check_drill",
    "estimate_poses",
    "mediapipe_factory",
]

#: Pose worker processes (this machine has two cores; each model uses about one).
DEFAULT_WORKERS: Final = 2
#: Frames a chunk's tracker sees before its first kept frame.
WARMUP_FRAMES: Final = 10
#: Clips shorter than this run in one process (start-up would cost more than it saves).
MIN_PARALLEL_FRAMES: Final = 120
#: Skipping a frame (decode, no conversion, no model) costs about this share of a pose frame.
GRAB_COST: Final = 0.07
#: Workers report progress every this many frames.
PROGRESS_EVERY: Final = 10
#: How long the parent waits on the progress queue before checking whether the chunks are
#: done: the answer is late by up to this much (0.1 s cost about 2 % of a 12 s clip).
PROGRESS_POLL_S: Final = 0.02

EstimatorFactory = Callable[[], PoseEstimator]
Progress = Callable[[int, int], None]
Crop = tuple[int, int, int] | None

_worker_estimator: PoseEstimator | None = None
_worker_queue: Any = None


def _worker_context(uses_mediapipe: bool) -> multiprocessing.context.BaseContext:
    """How to start pose workers: ``fork`` when safe, else a preloaded ``forkserver``.

    ``fork`` starts workers in milliseconds, but is only safe from a process
    with a single thread that has never run a MediaPipe graph (native thread
    pools do not survive a fork). Otherwise a fork server that has imported
    MediaPipe once hands out clean workers (its first start costs about 1-2 s).
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1 and not model_loaded_in_process():
        if uses_mediapipe:  # import it once here (it starts no threads): workers inherit it
            pose_api()
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["stridelab.video.pipeline"])
        return context
    return multiprocessing.get_context("spawn")


def _rgb(image_bgr: NDArray[np.uint8]) -> NDArray[np.uint8]:
    return np.asarray(cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB), dtype=np.uint8)


ChunkResult = tuple[NDArray[np.float64], NDArray[np.float64], list[Observation]]


def _pose_frames(
    estimator: PoseEstimator,
    info: VideoInfo,
    start: int,
    stop: int,
    crops: list[Crop] | None,
    report: Callable[[int], None] | None,
) -> ChunkResult:
    """Landmarks (full-frame normalised), times and motion of frames ``start`` … ``stop - 1``.

    Without ``crops`` the frames also feed a :class:`MotionObserver` (the motion
    pass rides along the decode). With ``crops`` only the subject's square is
    shown to the model, and frames outside the subject's track hold no person.
    """
    observer = MotionObserver(info.width, info.height) if crops is None else None
    warmup = 0 if start == 0 else (MOTION_WARMUP_FRAMES if observer else WARMUP_FRAMES)
    landmarks: list[NDArray[np.float64]] = []
    times: list[float] = []
    pending = 0
    for frame in iter_frames(info.path, max(0, start - warmup), stop):
        image = frame.image_bgr
        if observer is not None:
            observer.observe(frame.index, image, keep=frame.index >= start)
        if frame.index < start - WARMUP_FRAMES:
            continue  # motion warm-up only
        height, width = image.shape[:2]
        crop = crops[frame.index] if crops is not None else None
        if crops is not None and crop is None:
            points = no_person()
        elif crop is not None:
            x0, y0, side = crop
            rgb = _rgb(image[y0 : y0 + side, x0 : x0 + side])
            points = estimator.estimate(rgb, frame.index)
            points[:, 0] = (x0 + points[:, 0] * side) / width
            points[:, 1] = (y0 + points[:, 1] * side) / height
        else:
            points = estimator.estimate(_rgb(image), frame.index)
        if frame.index >= start:
            landmarks.append(points)
            times.append(frame.t_s)
            pending += 1
            if report is not None and pending >= PROGRESS_EVERY:
                report(pending)
                pending = 0
    if report is not None and pending:
        report(pending)
    stack = np.stack(landmarks) if landmarks else np.zeros((0, LANDMARK_COUNT, 3))
    motion = observer.observations if observer is not None else []
    return stack, np.asarray(times, dtype=np.float64), motion


def _init_worker(factory: EstimatorFactory, progress_queue: Any) -> None:
    global _worker_estimator, _worker_queue
    _worker_estimator = factory()
    _worker_queue = progress_queue


def _worker_chunk(info: VideoInfo, start: int, stop: int, crops: list[Crop] | None) -> ChunkResult:
    if _worker_estimator is None:  # pragma: no cover - the initializer always ran
        raise RuntimeError("pose worker started without a model")
    return _pose_frames(_worker_estimator, info, start, stop, crops, _worker_queue.put_nowait)


def _chunks(frames: int, workers: int, warmup: int = WARMUP_FRAMES) -> list[tuple[int, int]]:
    """Contiguous chunks sized so that every worker finishes at the same time.

    A later chunk also skips through the frames before it (grab, about
    :data:`GRAB_COST` of a pose frame each) and tracks ``warmup`` frames it
    throws away, so later chunks get fewer frames. In pose-frame units worker
    ``i`` costs ``b_i * GRAB_COST + (b_{i+1} - b_i + warmup)`` (the first: ``b_1``);
    the common cost that makes the last bound reach ``frames`` is found by bisection.
    """

    def bounds_for(cost: float) -> list[float]:
        bounds = [0.0, cost]
        for _ in range(workers - 1):
            start = bounds[-1]
            bounds.append(start + cost - start * GRAB_COST - warmup)
        return bounds

    low, high = 0.0, float(frames)
    for _ in range(50):
        mid = (low + high) / 2
        if bounds_for(mid)[-1] < frames:
            low = mid
        else:
            high = mid
    edges = [min(frames, max(0, round(b))) for b in bounds_for(high)]
    edges[-1] = frames
    return [(a, b) for a, b in itertools.pairwise(edges) if b > a]


class _Runner:
    """Runs chunks in-process or on a pool, counting progress."""

    def __init__(
        self,
        info: VideoInfo,
        pool: ProcessPoolExecutor | None,
        estimator: PoseEstimator | None,
        progress_queue: Any,
        progress: Progress | None,
        workers: int,
    ) -> None:
        self.info, self.pool, self.estimator = info, pool, estimator
        self.queue, self.progress, self.workers = progress_queue, progress, workers
        self.done = 0
        self.total = info.frame_count

    def bump(self, count: int) -> None:
        self.done = min(self.total, self.done + count)
        if self.progress is not None:
            self.progress(self.done, self.total)

    def run(self, crops: list[Crop] | None) -> ChunkResult:
        frames = self.info.frame_count
        if self.estimator is not None:
            return _pose_frames(self.estimator, self.info, 0, frames, crops, self.bump)
        if self.pool is None:  # pragma: no cover - estimate_poses sets one of the two
            raise RuntimeError("no pose estimator and no worker pool")
        futures: list[Future[ChunkResult]] = [
            self.pool.submit(_worker_chunk, self.info, a, b, crops)
            for a, b in _chunks(frames, self.workers)
        ]
        while not all(f.done() for f in futures):
            try:
                self.bump(self.queue.get(timeout=PROGRESS_POLL_S))
            except queue.Empty:
                continue
        try:
            parts = [f.result() for f in futures]
        except BrokenProcessPool as exc:
            raise PoseError(
                "A pose worker process died (out of memory, or a crash in the pose model)",
                hint="Close other programs and retry; check_drill(..., workers=1) avoids workers.",
            ) from exc
        return (
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]),
            [o for p in parts for o in p[2]],
        )


def mediapipe_factory(model: PoseModel, fps: float) -> EstimatorFactory:
    """A picklable factory of :class:`MediaPipePoseEstimator` for ``model`` at ``fps``.

    Checks here, in the parent, that MediaPipe and the model file are installed, so a
    missing one fails with its hint before any worker starts.
    """
    pose_api()
    model_path(model)
    return functools.partial(MediaPipePoseEstimator, model, fps=fps)


def estimate_poses(
    info: VideoInfo,
    estimator_factory: EstimatorFactory | None = None,
    *,
    model: PoseModel = DEFAULT_POSE_MODEL,
    workers: int = DEFAULT_WORKERS,
    track_subject: bool = True,
    progress: Progress | None = None,
) -> tuple[PoseSequence, SubjectTrack | None]:
    """Run the pose stage over the whole clip (in parallel when it pays off).

    The first pass shows full frames to the model and collects motion on the
    way. When the motion says the subject crosses the frame among other people
    (:func:`~stridelab.video.track.choose_subject`), a second pass re-runs the
    model on the subject's crop; otherwise the first pass is the result.
    ``estimator_factory`` (a fake in tests) replaces MediaPipe's BlazePose ``model``.
    """
    factory = estimator_factory
    if factory is None:
        factory = mediapipe_factory(model, info.fps)
    parallel = workers > 1 and info.frame_count >= MIN_PARALLEL_FRAMES
    with ExitStack() as stack:
        pool: ProcessPoolExecutor | None = None
        estimator: PoseEstimator | None = None
        progress_queue: Any = None
        if parallel:
            context = _worker_context(factory is None)
            progress_queue = context.Queue()
            pool = stack.enter_context(
                ProcessPoolExecutor(
                    workers,
                    mp_context=context,
                    initializer=_init_worker,
                    initargs=(factory, progress_queue),
                )
            )
        else:
            estimator = factory()
            stack.callback(estimator.close)
        runner = _Runner(info, pool, estimator, progress_queue, progress, workers)
        points, times, motion = runner.run(None)
        subject = (
            choose_subject(motion, info.frame_count, info.width, info.height)
            if track_subject
            else None
        )
        if subject is not None and subject.crops is not None:
            runner.total += info.frame_count  # the progress bar covers both passes
            points, times, _ = runner.run(list(subject.crops))
        if progress is not None:
            progress(runner.total, runner.total)
    sequence = PoseSequence.from_landmarks(list(points), list(times), info.width, info.height)
    return sequence, subject


def check_drill(
    path: str | Path,
    drill: DrillType = DrillType.AUTO,
    *,
    height_cm: float | None = None,
    model: PoseModel = DEFAULT_POSE_MODEL,
    estimator_factory: EstimatorFactory | None = None,
    workers: int = DEFAULT_WORKERS,
    track_subject: bool = True,
    progress: Progress | None = None,
) -> tuple[DrillReport, PoseSequence]:
    """Check a drill (or running) clip: the report and the smoothed pose sequence.

    ``model`` is the BlazePose size (lite, full, heavy); ``estimator_factory`` replaces
    MediaPipe altogether (tests pass a fake). Raises
    :class:`~stridelab.errors.VideoFileError`, :class:`~stridelab.errors.ClipTooShort` or
    :class:`~stridelab.errors.NoPersonDetected` with a message that says what to do.
    """
    started = time.perf_counter()
    info = probe_video(path)
    raw, subject = estimate_poses(
        info,
        estimator_factory,
        model=model,
        workers=workers,
        track_subject=track_subject,
        progress=progress,
    )
    sequence = smooth_sequence(raw)
    report = analyse_pose(sequence, drill, height_cm=height_cm)
    metrics = dict(report.metrics)
    metrics["rotation_deg"] = info.rotation_deg
    if estimator_factory is None:
        metrics["pose_model"] = PoseModel(model).value
    if subject is not None:
        metrics["other_people_moving"] = subject.rivals
        metrics["subject_cropped"] = not subject.full_frame
    elapsed = time.perf_counter() - started
    return replace(report, metrics=metrics, processing_fps=sequence.frames / elapsed), sequence
