"""Who may talk to the dev server: the Host names it answers, and the warning when it listens beyond
this computer. CPython only (``server.py`` and ``cli.py`` use it).

A web page on another site can make a browser send requests to ``127.0.0.1:8000`` under
its own host name (DNS rebinding) and read the answers. So the server answers only
requests whose ``Host`` is this computer's own name for it: ``127.0.0.1``, ``localhost``,
``[::1]`` or the ``--host`` given, with the port it listens on. Listening beyond loopback
(``--host 0.0.0.0``), it also answers this machine's host name and any IP address typed as
such (a rebinding page always uses a domain name of its own).
"""
from __future__ import annotations

import ipaddress
import socket
from typing import Optional, Set, Tuple

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "localhost.localdomain"}


def is_loopback(host: str) -> bool:
    """True for an address only this computer can reach (127.0.0.0/8, ::1, localhost)."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


def split_host(header: str) -> Tuple[str, Optional[int]]:
    """``"[::1]:8000"`` -> ``("::1", 8000)``; ``"localhost"`` -> ``("localhost", None)``."""
    header = header.strip().lower()
    if header.startswith("["):
        name, _, rest = header[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    elif header.count(":") == 1:
        name, _, port_text = header.partition(":")
    else:
        name, port_text = header, ""
    if port_text and not port_text.isdigit():
        return name.rstrip("."), -1
    return name.rstrip("."), int(port_text) if port_text else None


class HostCheck:
    """Decides whether a request's ``Host`` header names this server."""

    def __init__(self, bound_host: str, port: int) -> None:
        self.port = port
        given = bound_host.strip("[]").lower()
        self.names: Set[str] = set(LOOPBACK_NAMES) | ({given} if given else set())
        self.wide = not is_loopback(given)  # listening beyond this computer
        if self.wide:
            machine = socket.gethostname().lower()
            self.names |= {machine, machine + ".local", socket.getfqdn().lower()}

    def allows(self, header: Optional[str]) -> bool:
        if not header:
            return False
        name, port = split_host(header)
        if port != self.port and not (port is None and self.port == 80):
            return False
        return name in self.names or (self.wide and _is_ip(name))

    def refusal(self, header: Optional[str]) -> str:
        """The body of the 403 answer: why, and what to type instead."""
        return (f"ml5py serve answers only requests for this computer (Host 127.0.0.1:{self.port} or "
                f"localhost:{self.port}); this one asked for {header or 'no host'!r}. Open "
                f"http://127.0.0.1:{self.port}/ instead.\n")


def exposure_warning(host: str, port: int) -> Optional[str]:
    """What to print when the server listens beyond loopback (None when it does not)."""
    if is_loopback(host):
        return None
    return (f"WARNING: ml5py serve is listening on {host}: every machine on your network can now open "
            f"this sketch and every file of its site at http://<this computer's address>:{port}/ "
            "(nothing else of this computer). Press Ctrl+C to stop, and leave out --host (or use "
            "--host 127.0.0.1) to keep it on this computer only.")
