"""TCX/GPX readers, format detection, gzip, and the invalid-input set."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from activity_writers import synthetic_run, write_gpx, write_tcx
from stridelab.activities.model import FileFormat
from stridelab.activities.readers import detect_format, read_activity, read_activity_bytes
from stridelab.activities.readers.columns import (
    CadenceConvention,
    decide_cadence_convention,
    haversine_cumulative_m,
)
from stridelab.errors import (
    ActivityFileError,
    EmptyActivityError,
    UnsupportedFormatError,
    XmlActivityError,
)


@pytest.fixture(scope="module")
def easy_run_tcx() -> bytes:
    return write_tcx(synthetic_run(seconds=600), laps=3)


def test_tcx_reads_laps_channels_and_doubles_run_cadence(easy_run_tcx: bytes) -> None:
    activity = read_activity_bytes(easy_run_tcx, "easy.tcx")
    assert activity.format is FileFormat.TCX
    (session,) = activity.sessions
    assert session.sport == "running"
    assert len(session.samples) == 600
    assert [lap.end_index - lap.start_index for lap in session.laps] == [200, 200, 200]
    assert np.nanmedian(session.samples.cadence_spm) == pytest.approx(168, abs=1)
    assert activity.metadata["cadence_convention"] == CadenceConvention.STRIDES_PER_MIN.value
    assert session.laps[0].device_summary["calories_kcal"] == 100.0
    assert session.device_summary["calories_kcal"] == 300.0


def test_gpx_distance_from_positions_and_cadence_detected() -> None:
    run = synthetic_run(seconds=600)
    strides = read_activity_bytes(write_gpx(run), "a.gpx")
    steps = read_activity_bytes(write_gpx(run, cadence_as_steps=True), "b.gpx")
    for activity in (strides, steps):
        samples = activity.sessions[0].samples
        assert np.nanmedian(samples.cadence_spm) == pytest.approx(168, abs=1)
        assert samples.distance_m[-1] == pytest.approx(run.distance_m[-1], rel=0.002)
    assert strides.metadata["cadence_convention"] == "strides_per_min"
    assert steps.metadata["cadence_convention"] == "steps_per_min"
    assert "median" in str(steps.metadata["cadence_convention_reason"])


def test_cadence_of_a_ride_is_kept_as_rpm() -> None:
    decision = decide_cadence_convention(np.full(100, 85.0), "cycling")
    assert decision.convention is CadenceConvention.RPM
    assert decision.factor == 1.0


def test_haversine_one_degree_of_latitude() -> None:
    lat = np.array([45.0, np.nan, 46.0])
    lon = np.array([7.0, np.nan, 7.0])
    distance = haversine_cumulative_m(lat, lon)
    assert distance[1] == 0.0
    assert distance[2] == pytest.approx(111_195, rel=1e-3)


def test_format_is_detected_from_content_not_name(tmp_path: Path, easy_run_tcx: bytes) -> None:
    disguised = tmp_path / "run.gpx"
    disguised.write_bytes(easy_run_tcx)
    assert read_activity(disguised).format is FileFormat.TCX
    assert detect_format(write_gpx(synthetic_run(seconds=60)), "x.bin") is FileFormat.GPX


def test_gzip_is_the_same_activity(tmp_path: Path, easy_run_tcx: bytes) -> None:
    plain = tmp_path / "run.tcx"
    packed = tmp_path / "run.tcx.gz"
    plain.write_bytes(easy_run_tcx)
    packed.write_bytes(gzip.compress(easy_run_tcx))
    assert read_activity(plain).content_sha256 == read_activity(packed).content_sha256


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


#: The invalid set: each bad input asserts one specific exception (and the file name).
INVALID = {
    "empty.tcx": (b"", EmptyActivityError),
    "blank.gpx": (b"  \n\n", EmptyActivityError),
    "truncated.tcx": (b"<TrainingCenterDatabase xmlns='x'><Activities><Act", XmlActivityError),
    "unclosed.gpx": (b"<gpx><trk><trkseg><trkpt lat='1' lon='2'></trkseg></gpx>", XmlActivityError),
    "entity.gpx": (
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]><gpx>&x;</gpx>',
        XmlActivityError,
    ),
    "other.xml": (b"<?xml version='1.0'?><kml><Document/></kml>", XmlActivityError),
    "notxml.tcx": (b"hello, this is text", XmlActivityError),
    "random.bin": (bytes(range(7, 200)), UnsupportedFormatError),
    "archive.zip": (_zip_bytes(), UnsupportedFormatError),
    "broken.tcx.gz": (gzip.compress(b"<TrainingCenterDatabase/>")[:-6], UnsupportedFormatError),
    "bad-time.tcx": (
        b'<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        b'<Activities><Activity Sport="Running"><Lap StartTime="2020-01-01T00:00:00Z"><Track>'
        b"<Trackpoint><Time>yesterday</Time></Trackpoint></Track></Lap></Activity></Activities>"
        b"</TrainingCenterDatabase>",
        XmlActivityError,
    ),
    "no-points.tcx": (
        b'<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        b'<Activities><Activity Sport="Running"><Lap StartTime="2020-01-01T00:00:00Z"/>'
        b"</Activity></Activities></TrainingCenterDatabase>",
        EmptyActivityError,
    ),
    "no-track.gpx": (
        b'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
        b'<wpt lat="1" lon="2"/></gpx>',
        EmptyActivityError,
    ),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_input_raises_one_specific_error(tmp_path: Path, name: str) -> None:
    data, expected = INVALID[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(expected) as caught:
        read_activity(path)
    assert type(caught.value) is expected
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_truncated_real_tcx_names_the_problem(shared_activities: Path, tmp_path: Path) -> None:
    data = (shared_activities / "tcx/heartandsole/testdata.tcx").read_bytes()
    path = tmp_path / "cut.tcx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(XmlActivityError, match="malformed TCX XML"):
        read_activity(path)


def test_missing_file_is_an_activity_file_error(tmp_path: Path) -> None:
    with pytest.raises(ActivityFileError, match="cannot read"):
        read_activity(tmp_path / "nope.fit")


def _suunto_gpx(cadence: float, points: int = 120) -> bytes:
    rows = "".join(
        f'<trkpt lat="{45 + i * 3e-5:.6f}" lon="7.0"><ele>100</ele>'
        f"<time>2024-05-04T07:{30 + i // 60:02d}:{i % 60:02d}Z</time><extensions>"
        f"<gpxdata:hr>{140 + i % 5}</gpxdata:hr><gpxdata:cadence>{cadence:.0f}</gpxdata:cadence>"
        "<gpxdata:temp>21</gpxdata:temp></extensions></trkpt>"
        for i in range(points)
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="Movescount"'
        ' xmlns="http://www.topografix.com/GPX/1/1"'
        ' xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0">'
        f"<trk><type>Running</type><trkseg>{rows}</trkseg></trk></gpx>"
    ).encode()


def test_suunto_movescount_extensions() -> None:
    activity = read_activity_bytes(_suunto_gpx(86), "suunto.gpx")
    samples = activity.sessions[0].samples
    assert activity.sessions[0].sport == "running"
    assert np.nanmean(samples.heart_rate_bpm) == pytest.approx(142, abs=0.5)
    assert np.nanmedian(samples.cadence_spm) == 172
    assert np.nanmedian(samples.temperature_c) == 21
    assert activity.device == "Movescount"


def test_polar_tcx_cadence_element_is_detected_not_assumed() -> None:
    def polar(cadence: int) -> bytes:
        points = "".join(
            f"<Trackpoint><Time>2024-05-04T07:30:{i:02d}Z</Time>"
            f"<DistanceMeters>{3.0 * i}</DistanceMeters><Cadence>{cadence}</Cadence></Trackpoint>"
            for i in range(50)
        )
        return (
            '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
            'TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
            f'<Lap StartTime="2024-05-04T07:30:00Z"><Track>{points}</Track></Lap>'
            "</Activity></Activities></TrainingCenterDatabase>"
        ).encode()

    strides = read_activity_bytes(polar(85), "polar.tcx")
    steps = read_activity_bytes(polar(170), "phone.tcx")
    assert np.nanmedian(strides.sessions[0].samples.cadence_spm) == 170
    assert np.nanmedian(steps.sessions[0].samples.cadence_spm) == 170
    assert strides.metadata["cadence_convention"] == "strides_per_min"
    assert steps.metadata["cadence_convention"] == "steps_per_min"
