import os
import secrets
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.core.wsgi import get_wsgi_application
from gunicorn.app.base import BaseApplication

from ficarchive.core.checks import refuse_default_secret_key

DEMO_WORKS = 300


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return get_wsgi_application()


class Command(BaseCommand):
    help = (
        "Serve the archive with gunicorn (several worker processes), with the search indexer, a "
        "task worker and the scheduler beside it. With --demo: migrate, "
        "fill an empty database with a demo corpus, and serve it on this machine."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=settings.BIND,
            metavar="HOST:PORT",
            help=f"the address to listen on (default {settings.BIND}, from BIND)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.WEB_CONCURRENCY,
            metavar="N",
            help=f"web worker processes (default {settings.WEB_CONCURRENCY}, from WEB_CONCURRENCY)",
        )
        parser.add_argument(
            "--threads", type=int, default=1, metavar="N", help="threads per web worker (1)"
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=30,
            metavar="SECONDS",
            help="restart a web worker whose request takes longer (30)",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="migrate, generate demo works if there are none, and serve them locally",
        )
        parser.add_argument(
            "--demo-works",
            type=int,
            default=DEMO_WORKS,
            metavar="N",
            help=f"how many demo works --demo makes in an empty database ({DEMO_WORKS})",
        )
        parser.add_argument(
            "--no-indexer",
            action="store_true",
            help="do not start the search indexer (when `ficarchive indexer` runs elsewhere)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a task worker (when `ficarchive worker` runs elsewhere)",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="do not start the scheduler of periodic jobs",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["demo"]:
            self._prepare_demo(options["demo_works"])
        refuse_default_secret_key()
        self.stdout.write(f"Serving {settings.SITE_NAME} on http://{options['bind']}/")
        sidecars = _Sidecars(
            [
                name
                for name, off in (
                    ("indexer", options["no_indexer"]),
                    ("worker", options["no_worker"]),
                    ("scheduler", options["no_scheduler"]),
                )
                if not off
            ]
        )
        _Gunicorn(
            {
                "bind": options["bind"],
                "workers": options["workers"],
                "threads": options["threads"],
                "timeout": options["timeout"],
                "accesslog": "-" if settings.DEBUG else None,
                "on_starting": sidecars.start,
                "on_exit": sidecars.stop,
            }
        ).run()

    def _prepare_demo(self, works: int) -> None:
        if settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY:
            # A private key for this installation's demo, kept so that logins survive restarts.
            settings.SECRET_KEY = _demo_secret_key(Path(settings.DATA_DIR))
        call_command("migrate", interactive=False, verbosity=0)
        call_command("demo", works=works, if_empty=True)


class _Sidecars:
    """The indexer, a task worker and the scheduler, each `ficarchive <name>` in a process of
    its own beside the web workers, for as long as gunicorn's master runs."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = threading.Event()

    def start(self, server: Any) -> None:
        for name in self.names:
            self._spawn(name)
        if self.names:
            threading.Thread(target=self._watch, name="sidecar-watch", daemon=True).start()

    def _spawn(self, name: str) -> None:
        env = dict(os.environ, SECRET_KEY=settings.SECRET_KEY)
        self.processes[name] = subprocess.Popen([sys.executable, "-m", "ficarchive", name], env=env)

    def _watch(self) -> None:
        # One that died (out of memory, say) is started again; each resumes where it was (the
        # indexer from the log, the worker from the queue, the scheduler from its slots).
        while not self.stopping.wait(2.0):
            for name, process in list(self.processes.items()):
                if process.poll() is not None and not self.stopping.is_set():
                    self._spawn(name)

    def stop(self, server: Any) -> None:
        self.stopping.set()
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _demo_secret_key(data_dir: Path) -> str:
    path = data_dir / "demo-secret-key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()
