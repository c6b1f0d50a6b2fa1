"""Sound files read aloud to applicants (a placement question's recording, a recording of a
page of the public form), recognised by their content, never by their name."""

from __future__ import annotations

RECORDING_MAX_BYTES = 5 * 1024 * 1024
SOUND_CONTENT_TYPES = {
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "m4a": "audio/mp4",
    "aac": "audio/aac",
    "wav": "audio/wav",
}


def sound_extension(head: bytes) -> str | None:
    """The kind of sound file, from its first bytes (its "magic bytes")."""
    if head.startswith(b"ID3"):
        return "mp3"  # MP3 with its tags first
    if head.startswith(b"OggS"):
        return "ogg"  # Ogg: Opus or Vorbis
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[4:8] == b"ftyp":
        return "m4a"  # MPEG-4 audio (AAC in an M4A file)
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:
            return "aac"  # AAC in ADTS frames: sync word, layer 0
        if head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
            return "mp3"  # an MPEG audio frame: sync word, layer 1 to 3
    return None
