"""Story photos: every upload is re-encoded by Pillow — turned upright, resized, and written without its metadata
(EXIF: GPS position, camera, date), so that nothing but the pixels is ever published."""

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MAX_SIDE = 1600
JPEG_QUALITY = 85


def clean_photo(upload) -> ContentFile:
    """A JPEG of at most `MAX_SIDE` px on its longest side, without metadata; ValidationError in French otherwise."""
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("La photo dépasse 10 Mo : choisissez une image plus légère."))
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("La photo est trop grande (plus de 40 millions de pixels)."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # A new image object written without `exif=`: no metadata is carried over.
            Image.frombytes("RGB", image.size, image.tobytes()).save(
                out, format="JPEG", quality=JPEG_QUALITY, optimize=True
            )
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise ValidationError(_("Ce fichier n'est pas une image lisible (JPEG, PNG ou WebP).")) from error
    stem = Path(getattr(upload, "name", "") or "photo").stem[:60] or "photo"
    return ContentFile(out.getvalue(), name=f"{stem}.jpg")
