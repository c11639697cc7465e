"""The FIT reader on files written by our own encoder (known values) and on real ones."""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from fit_fixtures import START_S, STRYD_POWER, easy_run_bytes, run_records
from stridelab.activities.model import FileFormat
from stridelab.activities.readers.fit import (
    BadRecord,
    CrcCheck,
    FitDecodeWarning,
    decode_fit,
    read_fit,
)
from stridelab.activities.readers.fit_encode import FitEncoder, encode_activity
from stridelab.errors import FitCrcError, FitDecodeError


@pytest.fixture(scope="module")
def easy_run_fit() -> bytes:
    return easy_run_bytes(120)


def test_columns_are_decoded_in_profile_units(easy_run_fit: bytes) -> None:
    records = decode_fit(easy_run_fit).messages["record"]
    expected = run_records(120)
    assert len(records) == 120
    for name, column in expected.items():
        np.testing.assert_allclose(records[name], column, rtol=1e-9, err_msg=name)
    assert records.fields["heart_rate"].units == "bpm"
    assert math.isnan(records["heart_rate"][0])  # written as invalid


def test_activity_is_in_si_units(easy_run_fit: bytes) -> None:
    activity = read_fit(easy_run_fit)
    assert activity.format is FileFormat.FIT
    (session,) = activity.sessions
    samples = session.samples
    assert session.sport == "running"
    assert session.start.timestamp() == START_S
    assert samples.timestamp_s[0] == START_S
    np.testing.assert_allclose(samples.cadence_spm, 2 * (84 + 0.5))  # strides → steps
    np.testing.assert_allclose(samples.latitude_deg[0], 45.0, atol=1e-7)
    np.testing.assert_allclose(samples.step_length_m, 1.05)
    np.testing.assert_allclose(samples.ground_contact_ms, 245.5)
    np.testing.assert_allclose(samples.vertical_oscillation_mm, 82.4)
    np.testing.assert_allclose(samples.power_w, 260.0)
    assert samples.temperature_c is None  # a channel the file does not carry


def test_laps_are_index_slices_and_summaries_are_the_devices(easy_run_fit: bytes) -> None:
    (session,) = read_fit(easy_run_fit).sessions
    assert [(lap.start_index, lap.end_index) for lap in session.laps] == [(0, 60), (60, 120)]
    assert session.laps[1].device_summary["elapsed_time_s"] == 60
    summary = session.device_summary
    assert summary["avg_cadence_spm"] == 169.0
    assert summary["avg_ground_contact_ms"] == 245.5
    assert summary["avg_step_length_m"] == pytest.approx(1.05)
    assert summary["avg_hr_bpm"] == 140
    assert summary["calories_kcal"] == 30


def test_multisport_sessions_split_the_records() -> None:
    records = run_records(100)
    sessions = [
        {"timestamp": START_S + 50, "start_time": START_S, "sport": "cycling"},
        {"timestamp": START_S + 100, "start_time": START_S + 50, "sport": "running"},
    ]
    activity = read_fit(encode_activity(records, sessions=sessions))
    assert [(s.sport, len(s.samples)) for s in activity.sessions] == [
        ("cycling", 50),
        ("running", 50),
    ]
    assert activity.sessions[0].samples.cadence_spm is None  # pedal rpm is not steps
    running_cadence = activity.sessions[1].samples.cadence_spm
    assert running_cadence is not None
    assert np.nanmedian(running_cadence) == 169.0  # 84 strides/min (+ fraction) → steps/min


def test_chained_big_endian_and_compressed_files_decode_the_same() -> None:
    plain = decode_fit(easy_run_bytes(40)).messages["record"]
    chained = decode_fit(easy_run_bytes(40) + easy_run_bytes(40, big_endian=True))
    assert chained.streams == 2
    assert len(chained.messages["record"]) == 80
    compressed = decode_fit(easy_run_bytes(40, compressed_timestamps=True)).messages["record"]
    for name in plain:
        np.testing.assert_array_equal(compressed[name], plain[name], err_msg=name)
        np.testing.assert_array_equal(chained.messages["record"][name][40:], plain[name])


def test_developer_fields_have_names_units_and_fall_back() -> None:
    records = run_records(30)
    del records["power"]
    records["Power"] = np.full(30, 251.0)
    data = encode_activity(records, developer_fields=[STRYD_POWER])
    fit = decode_fit(data)
    assert fit.messages["record"].fields["Power"].units == "Watts"
    assert fit.messages["record"].fields["Power"].developer_index == 0
    np.testing.assert_array_equal(fit.messages["record"]["Power"], 251.0)
    (session,) = read_fit(data).sessions
    np.testing.assert_array_equal(session.samples.power_w, 251.0)


