"""High-DPI: the payment QR keeps whole device pixels per module at fractional scales, and the counter window
lays out at 200 % (a real process with QT_SCALE_FACTOR=2)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import qrcode
import zxingcpp
from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice

from kameng_desk.gui.payment_dialog import QUIET_ZONE, qr_pixmap

ROOT = Path(__file__).resolve().parents[2]
URL = "http://127.0.0.1:8000/pay/01a211ea-68fc-7424-a61b-3938a8b15f78"


@pytest.mark.parametrize("ratio", [1.0, 1.25, 1.5, 2.0, 3.0])
def test_qr_modules_are_whole_device_pixels_and_decode(qapp, ratio) -> None:
    pixmap = qr_pixmap(URL, 320, ratio)
    image = pixmap.toImage()
    assert pixmap.devicePixelRatio() == ratio
    side = image.width()
    assert image.height() == side
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(URL)
    code.make(fit=True)
    modules = len(code.get_matrix()) + 2 * QUIET_ZONE
    assert side % modules == 0  # every module the same whole number of device pixels: sharp for a camera
    # Drawn at its logical size the QR fills at most the 320 px asked for, and at least most of it.
    assert 0.6 * 320 <= side / ratio <= 320
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(bytes(buffer.data()))))
    assert code.text == URL




def test_the_window_lays_out_at_200_percent(tmp_path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    out = subprocess.run([sys.executable, "-m", "bench.counter_start", repr(time.time()), str(tmp_path)], env=env,
                         capture_output=True, text=True, timeout=60, check=True, cwd=ROOT).stdout.split()
    ratio, shot_w, shot_h, width, height = float(out[1]), *map(int, out[2:])
    assert ratio == 2.0
    assert (shot_w, shot_h) == (2 * width, 2 * height)  # drawn at device resolution, not upscaled later
