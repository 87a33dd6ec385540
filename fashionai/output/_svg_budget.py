"""An SVG's size in pixels, worked out with its units, and a renderer that draws it under a budget it cannot escape.

    svg_pixels('<svg width="4cm" height="30mm">')   # (151.18..., 113.38...): None when it says no usable size
    render_png(svg, scale=0.5)                      # PNG bytes, or None: over budget, crashed or not drawable

The size follows the renderer's (resvg's) own reading: px, pt, pc, in, cm, mm, em (12 px) and ex (6 px); a
percentage is of the viewBox; a missing width or height is the viewBox's; with neither, resvg would size the
picture by its content, which can be anything, so such an SVG has no usable size here.

Drawing happens in a small worker process (`python -I`), started once and reused (about 0.1 s to start; a
picture then takes a few milliseconds), with its address space limited to `WORKER_MEMORY` bytes
(RLIMIT_AS) and its processor time to `WORKER_CPU_SECONDS` (RLIMIT_CPU). A picture that is not drawn within
`RENDER_SECONDS` gets its worker killed; one that asks for more memory makes only the worker abort. Either
way the picture is None and the next one starts a new worker. One picture is drawn at a time. No Streamlit.
"""

from __future__ import annotations

import atexit
import os
import re
import select
import struct
import subprocess
import sys
import threading
import time

__all__ = ["RENDER_SECONDS", "WORKER_MEMORY", "png_size", "render_png", "svg_pixels"]

RENDER_SECONDS = 3.0
"""The longest one picture may take to draw (the sample catalog's take a few milliseconds)."""
WORKER_MEMORY = 768 << 20
"""The worker's address space (it needs about 100 MB to start; a card's picture a few more)."""
WORKER_CPU_SECONDS = 600
"""The worker's processor time over its whole life (a backstop: it is replaced when it runs out)."""
MAX_PNG_BYTES = 16 << 20
"""The largest PNG read back from the worker."""

_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4,
          "em": 12.0, "ex": 6.0}  # resvg's: an em is its default font size, 12 px; an ex half of it
_LENGTH = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(px|pt|pc|in|cm|mm|em|ex|%)?$", re.IGNORECASE)
_SVG_TAG = re.compile(r"<svg\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = r"(?:^|\s){name}\s*=\s*(?:\"([^\"]*)\"|'([^']*)')"


def _attribute(tag: str, name: str) -> str | None:
    match = re.search(_ATTRIBUTE.format(name=name), tag)
    return None if match is None else (match[1] if match[1] is not None else match[2])


def _view_box(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        numbers = [float(part) for part in re.split(r"[\s,]+", text.strip()) if part]
    except ValueError:
        return None
    if len(numbers) != 4 or not all(map(_finite, numbers)) or numbers[2] <= 0 or numbers[3] <= 0:
        return None
    return numbers[2], numbers[3]


def _finite(value: float) -> bool:
    return value == value and abs(value) != float("inf")


def _side(text: str | None, box: float | None) -> float | None:
    """A width or height in pixels; None when it is unusable or unknown (resvg would measure the content)."""
    if text is None:
        return box
    match = _LENGTH.match(text)
    if match is None:
        return None
    number, unit = float(match[1]), (match[2] or "").lower()
    if unit == "%":
        return None if box is None else number * box / 100
    return number * _UNITS[unit]


def svg_pixels(svg: str) -> tuple[float, float] | None:
    """The width and height in pixels the renderer gives the (outermost) svg element at scale 1, or None when
    it gives no usable size (no svg element, a width or height it cannot read, zero or negative, or none at
    all without a viewBox)."""
    tag = _SVG_TAG.search(svg)
    if tag is None:
        return None
    text = tag.group(0)[4:]
    box = _view_box(_attribute(text, "viewBox"))
    width = _side(_attribute(text, "width"), box[0] if box else None)
    height = _side(_attribute(text, "height"), box[1] if box else None)
    if width is None or height is None or not (_finite(width) and _finite(height)) or width <= 0 or height <= 0:
        return None
    return width, height


# --------------------------------------------------------------------------- the worker

_WORKER = r"""
import resource, struct, sys
memory, cpu = int(sys.argv[1]), int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
import vl_convert
read, write = sys.stdin.buffer, sys.stdout.buffer
while True:
    head = read.read(12)
    if len(head) < 12:
        break
    scale, size = struct.unpack(">dI", head)
    svg = read.read(size).decode("utf-8")
    try:
        png = bytes(vl_convert.svg_to_png(svg, scale=scale))
    except Exception:
        png = b""
    write.write(struct.pack(">I", len(png)) + png)
    write.flush()
"""


class _Worker:
    """The drawing process, started on first use and replaced after a crash or an overrun."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-I", "-c", _WORKER, str(WORKER_MEMORY), str(WORKER_CPU_SECONDS)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True, bufsize=0)
        return self._process

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
        if process is not None:
            process.wait()
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    pipe.close()

    def render(self, svg: str, scale: float, seconds: float) -> bytes | None:
        data = svg.encode("utf-8")
        with self._lock:
            try:
                process = self._start()
                assert process.stdin is not None and process.stdout is not None
                process.stdin.write(struct.pack(">dI", scale, len(data)) + data)
                process.stdin.flush()
                deadline = time.monotonic() + seconds
                size = struct.unpack(">I", _read(process.stdout.fileno(), 4, deadline))[0]
                if size == 0:
                    return None
                if size > MAX_PNG_BYTES:
                    raise OSError("a PNG too big")
                return _read(process.stdout.fileno(), size, deadline)
            except (OSError, ValueError, struct.error, TimeoutError):  # crashed, killed, overran: a new one next
                self.stop()
                return None


def _read(fd: int, size: int, deadline: float) -> bytes:
    """Exactly `size` bytes from `fd` by `deadline`; TimeoutError when late, OSError at its end."""
    chunks, got = [], 0
    while got < size:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the picture took too long")
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, size - got)
        if not chunk:
            raise OSError("the worker ended")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


_worker = _Worker()
atexit.register(_worker.stop)


def render_png(svg: str, scale: float, seconds: float = RENDER_SECONDS) -> bytes | None:
    """The SVG drawn as a PNG at `scale` in the worker, within `seconds` and its memory; None otherwise."""
    return _worker.render(svg, scale, seconds)


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height, from its header (0, 0 if it is no PNG)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        return 0, 0
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
