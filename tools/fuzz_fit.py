"""Fuzz the FIT reader offline; keep every crashing input as a regression file.

Usage: ``python tools/fuzz_fit.py [seconds] [--real] [--out DIR]`` (default 180 s).
Inputs are damaged copies of files written by our encoder (flipped bytes, cuts, spliced
definitions, random tails), read through ``read_activity_bytes`` under both
``DamagedFile`` policies (as ``analyze`` and ``import`` read them, ``--salvage``
included) and ``read_fit`` under every CRC and bad-record policy. Anything other than a
result or an ``ActivityFileError`` is a crash: its bytes go to ``DIR/crash-<hash>.bin``
(default: ``stridelab-fit-fuzz`` in the system temp folder, never into ``tests/``), for
a human to fix and then add to ``tests/invalid/fit`` as ``<ExpectedError>-<what>.fit``.
``--real`` also seeds with the small real recordings of ``../shared/data`` (more
message kinds); the real files must not be copied into the project, so reproduce such
a bug with the encoder instead.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fit_fixtures import STRYD_POWER, easy_run_bytes  # noqa: E402
from stridelab.activities.readers import DamagedFile, read_activity_bytes  # noqa: E402
from stridelab.activities.readers.fit import BadRecord, CrcCheck, FitDecodeWarning, read_fit  # noqa: E402
from stridelab.errors import ActivityFileError  # noqa: E402

OUT = Path(tempfile.gettempdir()) / "stridelab-fit-fuzz"
SHARED_FIT = ROOT.parent / "shared" / "data" / "activities" / "fit"
SEEDS = [
    easy_run_bytes(30),
    easy_run_bytes(30, big_endian=True, compressed_timestamps=True),
    easy_run_bytes(20, developer_fields=[STRYD_POWER]),
    easy_run_bytes(10) + easy_run_bytes(10, compressed_timestamps=True),
]
crashes: dict[str, str] = {}


def _readers(data: bytes) -> list[Callable[[], object]]:
    calls: list[Callable[[], object]] = [
        partial(read_activity_bytes, data, "fuzz.fit", damaged=mode) for mode in DamagedFile
    ]
    calls += [
        partial(read_fit, data, crc=crc, bad_record=policy)
        for crc in CrcCheck
        for policy in BadRecord
    ]
    return calls


def attempt(data: bytes) -> None:
    for call in _readers(data):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # as in the test suite
            warnings.simplefilter("ignore", FitDecodeWarning)
            try:
                call()
            except ActivityFileError:
                pass
            except Exception:
                key = hashlib.sha256(data).hexdigest()[:12]
                if key not in crashes:
                    crashes[key] = traceback.format_exc(limit=3)
                    OUT.mkdir(parents=True, exist_ok=True)
                    (OUT / f"crash-{key}.bin").write_bytes(data)
                    print(crashes[key])
                return


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 3))
        i = draw(st.integers(0, len(data) - 1))
        if kind == 0:
            data[i] = draw(st.integers(0, 255))
        elif kind == 1:
            del data[i : i + draw(st.integers(1, 40))]
        elif kind == 2:
            data[i:i] = draw(st.binary(min_size=1, max_size=40))
        else:
            j = draw(st.integers(0, len(data) - 1))
            data[i:i] = data[j : j + draw(st.integers(1, 60))]
        if not data:
            break
    if draw(st.booleans()) and data:
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


def main() -> None:
    global OUT
    argv = sys.argv[1:]
    if "--out" in argv:
        at = argv.index("--out")
        OUT = Path(argv[at + 1])
        del argv[at : at + 2]
    args = [a for a in argv if not a.startswith("--")]
    seconds = float(args[0]) if args else 180.0
    if "--real" in argv and SHARED_FIT.is_dir():
        small = [p for p in sorted(SHARED_FIT.rglob("*.fit")) if p.stat().st_size < 20_000]
        SEEDS.extend(p.read_bytes() for p in small)
        print(f"seeded with {len(small)} real files")
    print(f"crashes go to {OUT}")
    deadline = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < deadline:

        @settings(max_examples=2000, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(damaged())
        def run(data: bytes) -> None:
            attempt(data)

        run()
        runs += 2000
        print(f"{runs} inputs, {len(crashes)} crashes", flush=True)


if __name__ == "__main__":
    main()
