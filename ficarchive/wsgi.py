"""WSGI entry point for gunicorn and other servers."""

import os

from django.core.wsgi import get_wsgi_application
from dotenv import load_dotenv

load_dotenv(os.environ.get("ENV_FILE", ".env"), override=False)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")

application = get_wsgi_application()

from ficarchive.core.checks import refuse_default_secret_key  # noqa: E402

refuse_default_secret_key()
