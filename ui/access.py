"""Who may reach the chat UI: nobody but this machine, unless credentials are set.

`kb serve` binds 127.0.0.1 by default. Binding any other address exposes the reviews, the uploads
and the feedback to the network, so it needs Gradio's login with credentials from the environment
(``KB_AUTH=user:password``) or a file (``KB_AUTH_FILE``, one ``user:password`` a line, ``#`` comments)
— never written in code — or an explicit ``--no-auth``, which prints a warning.
"""

from __future__ import annotations

from pathlib import Path

LOCAL = {"127.0.0.1", "localhost", "::1"}


class AccessError(ValueError):
    """The server would be exposed without credentials, or the credentials cannot be read."""


def parse_credentials(text: str) -> list[tuple[str, str]]:
    """``user:password`` pairs, one a line (blank lines and ``#`` comments skipped)."""
    pairs = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user.strip() or not password:
            raise AccessError(f"credentials line {n} is not user:password")
        pairs.append((user.strip(), password))
    return pairs


def credentials(auth: str = "", auth_file: str = "") -> list[tuple[str, str]]:
    """The configured logins: ``KB_AUTH`` and the lines of ``KB_AUTH_FILE`` (empty when neither is set)."""
    pairs = parse_credentials(auth) if auth else []
    if auth_file:
        path = Path(auth_file).expanduser()
        if not path.is_file():
            raise AccessError(f"KB_AUTH_FILE {path} does not exist")
        pairs += parse_credentials(path.read_text(encoding="utf-8"))
    return pairs


def login_for(host: str, pairs: list[tuple[str, str]], no_auth: bool = False) -> list[tuple[str, str]] | None:
    """The logins to require when serving on ``host``: None on this machine or with ``no_auth``;
    AccessError when another address would be served to anyone."""
    if pairs:
        return pairs
    if host in LOCAL or no_auth:
        return None
    raise AccessError(f"serving on {host} would let anyone on the network read the reviews and upload files. "
                      "Set KB_AUTH=user:password or KB_AUTH_FILE=path (one user:password a line), "
                      "or pass --no-auth to serve without a login.")
