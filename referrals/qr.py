"""The share link as a QR code image (SVG, drawn by the `qrcode` library; no network)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_svg(text: str) -> bytes:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()
