import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
# Everything loaded at start-up (Django, Oscar, Wagtail, the URL and template machinery)
# lives as long as the process: moved out of the garbage collector's generations, so its
# collections scan only what requests allocate (issue 16).
gc.freeze()
