"""FIT decoding speed: stridelab against fitdecode and garmin-fit-sdk, same files, same run.

Usage: ``python benchmarks/fit_bench.py [FILE ...] [--repeat N]``

Without arguments it uses the long real recordings in ``../shared/data/activities/fit``
(a 12 h ultra, a 7 h multisport, an FR955 run with running dynamics); when that folder
is absent it says so and falls back to the bundled generated sample. Each decoder reads
the file from bytes in memory. Ours frames the whole file (and checks its CRC) but
decodes a message kind only when it is asked for, so it is timed three ways: the
records (what an analysis reads), the records without the CRC check, and every message
of every kind (what the two pure-Python decoders always do). Ours is the best of
``--repeat`` runs; fitdecode and the SDK run once each (they take seconds). MB/s is
file size / time; the last column is the speed-up over garmin-fit-sdk.
"""

from __future__ import annotations

import argparse
import io
from importlib.resources import files
from pathlib import Path

import fitdecode
from garmin_fit_sdk import Decoder, Stream
from timing import best_s

from stridelab.activities.readers.fit import CrcCheck, decode_fit

SHARED_FIT = Path(__file__).resolve().parents[2] / "shared" / "data" / "activities" / "fit"
DEFAULT_FILES = (
    "roznet/large.fit",
    "python-fitparse/activity-large-fenxi2-multisport.fit",
    "goldencheetah/FR955v18_14211916346_ACTIVITY.fit",
)


def _records(data: bytes, crc: CrcCheck) -> None:
    """What an analysis needs: frame the file, decode the record messages."""
    decode_fit(data, crc=crc).messages["record"]


def _everything(data: bytes) -> None:
    """Like the SDK and fitdecode: every message of every kind."""
    fit = decode_fit(data)
    for name in fit.messages:
        fit.messages[name]


def _sdk(data: bytes) -> None:
    _messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    if errors:
        raise RuntimeError(errors[0])


def _fitdecode(data: bytes) -> None:
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        for _ in reader:
            pass


def bench(name: str, data: bytes, repeat: int) -> None:
    size_mb = len(data) / 1e6
    records = len(decode_fit(data).messages["record"])
    rows = [
        ("ours: records", best_s(lambda: _records(data, CrcCheck.RAISE), repeat)),
        ("ours: records, no CRC", best_s(lambda: _records(data, CrcCheck.IGNORE), repeat)),
        ("ours: every message", best_s(lambda: _everything(data), repeat)),
        ("fitdecode", best_s(lambda: _fitdecode(data), 1)),
        ("garmin-fit-sdk", best_s(lambda: _sdk(data), 1)),
    ]
    sdk_s = rows[-1][1]
    print(f"\n{name}: {size_mb:.2f} MB, {records} records")
    print(f"  {'decoder':<22} {'time':>10} {'MB/s':>9} {'x SDK':>8}")
    for decoder, seconds in rows:
        speed = f"{size_mb / seconds:9.2f} {sdk_s / seconds:8.1f}"
        print(f"  {decoder:<22} {seconds * 1e3:8.1f}ms {speed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=10, help="runs of ours (best is kept)")
    args = parser.parse_args()
    targets: list[tuple[str, bytes]] = [(str(p), p.read_bytes()) for p in args.files]
    if not targets:
        if SHARED_FIT.is_dir():
            targets = [(n, (SHARED_FIT / n).read_bytes()) for n in DEFAULT_FILES]
        else:
            print(f"{SHARED_FIT} is absent: benchmarking the bundled generated sample only")
            sample = files("stridelab.data.samples").joinpath("sample-run.fit").read_bytes()
            targets = [("sample-run.fit (generated)", sample)]
    for name, data in targets:
        bench(name, data, args.repeat)


if __name__ == "__main__":
    main()
