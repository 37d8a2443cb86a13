"""One card slip from the stored layout to ESC/POS bytes: bytes and build time per slip, with the product's
QR printed natively (GS ( k) against as an image (GS v 0, for printers without native QR), and a slip without
QR as the baseline, all in the same run; plus the time that slip takes on a 9600 baud serial line (8N1:
10 bits per byte), computed from the bytes.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace

from bench.stats import summary_ms, table
from kameng_desk.printing.escpos_render import render_escpos
from kameng_desk.printing.layout import Slip
from kameng_desk.printing.profiles import PAPER_58, PAPER_80
from kameng_desk.printing.sample import sample_card_slip

RUNS = int(os.environ.get("KAMENG_BENCH_SLIPS", "300"))
BAUD = 9600
BITS_PER_BYTE = 10  # start bit, 8 data bits, stop bit


def main() -> None:
    variants = []
    for profile in (PAPER_58, PAPER_80):
        variants += [
            (f"{profile.name} no QR (baseline)", sample_card_slip(with_qr=False).to_json(), profile),
            (f"{profile.name} native QR", sample_card_slip().to_json(), replace(profile, native_qr=True)),
            (f"{profile.name} image QR", sample_card_slip().to_json(), replace(profile, native_qr=False)),
        ]
    samples: list[list[float]] = [[] for _ in variants]
    sizes = [0] * len(variants)
    for _ in range(RUNS):  # interleaved, so every variant sees the same machine
        for n, (_, stored, profile) in enumerate(variants):
            start = time.perf_counter()
            data = render_escpos(Slip.from_json(stored), profile)  # what the print thread does per job
            samples[n].append(time.perf_counter() - start)
            sizes[n] = len(data)
    rows = []
    for (label, _, _), runs, size in zip(variants, samples, sizes, strict=True):
        s = summary_ms(runs)
        rows.append([label, size, s["p50"], s["p99"], size * BITS_PER_BYTE / BAUD])
    print(table(["card slip", "bytes", "build p50 ms", "build p99 ms", f"{BAUD} baud s"], rows))
    for paper in (0, 3):
        native, image = sizes[paper + 1], sizes[paper + 2]
        print(f"{variants[paper + 1][2].name}: image QR sends {image / native:.1f}x the bytes of native QR "
              f"({image - native} bytes more, {(image - native) * BITS_PER_BYTE / BAUD:.2f} s more at {BAUD} baud)")


if __name__ == "__main__":
    main()
