"""MediaPipe's native side: the model files, a lean import, and a quiet stderr.

- **Model files.** The Tasks ``PoseLandmarker`` reads a ``.task`` bundle; the three
  BlazePose bundles (lite, full, heavy) are built once at set-up by
  ``tools/build_pose_models.py`` from the npm package ``@mediapipe/pose``
  (Apache-2.0, see ``models/NOTICE``) into ``stridelab/video/models/``, and travel
  inside the wheel. ``STRIDELAB_POSE_MODELS`` names another folder. Nothing is
  downloaded at run time.
- **Lean import.** ``import mediapipe`` runs package ``__init__`` files that load
  every task, the audio stack and ``matplotlib.pyplot`` (about 2 s on this
  machine); the pose landmarker needs none of it (0.3 s). :func:`pose_api` imports
  only the modules the landmarker uses.
- **Quiet.** TensorFlow Lite, LiteRT and absl write INFO/WARNING lines straight
  to file descriptor 2 from C++, whatever ``GLOG_minloglevel`` or
  ``TF_CPP_MIN_LOG_LEVEL`` say. :func:`native_stderr_silenced` points descriptor 2
  at ``/dev/null`` for the length of a native call, so stderr carries only
  stridelab's own messages.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Final, NamedTuple

from stridelab.errors import PoseError
from stridelab.extras import Extra, require

__all__ = [
    "DEFAULT_POSE_MODEL",
    "MODELS_ENV",
    "PoseApi",
    "PoseModel",
    "model_path",
    "native_stderr_silenced",
    "pose_api",
    "require_mediapipe",
]

#: Environment variable naming a folder that holds ``pose_landmarker_{model}.task``.
MODELS_ENV: Final = "STRIDELAB_POSE_MODELS"
#: Where ``tools/build_pose_models.py`` puts the bundles (inside the package).
PACKAGE_MODELS: Final = Path(__file__).resolve().parent / "models"

_INSTALL_HINT: Final = "Run: pip install 'stridelab[video]' (see docs/drill-check.md)."
_MODEL_HINT: Final = (
    "Build the models once with `make models` (python tools/build_pose_models.py: it fetches "
    "@mediapipe/pose from the npm registry), or set STRIDELAB_POSE_MODELS to a folder holding them."
)


class PoseModel(StrEnum):
    """BlazePose landmark model size: a trade of speed against landmark accuracy.

    Measured on the shared treadmill clip against RTMPose (median px, leg ≈ 300 px)
    and speed on one core at 720p (docs/drill-check.md has the table): lite is the
    fastest and the least precise at the foot; heavy is about 3× slower than full
    and the most precise (recommended for foot strike and contact times).
    """

    LITE = "lite"
    FULL = "full"
    HEAVY = "heavy"


#: The model used when none is asked for.
DEFAULT_POSE_MODEL: Final = PoseModel.FULL


def model_path(model: PoseModel = DEFAULT_POSE_MODEL) -> Path:
    """The ``.task`` bundle of ``model``; :class:`PoseError` with the build command if absent."""
    name = f"pose_landmarker_{PoseModel(model).value}.task"
    folder = os.environ.get(MODELS_ENV)
    candidates = [Path(folder) / name] if folder else []
    candidates.append(PACKAGE_MODELS / name)
    for path in candidates:
        if path.is_file():
            return path
    raise PoseError(
        f"The pose model {name} is not installed (looked in "
        + ", ".join(str(p.parent) for p in candidates)
        + ")",
        hint=_MODEL_HINT,
    )


def require_mediapipe() -> None:
    """Raise :class:`~stridelab.errors.MissingExtraError` naming the ``video`` extra when
    MediaPipe is missing."""
    require(Extra.VIDEO, "The drill check", ("mediapipe",))


class PoseApi(NamedTuple):
    """The few MediaPipe Tasks names the pose backend uses."""

    landmarker: ModuleType
    base_options: ModuleType
    image: ModuleType


_PACKAGES: Final = (
    "mediapipe",
    "mediapipe.tasks",
    "mediapipe.tasks.python",
    "mediapipe.tasks.python.vision",
)


def pose_api() -> PoseApi:
    """Import MediaPipe's pose landmarker without its package ``__init__`` files.

    Where ``mediapipe`` is not imported yet, its four package modules are created
    from their specs but not executed (their ``__init__`` only gathers every task
    for convenience); the submodules then import as usual. Where the full package is
    already imported, that is used as it is.
    """
    require_mediapipe()
    for name in _PACKAGES:
        if name not in sys.modules:
            spec = importlib.util.find_spec(name)
            if spec is None:  # pragma: no cover - a broken install
                raise PoseError(f"mediapipe has no {name}", hint=_INSTALL_HINT)
            sys.modules[name] = importlib.util.module_from_spec(spec)
    try:
        return PoseApi(
            importlib.import_module("mediapipe.tasks.python.vision.pose_landmarker"),
            importlib.import_module("mediapipe.tasks.python.core.base_options"),
            importlib.import_module("mediapipe.tasks.python.vision.core.image"),
        )
    except ImportError as exc:
        raise PoseError(
            f"This mediapipe has no Tasks pose landmarker ({exc})", hint=_INSTALL_HINT
        ) from exc


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Point file descriptor 2 at ``/dev/null`` while native code runs, then restore it.

    Python's own ``sys.stderr`` is flushed first, so nothing of stridelab's is lost.
    """
    with contextlib.suppress(ValueError, OSError):
        sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
