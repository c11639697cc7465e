"""Per-session sample columns stored compactly: a compressed NumPy ``.npz`` blob.

Timestamps stay float64 (POSIX seconds need the precision); every other channel is
stored as float32 (ample for HR, cadence, distance to the centimetre over 100 km).
Channels a session lacks are simply absent, and come back as ``None``. The blob is a
function of the samples alone (fixed member order and timestamps inside the zip), so the
same activity is stored byte for byte alike wherever and whenever it was imported.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import fields
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from stridelab.activities.model import Samples
from stridelab.errors import StoreError

__all__ = ["decode_samples", "encode_samples"]

#: The zip timestamp of every member: the zip epoch, not the clock.
_ZIP_EPOCH: Final = (1980, 1, 1, 0, 0, 0)


def encode_samples(samples: Samples) -> tuple[bytes, list[str]]:
    """``(blob, channel names)`` for a session's samples."""
    arrays: dict[str, npt.NDArray[Any]] = {"timestamp_s": samples.timestamp_s.astype(np.float64)}
    for name in samples.channels():
        column = getattr(samples, name)
        arrays[name] = np.asarray(column, dtype=np.float32)
    buffer = io.BytesIO()
    # np.savez_compressed's layout, with the members' timestamps fixed.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:
                np.lib.format.write_array(member, arrays[name], allow_pickle=False)
    return buffer.getvalue(), sorted(arrays)


def decode_samples(blob: bytes) -> Samples:
    """The :class:`Samples` stored by :func:`encode_samples` (channels back as float64)."""
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as archive:
            columns = {name: np.asarray(archive[name], dtype=np.float64) for name in archive.files}
    except (OSError, ValueError, KeyError) as exc:
        raise StoreError(
            f"stored samples are unreadable ({exc})", hint="Re-import the activity"
        ) from None
    known = {f.name for f in fields(Samples)}
    timestamps = columns.pop("timestamp_s", None)
    if timestamps is None:
        raise StoreError("stored samples lack timestamps", hint="Re-import the activity")
    return Samples(timestamp_s=timestamps, **{k: v for k, v in columns.items() if k in known})
