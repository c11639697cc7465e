"""What this install of stridelab runs on: ``stridelab --version`` in full.

Versions come from the installed packages' metadata and the pose model files from
disk, so nothing heavy (MediaPipe, OpenCV) is imported to report them.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import platform
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from stridelab.extras import Extra, install_command, missing_modules

__all__ = ["ModelFile", "RuntimeReport", "runtime_report"]

#: Distributions whose versions matter for results, by the name shown.
RUNTIME_DISTRIBUTIONS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("NumPy", ("numpy",)),
    ("SciPy", ("scipy",)),
    ("MediaPipe", ("mediapipe",)),
    ("OpenCV", ("opencv-contrib-python", "opencv-python", "opencv-python-headless")),
    ("FastAPI", ("fastapi",)),
    ("Dask", ("dask",)),
)

#: Pose model files: ``.task`` bundles anywhere in stridelab's package, and the
#: ``.tflite`` models a MediaPipe wheel carries for its pose solution.
MODEL_PATTERNS: Final[tuple[tuple[str, str], ...]] = (
    ("stridelab", "**/*.task"),
    ("mediapipe", "modules/pose_*/*.tflite"),
)

_CHECKSUM_CHARS: Final = 12


@dataclass(frozen=True)
class ModelFile:
    """One model file on disk: its name, where it is, its size and a short SHA-256."""

    name: str
    path: Path
    size_bytes: int
    sha256_prefix: str


@dataclass(frozen=True)
class RuntimeReport:
    """stridelab's version and the versions of what its results depend on."""

    version: str
    python: str
    sqlite: str
    #: (shown name, version or ``None`` when not installed)
    packages: tuple[tuple[str, str | None], ...]
    models: tuple[ModelFile, ...]
    #: extra → modules of it that are missing (empty: installed)
    extras: tuple[tuple[Extra, tuple[str, ...]], ...]

    def to_dict(self) -> dict[str, object]:
        """The document ``stridelab version --json`` prints (for bug reports and scripts)."""
        return {
            "version": self.version,
            "python": self.python,
            "sqlite": self.sqlite,
            "packages": {name: v for name, v in self.packages},
            "models": [
                {
                    "name": m.name,
                    "path": str(m.path),
                    "size_bytes": m.size_bytes,
                    "sha256_prefix": m.sha256_prefix,
                }
                for m in self.models
            ],
            "extras": {
                extra.value: {
                    "installed": not missing,
                    "missing_modules": list(missing),
                    "install": None if not missing else install_command(extra),
                }
                for extra, missing in self.extras
            },
        }

    def lines(self) -> list[str]:
        """The report as the few plain lines ``stridelab --version`` prints."""
        installed = [f"{name} {v}" for name, v in self.packages if v is not None]
        absent = [name for name, v in self.packages if v is None]
        out = [
            f"stridelab {self.version}",
            f"Python {self.python} · SQLite {self.sqlite} · " + " · ".join(installed),
        ]
        if absent:
            out.append("not installed: " + ", ".join(absent))
        if self.models:
            out.append(
                "pose models: "
                + ", ".join(
                    f"{m.name} ({m.size_bytes / 1e6:.1f} MB, sha256 {m.sha256_prefix})"
                    for m in self.models
                )
            )
        else:
            out.append("pose models: none found (the drill check needs the 'video' extra)")
        out.append(
            "extras: "
            + ", ".join(
                f"{extra.value} yes"
                if not missing
                else f"{extra.value} no ({install_command(extra)})"
                for extra, missing in self.extras
            )
        )
        return out


def _version(distributions: tuple[str, ...]) -> str | None:
    for name in distributions:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def _package_root(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _sha256_prefix(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:_CHECKSUM_CHARS]


def find_model_files() -> tuple[ModelFile, ...]:
    """The pose model files this install would use, sorted by name."""
    found: dict[Path, ModelFile] = {}
    for module, pattern in MODEL_PATTERNS:
        root = _package_root(module)
        if root is None:
            continue
        for path in root.glob(pattern):
            if path.is_file():
                found[path] = ModelFile(path.name, path, path.stat().st_size, _sha256_prefix(path))
    return tuple(sorted(found.values(), key=lambda m: (m.name, str(m.path))))


def runtime_report() -> RuntimeReport:
    """Collect the report (reads package metadata and hashes the model files)."""
    from stridelab import __version__

    return RuntimeReport(
        version=__version__,
        python=platform.python_version(),
        sqlite=sqlite3.sqlite_version,
        packages=tuple((name, _version(dists)) for name, dists in RUNTIME_DISTRIBUTIONS),
        models=find_model_files(),
        extras=tuple((extra, missing_modules(extra)) for extra in Extra),
    )