def test_crc_policies() -> None:
    data = bytearray(easy_run_bytes(20))
    data[-1] ^= 0xFF
    with pytest.raises(FitCrcError):
        decode_fit(bytes(data))
    with pytest.warns(FitDecodeWarning, match="CRC"):
        warned = decode_fit(bytes(data), crc=CrcCheck.WARN)
    assert len(warned.messages["record"]) == 20
    assert warned.warnings and "CRC" in warned.warnings[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert decode_fit(bytes(data), crc=CrcCheck.IGNORE).warnings == ()


def test_bad_record_policy_keeps_what_was_read() -> None:
    data = easy_run_bytes(20)
    cut = data[: len(data) - 300]
    with pytest.raises(FitDecodeError, match="truncated"):
        decode_fit(cut)
    kept = decode_fit(cut, bad_record=BadRecord.IGNORE)
    assert 0 < len(kept.messages["record"]) < 20
    assert "truncated" in kept.warnings[-1]
    with pytest.warns(FitDecodeWarning):
        decode_fit(cut, bad_record=BadRecord.WARN)


def test_strava_file_with_an_undefined_local_message(shared_activities: Path) -> None:
    path = shared_activities / "fit/python-fitparse/strava-android-app-201.10-b1218918.fit"
    with pytest.raises(FitDecodeError) as raised:
        read_fit(path)
    assert raised.value.offset == 7471
    activity = read_fit(path, bad_record=BadRecord.IGNORE)
    assert len(activity.sessions[0].samples) > 0
    assert "undefined local message 11" in str(activity.metadata["decode_warnings"])


def test_real_runs_agree_with_their_device_summary(shared_activities: Path) -> None:
    path = shared_activities / "fit/goldencheetah/FR955v18_14211916346_ACTIVITY.fit"
    (session,) = read_fit(path).sessions
    summary = session.device_summary
    samples = session.samples
    assert samples.distance_m is not None and samples.cadence_spm is not None
    assert np.nanmax(samples.distance_m) == pytest.approx(summary["distance_m"], rel=0.01)
    assert np.nanmean(samples.cadence_spm) == pytest.approx(summary["avg_cadence_spm"], abs=2)
    assert session.sport == "running"
    assert samples.ground_contact_ms is not None
    assert np.nanmedian(samples.ground_contact_ms) == 278.0  # MANIFEST: stance_time=278.0 ms


def test_multisport_real_file(shared_activities: Path) -> None:
    path = shared_activities / "fit/python-fitparse/sample_mulitple_header.fit"
    activity = read_fit(path)
    assert [s.sport for s in activity.sessions] == [
        "swimming", "transition", "cycling", "transition", "running",
    ]  # fmt: skip
    assert activity.metadata["fit_streams"] == 4


_COLUMN = hnp.arrays(
    np.float64,
    st.integers(1, 40),
    elements=st.integers(0, 250).map(float),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    heart_rate=_COLUMN,
    big_endian=st.booleans(),
    compressed=st.booleans(),
    gaps=st.lists(st.integers(1, 40), min_size=1, max_size=40),
    speeds=st.lists(st.integers(0, 65534), min_size=1, max_size=40),
    lat=st.lists(st.integers(-(2**31), 2**31 - 2), min_size=1, max_size=40),
)
def test_encode_then_decode_round_trips(
    heart_rate: Any,
    big_endian: bool,
    compressed: bool,
    gaps: list[int],
    speeds: list[int],
    lat: list[int],
) -> None:
    n = min(len(heart_rate), len(gaps), len(speeds), len(lat))
    records = {
        "timestamp": START_S + np.cumsum(gaps[:n]).astype(np.float64),
        "heart_rate": np.where(heart_rate[:n] > 240, np.nan, heart_rate[:n]),
        "enhanced_speed": np.array(speeds[:n], dtype=np.float64) / 1000,
        "position_lat": np.array(lat[:n], dtype=np.float64),
    }
    data = encode_activity(records, big_endian=big_endian, compressed_timestamps=compressed)
    decoded = decode_fit(data).messages["record"]
    for name, column in records.items():
        np.testing.assert_array_equal(decoded[name], column, err_msg=name)


def test_encoder_writes_any_profile_message() -> None:
    encoder = FitEncoder()
    encoder.write(
        "file_id", {"type": "activity", "manufacturer": "garmin", "garmin_product": "fr955"}
    )
    fit = decode_fit(encoder.to_bytes())
    assert fit.messages["file_id"]["garmin_product"][0] == "fr955"
    assert fit.messages["file_id"]["manufacturer"][0] == "garmin"


def test_bundled_sample_run_is_packaged_and_current() -> None:
    """The sample ships as package data and is exactly what its generator writes."""
    import runpy
    from importlib.resources import files

    data = files("stridelab.data.samples").joinpath("sample-run.fit").read_bytes()
    assert len(data) < 200_000
    (session,) = read_fit(data).sessions
    assert session.sport == "running"
    assert 2300 < len(session.samples) < 2600
    assert len(session.laps) == 19
    assert session.samples.ground_contact_ms is not None
    assert np.nanmedian(session.samples.ground_contact_ms) == pytest.approx(266.7, abs=0.05)
    generator = runpy.run_path(str(Path(__file__).parents[1] / "tools" / "make_sample_fit.py"))
    records, _bounds = generator["make_records"](np.random.default_rng(20240501))
    assert len(records["timestamp"]) == len(session.samples)
    np.testing.assert_allclose(
        session.samples.cadence_spm, 2 * (records["cadence"] + records["fractional_cadence"])
    )


def test_messages_by_kind_and_row(easy_run_fit: bytes) -> None:
    fit = decode_fit(easy_run_fit)
    assert {"file_id", "record", "lap", "session", "event", "activity"} <= set(fit.messages)
    session = fit.messages["session"].row(0)
    assert session["sport"] == "running"
    assert session["total_distance"] == pytest.approx(fit.messages["record"]["distance"][-1])
    assert fit.messages["file_id"]["manufacturer"][0] == "development"


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=3000), repeat=st.sampled_from([1, 1, 40]))
def test_fast_crc_equals_the_sdks(data: bytes, repeat: int) -> None:
    """Folding and lanes give the SDK's byte-by-byte CRC (repeat makes > 64 kB inputs)."""
    from garmin_fit_sdk import CrcCalculator

    from stridelab.activities.readers.fit_profile import crc16

    data = data * repeat
    expected = CrcCalculator.calculate_crc(data, 0, len(data))
    assert crc16(np.frombuffer(data, dtype=np.uint8)) == expected


