"""Finding the runner among several people (motion pass), on clips drawn here."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from stridelab.video.track import find_subject

WIDTH, HEIGHT, FRAMES = 640, 360, 150


def draw_scene(path: Path, *, walker: bool, jumper: bool) -> Path:
    """A textured background; a tall walker crossing right to left in the lower half;
    a small figure bobbing up and down on a 'roof' in the top left."""
    rng = np.random.default_rng(1)
    background = rng.integers(60, 120, size=(HEIGHT, WIDTH, 3), dtype=np.uint8)
    background = cv2.GaussianBlur(background, (9, 9), 0)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 30.0, (WIDTH, HEIGHT))
    for i in range(FRAMES):
        image = background.copy()
        if walker and 20 <= i < 130:
            x = int(560 - (i - 20) * 4.2)
            cv2.rectangle(image, (x, 180), (x + 40, 340), (230, 230, 230), -1)
            step = 10 if (i // 8) % 2 else -10  # legs swinging
            cv2.line(image, (x + 20, 330), (x + 20 + step, 350), (230, 230, 230), 8)
        if jumper:
            y = int(40 + 15 * np.sin(i / 4))
            cv2.rectangle(image, (120, y), (140, y + 50), (20, 20, 20), -1)
        writer.write(image)
    writer.release()
    return path


def test_walker_among_others_is_followed_with_a_crop(tmp_path: Path) -> None:
    clip = draw_scene(tmp_path / "park.mp4", walker=True, jumper=True)
    subject = find_subject(clip, FRAMES, WIDTH, HEIGHT)
    assert not subject.full_frame
    assert subject.crop(5) is None  # before the walker enters: nobody we want
    centres = []
    for frame in (40, 75, 110):
        crop = subject.crop(frame)
        assert crop is not None
        x0, y0, side = crop
        walker_x = 560 - (frame - 20) * 4.2 + 20
        assert x0 <= walker_x <= x0 + side
        assert y0 + side >= 340  # feet inside
        assert y0 > 90  # the figure on the roof (y < 90) is left out
        centres.append(x0 + side / 2)
    assert centres[0] > centres[1] > centres[2]  # it follows the walker leftwards


def test_a_drill_on_the_spot_uses_the_full_frame(tmp_path: Path) -> None:
    clip = draw_scene(tmp_path / "spot.mp4", walker=False, jumper=True)
    assert find_subject(clip, FRAMES, WIDTH, HEIGHT).full_frame


def test_a_static_clip_uses_the_full_frame(tmp_path: Path) -> None:
    clip = draw_scene(tmp_path / "still.mp4", walker=False, jumper=False)
    subject = find_subject(clip, FRAMES, WIDTH, HEIGHT)
    assert subject.full_frame
    assert subject.rivals == 0
