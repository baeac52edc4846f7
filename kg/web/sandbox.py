"""Query workers without a network: defence in depth against SSRF through SERVICE.

When no federation endpoint is allowed (KG_ALLOW_FEDERATION empty, the default), each query worker moves itself
into a new Linux network namespace before it opens the store: no interface is up there, not even loopback, so
the engine cannot connect anywhere whatever the query says; the kernel decides, not a reading of the text. As
root this is unshare(CLONE_NEWNET); otherwise it also takes a user namespace (unprivileged user namespaces),
which must happen while the process is single-threaded (a fresh fork from the fork server is).
"""
from __future__ import annotations

import ctypes
import os

CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


def without_network() -> str | None:
    """Move this process into an empty network namespace; None when done, else why it could not be."""
    try:
        unshare = ctypes.CDLL(None, use_errno=True).unshare
    except (OSError, AttributeError) as exc:
        return f"no unshare(2): {exc}"
    flags = CLONE_NEWNET if os.geteuid() == 0 else CLONE_NEWUSER | CLONE_NEWNET
    if unshare(flags) != 0:
        return f"unshare(2) failed: {os.strerror(ctypes.get_errno())}"
    return None
