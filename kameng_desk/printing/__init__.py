"""Receipt layout, ESC/POS rendering, printer connections and the print queue (DESIGN §8). No Qt here."""

from __future__ import annotations


def sample_card_slip_bytes(columns: int = 32) -> bytes:
    """A made-up card slip as ESC/POS bytes for a 32 (58 mm) or 48 (80 mm) column printer."""
    # Imported here so that `import kameng_desk.printing` (the sale path) does not load escpos and Pillow.
    from kameng_desk.printing.escpos_render import render_escpos
    from kameng_desk.printing.profiles import preset
    from kameng_desk.printing.sample import sample_card_slip

    return render_escpos(sample_card_slip(), preset(columns))
