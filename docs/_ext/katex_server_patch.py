"""Patch for sphinxcontrib-katex 0.9.11: wait until the KaTeX render server accepts connections.

Upstream ``KaTeXServer.start_server_process`` connects as soon as the socket file exists, but node
creates that file (bind) slightly before it listens, so on a busy machine the first connect is
refused and the whole build fails. This extension replaces that one method with a version that
retries the connect until the timeout. It replaces internals, so it refuses to load on any other
version of sphinxcontrib-katex: check there whether the race is fixed before widening the list.
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinxcontrib import katex

#: The versions of sphinxcontrib-katex whose server start-up this patch was written for.
WRITTEN_FOR = ("0.9.11",)


def _start_katex_server(cls: type, rundir: Path, timeout: float) -> tuple:
    """Start the render server like upstream, retrying the connect until *timeout*."""
    socket_path = rundir / "katex.sock"
    process = subprocess.Popen(
        cls.build_command(socket=socket_path), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        cwd=rundir,
    )
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the KaTeX server exited with code {process.returncode}")
        if socket_path.is_socket():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(str(socket_path))
                return process, sock
            except (ConnectionRefusedError, FileNotFoundError):
                sock.close()
        if time.monotonic() > deadline:
            process.kill()
            raise cls.timeout_error(timeout)
        time.sleep(0.01)


def setup(app: Sphinx) -> dict[str, Any]:
    """Install the patch, or refuse to load on a version it was not written for."""
    if katex.__version__ not in WRITTEN_FOR:
        raise ExtensionError(
            f"katex_server_patch was written for sphinxcontrib-katex {', '.join(WRITTEN_FOR)}, "
            f"not {katex.__version__}: check whether the start-up race is fixed there, then "
            "drop this extension or add the version to WRITTEN_FOR"
        )
    katex.KaTeXServer.start_server_process = classmethod(_start_katex_server)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
