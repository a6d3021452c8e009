"""Reading a raw request body with a size limit (message pushes, list and rule uploads)."""

from __future__ import annotations

from fastapi import Request

from paxwatch.api.problems import ProblemError


async def read_limited(request: Request, limit: int, what: str = "body") -> bytes:
    """The request body, refused (413) as soon as it exceeds ``limit`` bytes: at once when
    the declared length is over, else while it streams in."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(what, limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(what, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(what: str, limit: int) -> ProblemError:
    return ProblemError(
        413, f"The {what} is larger than the limit of {limit:,} bytes.", kind="message-too-large"
    )
