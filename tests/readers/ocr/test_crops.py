"""Cell crops: the contrast stretch and the renderings a cell is read again from."""

from __future__ import annotations

import cv2  # (the [ocr] extra is in [dev]: a broken install fails here, never skips)
import numpy as np

from govdisclose.readers.ocr.crops import CELL_HEIGHT, cell_crop, stretch, variants


def _faint_digits(text: str, ink: int = 150, paper: int = 235) -> np.ndarray:
    """``text`` drawn small and grey on grey paper, as a fax prints it."""
    page = np.full((40, 90, 3), paper, np.uint8)
    cv2.putText(page, text, (10, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (ink, ink, ink), 1, cv2.LINE_AA)
    return page


def test_the_stretch_makes_the_darkest_ink_black_and_the_paper_white():
    page = _faint_digits("40")
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    out = cv2.cvtColor(stretch(page), cv2.COLOR_RGB2GRAY)
    assert gray.min() >= 140 and gray.max() <= 235
    assert out.min() == 0 and out.max() == 255
    assert (out[gray == 235] == 255).all()  # the paper


def test_a_crop_without_ink_is_left_as_it_is():
    blank = np.full((20, 30, 3), 240, np.uint8)
    assert (stretch(blank) == blank).all()


def test_a_cell_is_scaled_to_the_cell_height_of_ink_and_read_again_five_ways():
    page = _faint_digits("40")
    ys, xs = np.nonzero(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY) < 200)
    box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    crop = cell_crop(page[box[1]:box[3], box[0]:box[2]])
    assert crop.shape[0] == CELL_HEIGHT + 2 * (CELL_HEIGHT // 2)
    others = variants(page, box)
    assert len(others) == 5
    assert len({o.shape for o in others}) == 5  # each rendering differs in scale or margin
