"""WSGI entry point: `gongkai serve` runs it in-process; any WSGI server can run it too."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
application = get_wsgi_application()
