"""Uploaded audio (a glossary term's pronunciation): checked on the way in.

Checks, in the manner of `exosite.kernel.images`: at most settings.EXOSITE_AUDIO_MAX_BYTES,
and a recording in one of the formats every current browser plays in a native <audio>
control, recognised by its first bytes (its magic number), not by its name: MP3, Ogg
(Vorbis or Opus), WAV or M4A (AAC in an MPEG-4 container). The name must end as its
format does (.mp3, .ogg, .wav, .m4a ...), since the file is served with the type its name
says. Anything else (a video, a text file renamed .mp3, a script) is refused with a
message for the editor.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError

# format -> (name editors know it by, MIME type, file name endings it may have)
FORMATS = {
    "mp3": ("MP3", "audio/mpeg", (".mp3",)),
    "ogg": ("Ogg", "audio/ogg", (".ogg", ".oga", ".opus")),
    "wav": ("WAV", "audio/wav", (".wav",)),
    "m4a": ("M4A", "audio/mp4", (".m4a",)),
}
ACCEPTED = "MP3, Ogg, WAV or M4A"
# MPEG-4 brands of audio files (an ordinary .mp4 video has others and is refused).
M4A_BRANDS = {b"M4A ", b"M4B "}
HEADER_BYTES = 64


def sniff(head):
    """The format of a file that starts with `head` (FORMATS key), or None."""
    if head[:3] == b"ID3":  # an MP3 with ID3v2 tags before its first frame
        return "mp3"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
        # MPEG audio frame sync: a real version and layer (layer 0 is AAC in ADTS, which
        # browsers do not all play bare).
        if version != 0b01 and layer != 0b00:
            return "mp3"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[4:8] == b"ftyp":
        size = int.from_bytes(head[:4], "big")
        box = head[8 : min(size, len(head))]
        brands = {box[:4]} | {box[n : n + 4] for n in range(8, len(box) - 3, 4)}
        if brands & M4A_BRANDS:
            return "m4a"
    return None


def content_type(name):
    """The MIME type a stored recording is served as, from its name ("" if unknown)."""
    suffix = PurePosixPath(name or "").suffix.lower()
    for _, mime, suffixes in FORMATS.values():
        if suffix in suffixes:
            return mime
    return ""


def validate_audio(upload):
    """Django validator for FileField uploads of audio. A file already stored (the form
    saved again without a new upload) was checked when it came in."""
    if not upload or getattr(upload, "_committed", False):
        return
    limit = settings.EXOSITE_AUDIO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The recording is {upload.size / 1_048_576:.1f} MB; the limit is "
            f"{limit / 1_048_576:.1f} MB. A pronunciation needs only a few seconds: trim it, "
            "or export it as MP3."
        )
    upload.seek(0)
    try:
        head = upload.read(HEADER_BYTES)
    finally:
        upload.seek(0)
    found = sniff(head)
    if found is None:
        raise ValidationError(
            f"This file is not a recording we can play to visitors: upload {ACCEPTED} "
            "audio (the file's content is checked, not only its name)."
        )
    label, _, suffixes = FORMATS[found]
    if PurePosixPath(upload.name or "").suffix.lower() not in suffixes:
        raise ValidationError(
            f"This file is {label} audio but its name ends differently: rename it to end "
            f"in {suffixes[0]} and upload it again."
        )
