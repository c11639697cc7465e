"""Quality sessions as FIT workout files for watches, written with the official FIT SDK.

Written with ``garmin_fit_sdk.Encoder`` (Garmin's FIT Python SDK) and read back in the
tests with its ``Decoder``. The layout follows the FIT workout rules:

* ``file_id`` with ``type = workout``; one ``workout`` message (sport running,
  ``num_valid_steps``); then one ``workout_step`` per step, ``message_index`` 0, 1, ….
* A pace target is ``target_type = speed`` with ``target_value = 0`` (custom) and the range
  in ``custom_target_speed_low/high`` in m/s (raw value × 1000): the *faster* pace is the
  *high* speed. 5:00/km = 3.333 m/s → raw 3333.
* A repeat is its own step after the repeated ones: ``duration_type =
  repeat_until_steps_cmplt``, ``duration_value`` = message_index of the first repeated step,
  ``target_value`` = the number of repetitions.
* Distances are raw centimetres (``duration_distance`` scale 100), times raw milliseconds
  (``duration_time`` scale 1000); stridelab writes whole metres and whole seconds.
* After the warm-up jog comes an open step (``duration_type = open``): do the drills, then
  press lap to start the main set. Recoveries, jogs, walks and strides (timed steps under
  :data:`OPEN_BELOW_S`) carry no pace target, so the watch does not beep through them.
* The workout is named for what it is: ``Thu 16 Mar · 5 × 1000 m I``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Final

from garmin_fit_sdk import Encoder, Profile

from stridelab.errors import ExportError
from stridelab.plans.model import Measure, Plan, Session, SessionKind, Step, StepKind
from stridelab.units import speed_from_pace_s_per_km

__all__ = [
    "OPEN_BELOW_S",
    "fit_workout_bytes",
    "workout_messages",
    "workout_name",
    "write_fit_workouts",
]

_MESG = Profile["mesg_num"]
#: FIT manufacturer "development" and a fixed product id for stridelab files.
_MANUFACTURER: Final = "development"
_PRODUCT: Final = 0
#: Watches show about 15 characters of a step name ...
_NAME_CHARS: Final = 15
#: ... and the workout list more of a workout's.
_WORKOUT_NAME_CHARS: Final = 32
#: Timed fast steps shorter than this (strides) run by feel: no pace target on the watch.
OPEN_BELOW_S: Final = 60.0
#: The Daniels letter of each main-set kind, for workout names.
_LETTER: Final = {
    SessionKind.INTERVALS: ("Intervals", "I"),
    SessionKind.THRESHOLD: ("Threshold", "T"),
    SessionKind.REPETITIONS: ("Repetitions", "R"),
    SessionKind.TEMPO: ("Tempo", "T"),
    SessionKind.RACE_PACE: ("Race pace", "race pace"),
}


def workout_name(session: Session) -> str:
    """``Thu 16 Mar · 5 × 1000 m I``: the day and what the session is."""
    label = session.title.split(" @ ")[0].replace("Run/walk ", "RW ")
    word, letter = _LETTER.get(session.kind, ("", ""))
    if word and label.startswith(word + " "):
        label = f"{label[len(word) + 1 :]} {letter}"
    return f"{session.date:%a %d %b} · {label}"[:_WORKOUT_NAME_CHARS]


def _open_step(index: int) -> dict[str, Any]:
    return {
        "mesg_num": _MESG["WORKOUT_STEP"],
        "message_index": index,
        "wkt_step_name": "Drills, lap",
        "intensity": "warmup",
        "duration_type": "open",
        "target_type": "open",
        "notes": "Do the warm-up drills, then press lap to start.",
    }


def _step_messages(steps: tuple[Step, ...], first_index: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for step in steps:
        index = first_index + len(out)
        if step.kind is StepKind.REPEAT:
            out += _step_messages(step.steps, index)
            out.append(
                {
                    "mesg_num": _MESG["WORKOUT_STEP"],
                    "message_index": first_index + len(out),
                    "duration_type": "repeat_until_steps_cmplt",
                    "duration_value": index,
                    "target_value": step.repeat,
                }
            )
            continue
        mesg: dict[str, Any] = {
            "mesg_num": _MESG["WORKOUT_STEP"],
            "message_index": index,
            "wkt_step_name": (step.note or step.kind.value)[:_NAME_CHARS],
            "intensity": step.kind.value,
        }
        if step.measure is Measure.DISTANCE:
            mesg |= {"duration_type": "distance", "duration_value": round(step.distance_m) * 100}
        else:
            mesg |= {"duration_type": "time", "duration_value": round(step.duration_s) * 1000}
        by_feel = step.measure is Measure.TIME and step.duration_s < OPEN_BELOW_S
        if (
            step.pace_fast_s_per_km is None
            or step.pace_slow_s_per_km is None
            or step.kind is StepKind.RECOVERY
            or by_feel
        ):
            mesg["target_type"] = "open"
        else:
            mesg |= {
                "target_type": "speed",
                "target_value": 0,
                "custom_target_value_low": round(
                    speed_from_pace_s_per_km(step.pace_slow_s_per_km) * 1000
                ),
                "custom_target_value_high": round(
                    speed_from_pace_s_per_km(step.pace_fast_s_per_km) * 1000
                ),
            }
        out.append(mesg)
    return out


def workout_messages(session: Session) -> list[dict[str, Any]]:
    """The FIT messages of a session's workout (file_id, workout, workout_steps)."""
    if session.warmup is not None and len(session.steps) > 1:
        first = _step_messages(session.steps[:1], 0)
        steps = [*first, _open_step(len(first))]
        steps += _step_messages(session.steps[1:], len(steps))
    else:
        steps = _step_messages(session.steps, 0)
    created = dt.datetime.combine(session.date, dt.time(0, 0), tzinfo=dt.UTC)
    return [
        {
            "mesg_num": _MESG["FILE_ID"],
            "type": "workout",
            "manufacturer": _MANUFACTURER,
            "product": _PRODUCT,
            "serial_number": int(session.date.strftime("%Y%m%d")),
            "time_created": created,
        },
        {
            "mesg_num": _MESG["WORKOUT"],
            "wkt_name": workout_name(session),
            "sport": "running",
            "num_valid_steps": len(steps),
        },
        *steps,
    ]


def fit_workout_bytes(session: Session) -> bytes:
    """A complete FIT workout file for ``session`` (header, messages, CRC)."""
    encoder = Encoder()
    try:
        for mesg in workout_messages(session):
            encoder.write_mesg(mesg)
    except ValueError as exc:
        raise ExportError(
            f"The FIT SDK refused the {session.kind.value} workout of {session.date}: {exc}",
            hint="Report this with the plan's --json output.",
        ) from exc
    return bytes(encoder.close())


def write_fit_workouts(plan: Plan, folder: Path) -> list[Path]:
    """One ``YYYY-MM-DD_kind.fit`` per quality, run/walk or time-trial session in ``folder``
    (created if needed)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for session in plan.workout_sessions:
            path = folder / f"{session.date.isoformat()}_{session.kind.value}.fit"
            path.write_bytes(fit_workout_bytes(session))
            paths.append(path)
    except OSError as exc:
        raise ExportError(
            f"Could not write FIT workouts to {folder}: {exc.strerror}",
            hint="Give a writable folder with --fit-dir.",
        ) from exc
    return paths
