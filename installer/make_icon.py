"""Draw the app icon (resources/icons/kameng-desk.png and .ico): 卡 in white on the counter's red, in the
bundled font. Run again only to change the design: `.venv/bin/python installer/make_icon.py`."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

RES = Path(__file__).resolve().parents[1] / "resources"
SIZE = 256
RED = (198, 40, 40, 255)


def draw() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((8, 8, SIZE - 8, SIZE - 8), radius=48, fill=RED)
    font = ImageFont.truetype(str(RES / "fonts" / "wqy-microhei.ttc"), 170)
    # A stroke thickens the glyph so it still reads at 16 px in a taskbar.
    pen.text((SIZE / 2, SIZE / 2 + 6), "卡", font=font, fill="white", anchor="mm", stroke_width=7,
             stroke_fill="white")
    return image


def main() -> None:
    out = RES / "icons"
    out.mkdir(exist_ok=True)
    image = draw()
    image.save(out / "kameng-desk.png")
    image.save(out / "kameng-desk.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128),
                                                (256, 256)])


if __name__ == "__main__":
    main()
