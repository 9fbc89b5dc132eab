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
        "Serve the archive with gunicorn (several worker processes). With --demo: migrate, "
        "fill an empty database with a demo corpus, and serve it on this machine."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=settings.BIND)
        parser.add_argument("--workers", type=int, default=settings.WEB_CONCURRENCY)
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument("--timeout", type=int, default=30)
        parser.add_argument(
            "--demo",
            action="store_true",
            help="migrate, generate demo works if there are none, and serve them locally",
        )
        parser.add_argument("--demo-works", type=int, default=DEMO_WORKS)
        parser.add_argument(
            "--no-indexer",
            action="store_true",
            help="do not start the search indexer (when `ficarchive indexer` runs elsewhere)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["demo"]:
            self._prepare_demo(options["demo_works"])
        refuse_default_secret_key()
        self.stdout.write(f"Serving {settings.SITE_NAME} on http://{options['bind']}/")
        indexer = _IndexerProcess(enabled=not options["no_indexer"])
        _Gunicorn(
            {
                "bind": options["bind"],
                "workers": options["workers"],
                "threads": options["threads"],
                "timeout": options["timeout"],
                "accesslog": "-" if settings.DEBUG else None,
                "on_starting": indexer.start,
                "on_exit": indexer.stop,
            }
        ).run()

    def _prepare_demo(self, works: int) -> None:
        if settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY:
            # A private key for this installation's demo, kept so that logins survive restarts.
            settings.SECRET_KEY = _demo_secret_key(Path(settings.DATA_DIR))
        call_command("migrate", interactive=False, verbosity=0)
        call_command("demo", works=works, if_empty=True)


class _IndexerProcess:
    """`ficarchive indexer` beside the web workers, for as long as gunicorn's master runs: the
    one process that writes the search index."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.process: subprocess.Popen[bytes] | None = None
        self.stopping = threading.Event()

    def start(self, server: Any) -> None:
        if not self.enabled:
            return
        self._spawn()
        threading.Thread(target=self._watch, name="indexer-watch", daemon=True).start()

    def _spawn(self) -> None:
        env = dict(os.environ, SECRET_KEY=settings.SECRET_KEY)
        self.process = subprocess.Popen([sys.executable, "-m", "ficarchive", "indexer"], env=env)

    def _watch(self) -> None:
        # An indexer that died (out of memory, say) is started again; it resumes from the log.
        while not self.stopping.wait(2.0):
            if self.process is not None and self.process.poll() is not None:
                self._spawn()

    def stop(self, server: Any) -> None:
        self.stopping.set()
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _demo_secret_key(data_dir: Path) -> str:
    path = data_dir / "demo-secret-key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()
