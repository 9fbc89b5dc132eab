"""WSGI entry point for gunicorn and other servers."""

from django.core.wsgi import get_wsgi_application

from ficarchive.cli import load_environment

load_environment()

application = get_wsgi_application()

from ficarchive.core.checks import refuse_default_secret_key  # noqa: E402

refuse_default_secret_key()
