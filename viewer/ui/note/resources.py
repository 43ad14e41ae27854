"""What a Qt text document may load: images from inside the notes folder, nothing else.

QtGui only, so the window and the PDF writer (which runs without widgets)
use the same rule, `viewer.core.files`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QUrl
from PySide6.QtGui import QImage, QTextDocument

from viewer.core.files import read_local_image


def url_source(url: QUrl) -> str:
    """The image path a document asks for, as written (still percent-encoded)."""
    return bytes(url.toEncoded().data()).decode("ascii", "replace")


def read_kb_image(folder: Path | None, url: QUrl) -> bytes | None:
    """The bytes of an image inside `folder` named by a relative URL; None for anything else."""
    return read_local_image(folder, url_source(url))


def kb_resource(folder: Path | None, kind: int, url: QUrl) -> QImage | QByteArray:
    """What a text document loads for `url`: an image from inside `folder`, else an empty value.

    Never None: given None, Qt would open the path itself.
    """
    if kind != QTextDocument.ResourceType.ImageResource:
        return QByteArray()
    data = read_kb_image(folder, url)
    image = QImage.fromData(data) if data else QImage()
    return image if not image.isNull() else QImage()
