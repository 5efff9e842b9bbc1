"""Uploaded images: checked on the way in, served as responsive WebP renditions.

Checks: a real raster image that Pillow can decode (SVG and anything else is refused, so
no script can ride in on an image), at most MAX_BYTES and MAX_PIXELS. Renditions are made
once, on save, at a few widths, next to the original in the same storage (local files or
any Django storage backend: only the storage API is used).
"""

from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
WIDTHS = (480, 960, 1600)


def validate_image(upload):
    """Django validator for ImageField uploads."""
    if upload is None:
        return
    if upload.size > MAX_BYTES:
        raise ValidationError(
            f"The image is {upload.size / 1_048_576:.1f} MB; the limit is "
            f"{MAX_BYTES // 1_048_576} MB. Please export it smaller."
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format not in ALLOWED_FORMATS:
                raise ValidationError(
                    f"{image.format or 'This'} images are not accepted: use JPEG, PNG, WebP or GIF."
                )
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    f"The image is {image.width}×{image.height} pixels; the limit is "
                    f"{MAX_PIXELS // 1_000_000} megapixels."
                )
            image.verify()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            "This file is not an image we can read (JPEG, PNG, WebP or GIF; SVG is not accepted)."
        ) from error
    finally:
        upload.seek(0)


def rendition_name(name, width):
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-{width}w.webp"))


def make_renditions(field_file):
    """WebP copies at the standard widths no wider than the original: [(width, name)]."""
    storage = field_file.storage or default_storage
    field_file.open("rb")
    try:
        with Image.open(field_file) as image:
            image.load()
            original_width = image.width
            source = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    finally:
        field_file.close()
    made = []
    for width in WIDTHS:
        target = min(width, original_width)
        height = round(source.height * target / source.width)
        copy = source.resize((target, height), Image.Resampling.LANCZOS)
        buffer = BytesIO()
        copy.save(buffer, "WEBP", quality=80, method=4)
        name = rendition_name(field_file.name, target)
        if storage.exists(name):
            storage.delete(name)
        storage.save(name, ContentFile(buffer.getvalue()))
        made.append((target, name))
        if target == original_width:
            break
    return made


def srcset(storage, renditions):
    return ", ".join(f"{storage.url(name)} {width}w" for width, name in renditions)