def test_cycling_laps_report_no_step_cadence() -> None:
    records = run_records(40)
    lap = {"timestamp": START_S + 40, "start_time": START_S, "avg_cadence": 90}
    session = {
        "timestamp": START_S + 40,
        "start_time": START_S,
        "sport": "cycling",
        "avg_cadence": 90,
    }
    (cycling,) = read_fit(encode_activity(records, laps=[lap], sessions=[session])).sessions
    assert "avg_cadence_spm" not in cycling.device_summary
    assert "avg_cadence_spm" not in cycling.laps[0].device_summary
    session["sport"] = "running"
    (running,) = read_fit(encode_activity(records, laps=[lap], sessions=[session])).sessions
    assert running.laps[0].device_summary["avg_cadence_spm"] == 180


def test_relative_timestamps_are_moved_to_utc() -> None:
    """Seconds since power-on (below 0x10000000) plus a timestamp_correlation → UTC."""
    epoch = 631_065_600
    encoder = FitEncoder()
    encoder.write("file_id", {"type": "activity", "manufacturer": "development"})
    encoder.write(
        "timestamp_correlation", {"timestamp": START_S, "system_timestamp": epoch + 1000.0}
    )
    for i in range(10):
        encoder.write("record", {"timestamp": epoch + 1000.0 + i, "heart_rate": 100 + i})
    encoder.write("session", {"timestamp": epoch + 1010.0, "start_time": epoch + 1000.0})
    activity = read_fit(encoder.to_bytes())
    (session,) = activity.sessions
    assert session.samples.timestamp_s[0] == START_S
    assert session.start.timestamp() == START_S
    assert activity.metadata["relative_timestamps"] is True
    assert activity.metadata["timestamps_corrected"] == "utc"


def test_fr70_relative_timestamps_dated_by_local_time(shared_activities: Path) -> None:
    path = shared_activities / "fit/python-fitparse/compressed-speed-distance.fit"
    activity = read_fit(path)
    assert activity.metadata["relative_timestamps"] is True
    assert str(activity.metadata["timestamps_corrected"]).startswith("local time")
    assert activity.sessions[0].start.year == 2012


def test_phone_app_quirks_are_normalised(shared_activities: Path) -> None:
    """Strava Android: speed and distance in separate same-time records, a last record
    dated decades later, and an undefined local message. Salvaged, it reads as a run."""
    import numpy as np

    from stridelab.activities.readers import DamagedFile, read_activity

    path = shared_activities / "fit/python-fitparse/strava-android-app-201.10-b1218918.fit"
    activity = read_activity(path, damaged=DamagedFile.SALVAGE)
    samples = activity.sessions[0].samples
    assert np.all(np.diff(samples.timestamp_s) > 0)
    assert activity.metadata["dropped_clock_glitches"] == 1
    assert int(activity.metadata["merged_same_time_records"] or 0) > 100
    span_s = samples.timestamp_s[-1] - samples.timestamp_s[0]
    assert 60 < span_s < 3600
    assert samples.speed_m_s is not None and samples.distance_m is not None
    both = ~np.isnan(samples.speed_m_s) & ~np.isnan(samples.distance_m)
    assert both.mean() > 0.9
