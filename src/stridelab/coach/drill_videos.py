"""Videos drawn on request and kept in the data folder: drill guides and side-by-sides.

Each is rendered once (to a temporary name, then renamed into place, so a reader never
sees half a file) and served from disk afterwards. A guide's file name carries a digest
of the drill's motion and drawing (:func:`stridelab.video.guide.guide_version`), so a
changed model is drawn again; a side-by-side sits beside its check's annotated files.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Final

from stridelab.coach.drillchecks import ANNOTATED_FOLDER, DrillCheck, check_file, load_pose
from stridelab.coach.uploads import UploadKind, find_upload
from stridelab.drills.catalogue import get_drill
from stridelab.errors import InputError, NotFoundError
from stridelab.extras import needs

__all__ = ["GUIDE_FOLDER", "SIDE_BY_SIDE_SUFFIX", "drill_guide_file", "side_by_side_file"]

#: Sub-folder of the data directory holding rendered drill guides.
GUIDE_FOLDER: Final = "drill-guides"
#: A check's side-by-side video, beside its annotated files.
SIDE_BY_SIDE_SUFFIX: Final = ".side-by-side.webm"


def _temporary(path: Path) -> Path:
    """A sibling name for writing ``path`` (same suffix, so the codec follows it)."""
    return path.with_name(f".{path.stem}.{secrets.token_hex(4)}{path.suffix}")


def drill_guide_file(data_dir: Path, drill_id: str) -> Path:
    """The reference animation (WebM, VP8) of a catalogue drill, rendered on first use.

    Raises :class:`NotFoundError` for a drill not in the catalogue.
    """
    with needs("The video guide"):
        from stridelab.video.guide import guide_version, render_guide
    try:
        drill = get_drill(drill_id)
    except InputError as exc:  # an unknown drill is a missing page here
        raise NotFoundError(str(exc), hint="Pick a drill from the catalogue.") from None
    folder = data_dir / GUIDE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{drill.id}-{guide_version(drill.id)}.webm"
    if not path.is_file():
        temporary = _temporary(path)
        try:
            render_guide(drill.id, temporary)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    return path


def side_by_side_file(data_dir: Path, check: DrillCheck) -> Path:
    """The check's clip beside the time-warped reference, faults marked; rendered on first use.

    Raises :class:`NotFoundError` when the check has no report or its clip is gone.
    """
    with needs("The side-by-side video"):
        from stridelab.video.guide import guide_version
        from stridelab.video.side_by_side import CheckedClip, render_side_by_side
    if check.report is None or check.annotated_name is None:
        raise NotFoundError("this check has no report", hint="Run the check again.")
    clip_path = find_upload(data_dir, check.video_sha256, UploadKind.VIDEO)
    if clip_path is None:
        raise NotFoundError("the checked clip is gone", hint="Upload it again.")
    clip = CheckedClip.from_dict(check.report, *(load_pose(data_dir, check) or (None, None)))
    folder = (data_dir / ANNOTATED_FOLDER).resolve()
    path = folder / f"{check.annotated_name}-{guide_version(clip.drill_id)}{SIDE_BY_SIDE_SUFFIX}"
    if path.parent != folder:
        raise NotFoundError("the check's files are not in the data folder", hint="Run it again.")
    if not path.is_file():
        temporary = _temporary(path)
        try:
            render_side_by_side(clip_path, clip, temporary)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    return check_file(data_dir, check, path.name.removeprefix(check.annotated_name))
