"""``python -m service.cli``: the ``gpsc`` command without the installed script (tests and ``running_server``
start the server this way)."""

from service.cli import run

if __name__ == "__main__":
    run()
