"""The real app served by uvicorn on a free local port, in a background thread, for tests that need
a real HTTP server (concurrent writers, a real browser)."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI


@contextmanager
def serving(app: FastAPI, backlog: int = 16) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 and a free port; yields the base URL (`http://127.0.0.1:PORT`).

    The socket is listening before uvicorn starts, so early connections wait in the backlog: no
    polling for the server to come up. The app's engines are disposed of at the end.
    """
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    listening.listen(backlog)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listening.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listening.close()
        app.state.engine.dispose()
    assert not thread.is_alive(), "uvicorn did not stop within 30 s"
