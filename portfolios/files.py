"""Evidence files: checked from their content, streamed to storage in chunks, hashed.

``store_upload`` never reads a file whole: it walks the upload in chunks, hashing and
scanning as it writes to a temporary file, and only then moves the checked file into the
storage under a random name. A rejected file leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import uuid
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

CHUNK = 256 * 1024

# Content types accepted for any evidence, and those accepted only for observation
# recordings with consent recorded (video/audio).
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
}
RECORDING_TYPES = {
    "video/mp4": "MP4 video", "video/webm": "WebM video", "video/quicktime": "QuickTime video",
    "audio/mpeg": "MP3 audio", "audio/x-wav": "WAV audio", "audio/mp4": "M4A audio",
    "audio/ogg": "Ogg audio",
}
RECORDING_KINDS = frozenset({"direct-observation"})
EXTENSIONS = {
    "application/pdf": {".pdf"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "image/jpeg": {".jpg", ".jpeg"}, "image/png": {".png"},
    "video/mp4": {".mp4", ".m4v"}, "video/webm": {".webm"}, "video/quicktime": {".mov"},
    "audio/mpeg": {".mp3"}, "audio/x-wav": {".wav"}, "audio/mp4": {".m4a"},
    "audio/ogg": {".ogg", ".oga"},
}
_PDF_SCRIPT = re.compile(rb"/(JS|JavaScript)\b")
# Markup or script inside an image makes it a polyglot (a file that is also a web page).
_MARKUP = re.compile(rb"<(script|html|svg|iframe|body)\b|<\?php", re.IGNORECASE)
# A ZIP end-of-central-directory record sits in a zip's last 64 KB: a PDF or image with one
# near its end is also an archive (a polyglot). A .docx is a zip and is exempt.
_ZIP_END = b"PK\x05\x06"
_TAIL = 66 * 1024
_IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})
# Inner extensions that disguise a program or a web page ("report.exe.pdf").
_RISKY_EXTENSIONS = frozenset({
    ".exe", ".com", ".bat", ".cmd", ".scr", ".msi", ".js", ".vbs", ".ps1", ".sh", ".jar",
    ".html", ".htm", ".svg", ".php", ".hta", ".lnk", ".dll", ".docm", ".xlsm"})
_SAFE_NAME = re.compile(r"[^A-Za-z0-9 ._()-]+")


@dataclass(frozen=True)
class StoredFile:
    name: str  # storage name
    original_name: str
    content_type: str
    size: int
    sha256: str


def clean_original_name(name: str) -> str:
    """The display name of an upload: refuses folder paths, keeps safe characters only."""
    if not name or "/" in name or "\\" in name or name.startswith(".") or ".." in name:
        raise ValidationError({"file": "The file name must be a plain name, without a folder "
                                       "path (for example observation.pdf)."})
    inner = {"." + part.lower() for part in name.split(".")[1:-1]}
    if inner & _RISKY_EXTENSIONS:
        raise ValidationError({"file": "The file name hides another file type ("
                                       + ", ".join(sorted(inner & _RISKY_EXTENSIONS))
                                       + "). Rename it with one extension, for example "
                                         "observation.pdf."})
    cleaned = _SAFE_NAME.sub("_", name).strip()[:150]
    if not cleaned:
        raise ValidationError({"file": "Give the file a name made of letters and numbers."})
    return cleaned


def _sniff(head: bytes, tmp_path: str) -> str | None:
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime == "application/zip" or (mime and "officedocument" in mime):
        # A .docx is a zip holding word/document.xml; reading the directory, not the file.
        try:
            with zipfile.ZipFile(tmp_path) as archive:
                if "word/document.xml" in archive.namelist():
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        except zipfile.BadZipFile:
            return None
        return None
    if mime == "audio/x-m4a":
        return "audio/mp4"
    if mime == "audio/wav":
        return "audio/x-wav"
    return mime


def store_upload(upload: UploadedFile, *, kind: str, recording_allowed: bool) -> StoredFile:
    """Check ``upload`` and stream it into the storage; ValidationError (nothing stored) when
    it is empty, too big, of a type not accepted (judged from its content), named with a
    path or with an extension that contradicts its content, or a PDF carrying script."""
    original = clean_original_name(upload.name or "")
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"file": f"The file is larger than the limit of "
                                       f"{limit // (1024 * 1024) or 1} MB."})
    if not upload.size:
        raise ValidationError({"file": "The selected file is empty."})
    digest = hashlib.sha256()
    size = 0
    head = b""
    script = False
    markup = False
    tail = b""
    end = b""  # the last _TAIL bytes, for the zip end record
    fd, tmp_path = tempfile.mkstemp(prefix="evidence-", dir=_tmp_dir())
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ValidationError({"file": f"The file is larger than the limit of "
                                                   f"{limit // (1024 * 1024) or 1} MB."})
                if len(head) < 8192:
                    head += chunk[: 8192 - len(head)]
                # Keep a small overlap so a keyword split across chunks is still found.
                if _PDF_SCRIPT.search(tail + chunk):
                    script = True
                if _MARKUP.search(tail + chunk):
                    markup = True
                tail = chunk[-16:]
                end = (end + chunk)[-_TAIL:]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ValidationError({"file": "The selected file is empty."})
        mime = _sniff(head, tmp_path)
        accepted = dict(DOCUMENT_TYPES)
        if recording_allowed and kind in RECORDING_KINDS:
            accepted.update(RECORDING_TYPES)
        if mime not in accepted:
            allowed = "PDF, Word (.docx), JPEG or PNG"
            if mime in RECORDING_TYPES and kind in RECORDING_KINDS:
                raise ValidationError({"file": "A video or audio recording of an observation "
                                               "needs the consent of the worker and of the "
                                               "person observed recorded first."})
            raise ValidationError({"file": f"The file's content is not a {allowed} file, "
                                           "whatever its name says."})
        ext = os.path.splitext(original)[1].lower()
        if ext and ext not in EXTENSIONS[mime]:
            raise ValidationError({"file": f"The file is named {original} but its content is "
                                           f"a {accepted[mime]}. Rename it or choose the "
                                           "right file."})
        docx = mime == DOCX
        if (not docx and _ZIP_END in end) or (mime in _IMAGE_TYPES and markup):
            raise ValidationError({"file": f"The file is a {accepted[mime]} that also holds "
                                           "another kind of file (an archive or web page "
                                           "code), which is not allowed in evidence. Save it "
                                           "again as a plain file and try again."})
        if mime == "application/pdf" and script:
            raise ValidationError({"file": "The PDF contains JavaScript, which is not allowed "
                                           "in evidence. Print it to a new PDF and try again."})
        name = f"evidence/{uuid.uuid4().hex}"
        with open(tmp_path, "rb") as handle:
            stored = default_storage.save(name, File(handle, name=name))
        return StoredFile(stored, original, mime, size, digest.hexdigest())
    finally:
        if os.path.exists(tmp_path):
            os.unlink(tmp_path)


def _tmp_dir() -> str:
    path = os.path.join(settings.MEDIA_ROOT, "tmp")
    os.makedirs(path, exist_ok=True)
    return path


def delete_stored(name: str) -> None:
    """Remove a stored file (used when the transaction that referenced it rolls back)."""
    if name and default_storage.exists(name):
        default_storage.delete(name)
