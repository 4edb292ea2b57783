"""Old Word (``.doc``) and WPS (``.wps``) files: converted to DOCX by LibreOffice, then read as DOCX.

The conversion runs ``soffice --headless --convert-to docx`` on a *copy* of the file in a
temporary folder (the input is only read), with its own throw-away LibreOffice profile (so it
never meets a running LibreOffice) and a time limit (:data:`TIMEOUT`); the whole process group
is ended when the limit passes. Cell locations name the original file. LibreOffice is a system
package (``apt-get install libreoffice-writer``; ``scripts/system-deps.sh``); without it the
error says so.

>>> TIMEOUT
120.0
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from govdisclose.exceptions import CorruptDocumentError, DocumentTooLargeError, MissingDependencyError
from govdisclose.readers.model import Document

__all__ = ["read", "to_docx", "soffice", "TIMEOUT"]

#: Seconds one conversion may take.
TIMEOUT = 120.0


def soffice() -> str | None:
    """The LibreOffice program (``soffice``/``libreoffice``) on the PATH, or ``None``."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(path: Path, data: bytes, timeout: float = TIMEOUT) -> bytes:
    """The DOCX LibreOffice makes of ``data`` (the bytes of ``path``)."""
    program = soffice()
    if program is None:
        raise MissingDependencyError(
            f"reading {path.name} (an old Word/WPS file) needs LibreOffice (soffice), which is not installed: "
            "apt-get install libreoffice-writer (or save the file as .docx)", name="soffice")
    with tempfile.TemporaryDirectory(prefix="govdisclose-doc-") as work:
        folder = Path(work)
        source = folder / f"input{path.suffix.lower() or '.doc'}"
        source.write_bytes(data)
        command = [program, "--headless", "--norestore", "--nologo", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"), str(source)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                   cwd=work, start_new_session=True)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise DocumentTooLargeError(path, f"LibreOffice took over {timeout:.0f} s to convert it to DOCX") from None
        out = folder / "out" / "input.docx"
        if not out.is_file() or out.stat().st_size == 0:
            raise CorruptDocumentError(path, f"LibreOffice could not convert it to DOCX (exit status {process.returncode}); "
                                             "the file may be damaged or password-protected")
        return out.read_bytes()


def read(path: Path, data: bytes) -> Document:
    """A ``.doc``/``.wps`` report read through its DOCX conversion (see the module docstring)."""
    from govdisclose.readers import docx

    converted = to_docx(path, data)
    doc = docx.read(path, converted)
    doc.notes.append(f"{path.suffix or '.doc'} file converted to DOCX by LibreOffice")
    return doc
