"""Running-form insights in plain words, each with the study it rests on.

Every insight says what was measured in this run, what the cited study actually found,
and how far that finding carries (population, speed, design). None of them is a
diagnosis; where the evidence is weak the text says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from stridelab.activities.metrics import (
    MIN_STEP_CADENCE_SPM,
    MOVING_SPEED_M_S,
    SegmentMetrics,
    sample_weights_s,
    speed_series,
)
from stridelab.activities.model import FloatArray, Samples
from stridelab.activities.sports import RUN_SPORTS
from stridelab.units import format_pace, km_per_h_from_speed

BoolArray = npt.NDArray[np.bool_]

__all__ = [
    "CADENCE_DRIFT_THRESHOLD_PCT",
    "HASEGAWA_MIDFOOT_CONTACT_MS",
    "HASEGAWA_REARFOOT_CONTACT_MS",
    "HEIDERSCHEIT_2011",
    "Insight",
    "WarmupBurst",
    "cadence_drift_pct",
    "detect_warmup_bursts",
    "reference_cadence_spm",
    "session_insights",
]

HEIDERSCHEIT_2011: Final = (
    "Heiderscheit BC, Chumanov ES, Michalski MP, Wille CM, Ryan MB. Effects of step rate "
    "manipulation on joint mechanics during running. Med Sci Sports Exerc 43:296-302 (2011)"
)
HASEGAWA_2007: Final = (
    "Hasegawa H, Yamauchi T, Kraemer WJ. Foot strike patterns of runners at the 15-km point "
    "during an elite-level half marathon. J Strength Cond Res 21:888-893 (2007)"
)
OGUETA_ALDAY_2014: Final = (
    "Ogueta-Alday A, Rodriguez-Marroyo JA, Garcia-Lopez J. Rearfoot striking runners are more "
    "economical than midfoot strikers. Med Sci Sports Exerc 46:580-585 (2014)"
)
HUNTER_SMITH_2007: Final = (
    "Hunter I, Smith GA. Preferred and optimal stride frequency, stiffness and economy: "
    "changes with fatigue during a 1-h high-intensity run. Eur J Appl Physiol 100:653-661 (2007)"
)
#: Mean contact times Hasegawa et al. 2007 report (as the drill literature quotes them).
HASEGAWA_MIDFOOT_CONTACT_MS: Final = 183.0
HASEGAWA_REARFOOT_CONTACT_MS: Final = 200.0
#: Rough reference step rate at 10 km/h and its rise per km/h: a rule of thumb drawn from
#: treadmill studies of recreational runners, not a target (individuals differ widely).
REFERENCE_CADENCE_AT_10_KMH_SPM: Final = 164.0
REFERENCE_CADENCE_SLOPE_SPM_PER_KMH: Final = 4.0
#: Below the reference by more than this fraction, the cadence insight suggests trying more.
CADENCE_BELOW_REFERENCE_FRACTION: Final = 0.05
#: A drop in the last third larger than this (percent) is reported as a possible fatigue sign.
CADENCE_DRIFT_THRESHOLD_PCT: Final = 3.0
#: Warm-up detection: the first this-fraction of the run, bursts of this length (s).
WARMUP_FRACTION: Final = 0.33
WARMUP_MAX_S: Final = 25 * 60.0
#: Below this typical warm-up cadence the run is a walk/run mix: no burst detection.
RUNNING_BASE_CADENCE_SPM: Final = 140.0
#: Bursts filling more than this share of the warm-up are intervals, not strides or drills.
MAX_BURST_SHARE: Final = 0.3
BURST_MIN_S: Final = 8.0
BURST_MAX_S: Final = 60.0
STRIDE_SPEED_FACTOR: Final = 1.25
STRIDE_CADENCE_RISE_SPM: Final = 10.0
DRILL_CADENCE_RISE_SPM: Final = 15.0
DRILL_SPEED_FACTOR: Final = 0.85


@dataclass(frozen=True)
class Insight:
    """One finding: a short title, the plain-words text, the values used, and its sources."""

    kind: str
    title: str
    text: str
    values: dict[str, Any] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "title": self.title,
            "text": self.text,
            "values": self.values,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class WarmupBurst:
    """A short burst in the warm-up: ``stride`` (fast, quick steps) or ``drill`` (quick, slow)."""

    kind: str
    start_offset_s: float
    duration_s: float
    avg_speed_m_s: float
    avg_cadence_spm: float


def reference_cadence_spm(speed_m_s: float) -> float:
    """A rough speed-adjusted reference step rate (steps/min); a rule of thumb, not a norm.

    Step rate rises only modestly with speed (most of the speed comes from longer steps;
    Cavanagh & Kram, Med Sci Sports Exerc 21:467, 1989). stridelab uses 164 steps/min at
    10 km/h plus 4 per km/h, kept within 150-200, as a *rough* reference: the evidence for
    any single "right" cadence is weak, and 180 is not a universal target.
    """
    kmh = km_per_h_from_speed(speed_m_s)
    value = REFERENCE_CADENCE_AT_10_KMH_SPM + REFERENCE_CADENCE_SLOPE_SPM_PER_KMH * (kmh - 10.0)
    return float(np.clip(value, 150.0, 200.0))


def _cadence_insight(metrics: SegmentMetrics) -> Insight | None:
    cadence = metrics.avg_cadence_spm
    speed = metrics.avg_speed_m_s
    if cadence is None or speed is None or metrics.sport not in RUN_SPORTS:
        return None
    reference = reference_cadence_spm(speed)
    pace = format_pace(metrics.avg_pace_s_per_km or 0.0)
    plus5, plus10 = cadence * 1.05, cadence * 1.10
    relation = (
        f"below the rough reference of about {reference:.0f} steps/min for that speed"
        if cadence < reference * (1 - CADENCE_BELOW_REFERENCE_FRACTION)
        else f"near or above the rough reference of about {reference:.0f} steps/min for that speed"
    )
    text = (
        f"Your moving cadence was {cadence:.0f} steps/min at {pace}, {relation}. "
        f"Heiderscheit et al. (2011) had 45 recreational runners change step rate on a treadmill "
        f"at constant speed: +5% (here {plus5:.0f} steps/min) reduced the energy absorbed at "
        f"the knee; +10% ({plus10:.0f}) reduced it at the knee and hip and also reduced peak "
        f"knee flexion, braking impulse, centre-of-mass vertical excursion and hip adduction. "
        f"Lowering step rate 10% increased absorption at all joints. These were immediate "
        f"mechanical changes, not injury outcomes; if you try it, raise step rate gradually at "
        f"the same pace."
    )
    return Insight(
        kind="cadence",
        title="Cadence and knee loading",
        text=text,
        values={
            "avg_cadence_spm": round(cadence, 1),
            "reference_cadence_spm": round(reference, 1),
            "plus_5_pct_spm": round(plus5, 1),
            "plus_10_pct_spm": round(plus10, 1),
        },
        sources=(HEIDERSCHEIT_2011,),
    )


def _contact_insight(metrics: SegmentMetrics) -> Insight | None:
    contact = metrics.avg_ground_contact_ms
    if contact is None or metrics.sport not in RUN_SPORTS:
        return None
    if contact < (HASEGAWA_MIDFOOT_CONTACT_MS + HASEGAWA_REARFOOT_CONTACT_MS) / 2:
        hint = "closer to the midfoot strikers' figure"
    else:
        hint = "at or above the rearfoot strikers' figure"
    text = (
        f"Your average ground contact time was {contact:.0f} ms, {hint}. Hasegawa et al. (2007) "
        f"filmed 283 runners at 15 km of an elite-level half marathon: 74.9% struck rearfoot, "
        f"23.7% midfoot, 1.4% forefoot, and midfoot strikers had shorter contacts (about "
        f"{HASEGAWA_MIDFOOT_CONTACT_MS:.0f} vs {HASEGAWA_REARFOOT_CONTACT_MS:.0f} ms). This is "
        f"only a hint at your strike pattern: contact time depends strongly on speed (those "
        f"runners were far faster than most training runs) and on the sensor, so a long contact "
        f"at easy pace says little. Contact time is not a target, and there is no reason to "
        f"force a forefoot strike: rearfoot strikers were 5-9% more economical at 11-13 km/h in "
        f"Ogueta-Alday et al. (2014)."
    )
    return Insight(
        kind="contact_time",
        title="Ground contact time (a foot-strike hint, uncertain)",
        text=text,
        values={"avg_ground_contact_ms": round(contact, 1)},
        sources=(HASEGAWA_2007, OGUETA_ALDAY_2014),
    )


def _third_means(values: FloatArray, weights: FloatArray, valid: BoolArray) -> tuple[float, float]:
    t = np.cumsum(weights)
    total = t[-1] if t.size else 0.0
    middle = (t > total / 3) & (t <= 2 * total / 3) & valid
    last = (t > 2 * total / 3) & valid

    def mean(mask: BoolArray) -> float:
        w = weights[mask]
        return float((values[mask] * w).sum() / w.sum()) if w.sum() > 0 else np.nan

    return mean(middle), mean(last)


def cadence_drift_pct(samples: Samples) -> tuple[float, float] | None:
    """Change (%) of moving cadence and speed from the middle to the last third of a run."""
    if samples.cadence_spm is None or len(samples) < 30:
        return None
    speed = speed_series(samples)
    weights = sample_weights_s(samples.timestamp_s)
    cadence = np.nan_to_num(samples.cadence_spm, nan=0.0)
    valid = cadence > MIN_STEP_CADENCE_SPM
    if speed is not None:
        valid &= speed > MOVING_SPEED_M_S
    middle, last = _third_means(cadence, weights, valid)
    if not (np.isfinite(middle) and np.isfinite(last)) or middle <= 0:
        return None
    speed_change = np.nan
    if speed is not None:
        s_mid, s_last = _third_means(speed, weights, valid)
        speed_change = (s_last / s_mid - 1) * 100 if s_mid > 0 else np.nan
    return (last / middle - 1) * 100, float(speed_change)


def _drift_insight(samples: Samples, metrics: SegmentMetrics) -> Insight | None:
    drift = cadence_drift_pct(samples)
    if drift is None or metrics.sport not in RUN_SPORTS:
        return None
    cadence_pct, speed_pct = drift
    speed_text = f" while speed changed {speed_pct:+.1f}%" if np.isfinite(speed_pct) else ""
    if cadence_pct <= -CADENCE_DRIFT_THRESHOLD_PCT and speed_pct < 2 * cadence_pct:
        verdict = (
            "speed fell much more than cadence, so this more likely reflects slowing down "
            "(or walking) than a change in running form"
        )
    elif cadence_pct <= -CADENCE_DRIFT_THRESHOLD_PCT:
        verdict = (
            "a drop like this can be a sign of fatigue (Hunter & Smith 2007 saw stride "
            "frequency fall over a hard 1-hour run), though hills, pace changes and walking "
            "breaks change cadence too"
        )
    else:
        verdict = "no marked drift, so no fatigue sign in cadence"
    return Insight(
        kind="cadence_drift",
        title="Cadence in the last third",
        text=(
            f"Cadence in the last third changed {cadence_pct:+.1f}% against the middle third"
            f"{speed_text}: {verdict}."
        ),
        values={
            "cadence_change_pct": round(cadence_pct, 2),
            "speed_change_pct": round(speed_pct, 2) if np.isfinite(speed_pct) else None,
        },
        sources=(HUNTER_SMITH_2007,),
    )


def _runs(mask: BoolArray) -> list[tuple[int, int]]:
    padded = np.concatenate(([0], mask.astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def detect_warmup_bursts(samples: Samples) -> tuple[WarmupBurst, ...]:
    """Strides (fast, quick steps) and drills (quick steps, little speed) early in a run.

    Looks at the first :data:`WARMUP_FRACTION` of the recording (at most
    :data:`WARMUP_MAX_S`) for bursts of :data:`BURST_MIN_S`-:data:`BURST_MAX_S` seconds whose
    cadence rises well above the warm-up's typical moving cadence; with speed above
    :data:`STRIDE_SPEED_FACTOR` times the typical speed it is a stride, with speed below
    :data:`DRILL_SPEED_FACTOR` a drill. Nothing is reported for walk/run mixes (typical
    cadence under :data:`RUNNING_BASE_CADENCE_SPM`) or when bursts fill more than
    :data:`MAX_BURST_SHARE` of the warm-up (intervals, not a warm-up).
    """
    speed = speed_series(samples)
    if samples.cadence_spm is None or speed is None or len(samples) < 30:
        return ()
    t = samples.timestamp_s - samples.timestamp_s[0]
    early = t <= min(t[-1] * WARMUP_FRACTION, WARMUP_MAX_S)
    cadence = np.nan_to_num(samples.cadence_spm, nan=0.0)
    kernel = np.ones(3) / 3.0
    cadence_s = np.convolve(cadence, kernel, mode="same")
    speed_s = np.convolve(speed, kernel, mode="same")
    moving = early & (cadence > MIN_STEP_CADENCE_SPM) & (speed > MOVING_SPEED_M_S)
    if moving.sum() < 10:
        return ()
    base_cadence = float(np.median(cadence[moving]))
    base_speed = float(np.median(speed[moving]))
    if base_cadence < RUNNING_BASE_CADENCE_SPM:
        return ()
    quick = early & (cadence_s > base_cadence + STRIDE_CADENCE_RISE_SPM)
    found: list[WarmupBurst] = []
    for lo, hi in _runs(quick):
        duration = float(t[hi - 1] - t[lo])
        if not BURST_MIN_S <= duration <= BURST_MAX_S:
            continue
        mean_speed = float(speed_s[lo:hi].mean())
        mean_cadence = float(cadence_s[lo:hi].mean())
        if mean_speed >= base_speed * STRIDE_SPEED_FACTOR:
            kind = "stride"
        elif (
            mean_speed <= base_speed * DRILL_SPEED_FACTOR
            and mean_cadence >= base_cadence + DRILL_CADENCE_RISE_SPM
        ):
            kind = "drill"
        else:
            continue
        found.append(WarmupBurst(kind, float(t[lo]), duration, mean_speed, mean_cadence))
    warmup_s = float(sample_weights_s(samples.timestamp_s)[moving].sum())
    if sum(b.duration_s for b in found) > MAX_BURST_SHARE * warmup_s:
        return ()  # a fartlek or interval session, not a warm-up with strides
    return tuple(found)


def _warmup_insight(samples: Samples, metrics: SegmentMetrics) -> Insight | None:
    if metrics.sport not in RUN_SPORTS:
        return None
    bursts = detect_warmup_bursts(samples)
    if not bursts:
        return None
    strides = sum(1 for b in bursts if b.kind == "stride")
    drills = len(bursts) - strides
    return Insight(
        kind="warmup_bursts",
        title="Drills and strides in the warm-up",
        text=(
            f"Found {strides} stride(s) and {drills} drill-like burst(s) (quick steps at low "
            f"speed) in the first third of the run. Detection is from cadence and speed only, "
            f"so a sprint for a traffic light or a steep pitch can look the same."
        ),
        values={
            "bursts": [
                {
                    "kind": b.kind,
                    "start_offset_s": round(b.start_offset_s, 1),
                    "duration_s": round(b.duration_s, 1),
                    "avg_speed_m_s": round(b.avg_speed_m_s, 2),
                    "avg_cadence_spm": round(b.avg_cadence_spm, 1),
                }
                for b in bursts
            ]
        },
    )


def session_insights(samples: Samples, metrics: SegmentMetrics) -> tuple[Insight, ...]:
    """All insights the session's data can support (none invented for missing channels)."""
    candidates = (
        _cadence_insight(metrics),
        _contact_insight(metrics),
        _drift_insight(samples, metrics),
        _warmup_insight(samples, metrics),
    )
    return tuple(insight for insight in candidates if insight is not None)
