"""Stopping an asyncio loop that runs on its own thread (the client link, the served twin)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Any


def stop_loop_thread(
    loop: asyncio.AbstractEventLoop | None, task: asyncio.Task[Any] | None, thread: threading.Thread | None
) -> None:
    """Cancel ``task`` on its loop's thread and wait for the thread to end.

    The cancellation is repeated: on Python 3.11 ``asyncio.wait_for`` (inside pymodbus'
    requests) can swallow a cancellation that arrives as its response does (CPython gh-86296).
    """
    if thread is None or thread is threading.current_thread():
        return
    for _ in range(50):
        if loop is not None and task is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(task.cancel)
        thread.join(timeout=0.1)
        if not thread.is_alive():
            return


def close_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what is still pending on ``loop`` (requests in flight), let it finish, then close the loop."""
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    with contextlib.suppress(Exception):
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
