"""The OCR engine: PP-OCRv4 detection and recognition on ONNX Runtime, through RapidOCR.

``rapidocr-onnxruntime`` 1.4.4 ships the PP-OCRv4 Chinese detection and recognition models in
its wheel, so nothing is downloaded at run time (the engine is built from the package's own
``config.yaml`` and model files). :func:`engine` builds it once per process.

Two calls:

* :meth:`Engine.detect` — text boxes on a page (the detection model only);
* :meth:`Engine.recognise` — the text of each crop, with a per-character CTC decoding of our own:
  a reading's ``confidence`` is its *least* sure character (a mean would hide one doubtful digit
  among sure ones), and ``alternatives`` are the readings in which one doubtful character is
  replaced by the model's second choice (a digit for a digit).

>>> import numpy as np
>>> eng = engine()                                            # doctest: +SKIP
>>> eng.recognise([np.full((48, 96, 3), 255, np.uint8)])[0].text  # doctest: +SKIP
''
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from govdisclose._optional import import_optional

__all__ = ["Reading", "Engine", "engine", "ENGINE_NAME"]

#: What reads the pages (printed in notes and the bench).
ENGINE_NAME = "RapidOCR 1.4.4 (PP-OCRv4 det/rec, ONNX Runtime)"

#: A character whose probability is below this is doubtful: its second choice makes an alternative.
DOUBT = 0.97

_lock = threading.Lock()
_engine: Engine | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    """One crop read: its text, its least sure character's probability and other readings."""

    text: str
    confidence: float
    alternatives: tuple[str, ...] = ()


class Engine:
    """The detection and recognition sessions of one RapidOCR instance."""

    def __init__(self) -> None:
        rapidocr = import_optional("rapidocr_onnxruntime", extra="ocr", purpose="reading scanned pages (OCR)")
        threads = int(os.environ.get("GOVDISCLOSE_OCR_THREADS", "1"))
        self._ocr: Any = rapidocr.RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1)
        rec = self._ocr.text_rec
        self._rec = rec
        self._chars: list[str] = list(rec.postprocess_op.character)
        self._digits = np.array([i for i, ch in enumerate(self._chars) if ch.isascii() and ch.isdigit()])
        self._numeric = np.array([0] + [i for i, ch in enumerate(self._chars) if ch in "0123456789."])

    def detect(self, image: np.ndarray) -> list[tuple[float, float, float, float]]:
        """Axis-aligned boxes ``(x0, y0, x1, y1)`` of the text lines found on ``image`` (RGB)."""
        boxes, _ = self._ocr.text_det(image[:, :, ::-1])
        if boxes is None:
            return []
        out = []
        for quad in boxes:
            xs, ys = quad[:, 0], quad[:, 1]
            out.append((float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())))
        return out

    def recognise(self, crops: list[np.ndarray], batch: int = 8) -> list[Reading]:
        """Each crop (RGB, one line of text) read by the recognition model."""
        out: list[Reading | None] = [None] * len(crops)
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(crops[i].shape[0], 1))
        _, height, width = self._rec.rec_image_shape
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            ratio = max([width / height] + [crops[i].shape[1] / max(crops[i].shape[0], 1) for i in chunk])
            tensor = np.concatenate([self._rec.resize_norm_img(crops[i][:, :, ::-1], ratio)[np.newaxis] for i in chunk])
            preds = self._rec.session(tensor.astype(np.float32))[0]
            for i, pred in zip(chunk, preds):
                out[i] = self._decode(pred)
        return [r if r is not None else Reading("", 0.0) for r in out]

    def _decode(self, pred: np.ndarray) -> Reading:
        """CTC greedy decoding, keeping each character's probability and its second digit choice."""
        best = pred.argmax(axis=1)
        chars: list[str] = []
        probs: list[float] = []
        seconds: list[str | None] = []
        previous = -1
        for t, index in enumerate(best):
            if index != previous and index != 0:
                chars.append(self._chars[index])
                probs.append(float(pred[t, index]))
                second = None
                if chars[-1].isascii() and chars[-1].isdigit() and len(self._digits):
                    scores = pred[t, self._digits].copy()
                    scores[self._digits == index] = -1
                    second = self._chars[int(self._digits[int(scores.argmax())])]
                seconds.append(second)
            elif index == previous and index != 0:
                probs[-1] = max(probs[-1], float(pred[t, index]))
            previous = int(index)
        text = "".join(chars)
        alternatives = []
        for k, (p, second) in enumerate(zip(probs, seconds)):
            if p < DOUBT and second is not None:
                alternatives.append(text[:k] + second + text[k + 1:])
        if text and len(text) <= 12 and not text.isdigit() and not any("\u4e00" <= ch <= "\u9fff" for ch in text):
            alternatives.append(self._numeric_reading(pred))  # '[288' → '1288': the best reading in digits only
        return Reading(text, min(probs) if probs else 0.0, tuple(dict.fromkeys(a for a in alternatives if a and a != text)))

    def _numeric_reading(self, pred: np.ndarray) -> str:
        """The CTC decoding with each frame that reads a character other than a digit or a decimal
        point read as its best digit instead (``[288`` → ``1288``)."""
        best = pred.argmax(axis=1)
        numeric = set(self._numeric.tolist())
        odd = np.array([b != 0 and int(b) not in numeric for b in best])
        if odd.any():
            best = best.copy()
            best[odd] = self._digits[pred[odd][:, self._digits].argmax(axis=1)]
        out, previous = [], -1
        for index in best:
            if index != previous and index != 0:
                out.append(self._chars[index])
            previous = int(index)
        return "".join(out)


def engine() -> Engine:
    """The process's engine (built on first use; raises ``MissingDependencyError`` without the ``ocr`` extra)."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = Engine()
        return _engine
